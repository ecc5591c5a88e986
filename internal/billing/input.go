package billing

import (
	"fmt"
	"slices"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// Messages of payment fields (business-api.md §2.6; conventions S22, S25; defects 13–16).
const (
	MsgNotPositive      = "Ensure this value is greater than 0."
	MsgContactInactive  = "This contact is inactive."
	MsgCategoryInactive = "This category is inactive."
	MsgRecurrenceFixed  = "The recurrence of a payment is set when it is created."
	msgTotalBelowPaid   = "Ensure this value is greater than or equal to the amount paid (%s)."
	msgDayBeyondMonth   = "Ensure this value is less than or equal to %d: the month of due_at has %d days."
	msgDatesBeyond      = "The last instalment would fall after the year 9999."
)

// MaxTotalDigits is how many digits total_amount may have before the point: decimal(10,2).
const MaxTotalDigits = 8

// Input is the body of POST and PATCH of receivables and payables. Amounts paid, status and
// paid date are never read from clients (defect 16).
type Input struct {
	Contact, Category, IssuedAt, DueAt, Notes, Reference, Method opt.Opt[string]
	Recurrence, DueWeekday                                       opt.Opt[string]
	Total                                                        opt.Opt[money.Cents]
	InstallmentCount, DueDayOfMonth                              opt.Opt[int64]
}

// refs are the references of an Input to check against the business.
type refs struct {
	contact     *string // set: check it
	category    *string // set: check it
	setCategory bool
}

// apply validates the plain fields of in onto p (m: Create or Patch) and returns the references
// to check in the database.
func apply(f apperr.Fields, p *Payment, in Input, m field.Mode) refs {
	var r refs
	if !in.Contact.Has() || in.Contact.V == "" {
		field.Required(f, "contact", in.Contact, 26, m)
	} else if c, _ := field.Ref(f, "contact", in.Contact, m); c != nil {
		r.contact = c
	}
	r.category, r.setCategory = field.Ref(f, "category", in.Category, m)
	if d, ok := field.RequiredDate(f, "issued_at", in.IssuedAt, m); ok {
		p.IssuedAt = d
	}
	if d, ok := field.RequiredDate(f, "due_at", in.DueAt, m); ok {
		p.DueAt = d
	}
	switch {
	case !in.Total.Set:
		if m == field.Create {
			f.Add("total_amount", apperr.MsgRequired)
		}
	case in.Total.Null:
		f.Add("total_amount", apperr.MsgNull)
	case in.Total.V.WholeDigits() > MaxTotalDigits:
		f.Add("total_amount", fmt.Sprintf("Ensure that there are no more than %d digits before the decimal point.", MaxTotalDigits))
	case in.Total.V <= 0:
		f.Add("total_amount", MsgNotPositive)
	default:
		p.Total = in.Total.V
	}
	if v, ok := field.Required(f, "notes", in.Notes, 500, m); ok {
		p.Notes = v
	}
	if v, ok := field.Nullable(f, "reference", in.Reference, 255, m); ok {
		p.Reference = v
	}
	if v, ok := field.Nullable(f, "payment_method", in.Method, 150, m); ok {
		p.Method = v
	}
	return r
}

// checkPlan validates the recurrence fields of a new payment due on p.DueAt (§2.6, §4.2,
// conventions S25, S36, defect 13), stores them on p and returns the plan. due_weekday is read
// only for weekly, installment_count and due_day_of_month only for installments.
func checkPlan(f apperr.Fields, p *Payment, in Input) plan {
	pl := plan{recurrence: Once}
	if r, ok := field.Choice(f, "recurrence", in.Recurrence, Recurrences, field.Create); ok && r != nil {
		pl.recurrence = Recurrence(*r)
	}
	switch pl.recurrence {
	case Weekly:
		if w := requiredChoice(f, "due_weekday", in.DueWeekday, Weekdays); w != nil {
			pl.weekday = time.Weekday(slices.Index(Weekdays, *w))
			p.DueWeekday = w
		}
	case Installments:
		if n, ok := requiredInt(f, "installment_count", in.InstallmentCount, 1, MaxInstallments); ok {
			pl.count = int(n)
		}
		if d, ok := requiredInt(f, "due_day_of_month", in.DueDayOfMonth, 1, 31); ok {
			pl.day = int(d)
			p.DueDayOfMonth = &d
		}
	}
	due, err := time.Parse(DateLayout, p.DueAt)
	if err != nil || f.Has("due_at") || pl.recurrence != Installments || pl.day == 0 {
		return pl
	}
	if n := daysIn(due.Year(), due.Month()); pl.day > n {
		f.Add("due_day_of_month", fmt.Sprintf(msgDayBeyondMonth, n, n))
	} else if pl.count > 0 && addMonths(due, pl.count-1, pl.day).Year() > 9999 {
		f.Add("installment_count", msgDatesBeyond)
	}
	return pl
}

// checkFixedPlan refuses a PATCH that would change a recurrence field: recurrences are expanded
// when a payment is created, and a stored payment always reads once. Sending the stored value
// (or null where nothing is stored) is no change.
func checkFixedPlan(f apperr.Fields, p *Payment, in Input) {
	if in.Recurrence.Has() && in.Recurrence.V != string(p.Recurrence) {
		f.Add("recurrence", MsgRecurrenceFixed)
	}
	if in.DueWeekday.Set && !sameValue(in.DueWeekday, p.DueWeekday) {
		f.Add("due_weekday", MsgRecurrenceFixed)
	}
	if in.InstallmentCount.Set && !sameValue(in.InstallmentCount, p.InstallmentCount) {
		f.Add("installment_count", MsgRecurrenceFixed)
	}
	if in.DueDayOfMonth.Set && !sameValue(in.DueDayOfMonth, p.DueDayOfMonth) {
		f.Add("due_day_of_month", MsgRecurrenceFixed)
	}
}

// sameValue reports whether a present field holds the stored value (null: nothing stored).
func sameValue[T comparable](v opt.Opt[T], stored *T) bool {
	if v.Null {
		return stored == nil
	}
	return stored != nil && *stored == v.V
}

// requiredChoice validates a value required here that must be one of choices.
func requiredChoice(f apperr.Fields, name string, v opt.Opt[string], choices []string) *string {
	if !v.Has() || v.V == "" {
		field.Required(f, name, v, 255, field.Create)
		return nil
	}
	c, _ := field.Choice(f, name, v, choices, field.Create)
	return c
}

// requiredInt validates an integer required here, within [lo, hi].
func requiredInt(f apperr.Fields, name string, v opt.Opt[int64], lo, hi int64) (int64, bool) {
	switch {
	case !v.Set:
		f.Add(name, apperr.MsgRequired)
	case v.Null:
		f.Add(name, apperr.MsgNull)
	case v.V < lo:
		f.Add(name, fmt.Sprintf("Ensure this value is greater than or equal to %d.", lo))
	case v.V > hi:
		f.Add(name, fmt.Sprintf("Ensure this value is less than or equal to %d.", hi))
	default:
		return v.V, true
	}
	return 0, false
}
