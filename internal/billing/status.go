package billing

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/money"
)

// DateLayout is how payment dates are written.
const DateLayout = "2006-01-02"

// Messages of settling (business-api.md §2.6; conventions S22; defects 14 and 17).
const (
	MsgReceivableNotFound = "Receivable not found."
	MsgPayableNotFound    = "Payable not found."
	MsgReceivableByCredit = "A receivable is settled by a credit."
	MsgPayableByDebit     = "A payable is settled by a debit."
	msgOverpay            = "Ensure this value is less than or equal to the outstanding balance (%s)."
)

// maxDescription is how long a transaction's description may be.
const maxDescription = 255

// NotFoundMsg is the 404 message of a payment of kind.
func NotFoundMsg(k Kind) string {
	if k == Payable {
		return MsgPayableNotFound
	}
	return MsgReceivableNotFound
}

// Credits reports whether transactions settling a payment of kind are credits (receivables)
// rather than debits (payables).
func (k Kind) Credits() bool { return k == Receivable }

// Today is the date of now in loc (the business's zone, S26).
func Today(now time.Time, loc *time.Location) string { return now.In(loc).Format(DateLayout) }

// Derive is the one rule of a payment's status (conventions S27, defect 19): paid once the
// amount paid reaches the total; else overdue when due before today (the business's date);
// else partially paid when anything is paid; else pending. Dates compare as YYYY-MM-DD text.
func Derive(total, paid money.Cents, dueAt, today string) Status {
	switch {
	case paid >= total:
		return Paid
	case dueAt < today:
		return Overdue
	case paid > 0:
		return PartiallyPaid
	}
	return Pending
}

// derive re-derives p's status for today and keeps its paid date: set to day when p becomes
// paid, kept while it stays paid, cleared otherwise.
func (p *Payment) derive(today, day string) {
	was := p.Status
	p.Status = Derive(p.Total, p.Paid, p.DueAt, today)
	switch {
	case p.Status != Paid:
		p.PaidAt = nil
	case was != Paid || p.PaidAt == nil:
		p.PaidAt = &day
	}
}

// Pay records amount (> 0) paid on p at time at (§2.6 settle rules, S22, defect 14): it must not
// exceed the outstanding balance, else an Invalid error under field. p becomes paid when
// nothing remains, with paid_at the local date of at; its status is re-derived for that date.
func (p *Payment) Pay(amount money.Cents, at time.Time, loc *time.Location, field string) error {
	if amount <= 0 || amount > p.Outstanding() {
		return apperr.Field(field, fmt.Sprintf(msgOverpay, p.Outstanding()))
	}
	p.Paid += amount
	p.UpdatedAt = at
	day := Today(at, loc)
	p.derive(day, day)
	return nil
}

// Unpay takes back amount (> 0) of a deleted transaction that settled p, at time at (§2.6, §4.3).
// The status is re-derived: an overdue payment stays overdue (defect 19).
func (p *Payment) Unpay(amount money.Cents, at time.Time, loc *time.Location) {
	p.Paid = max(p.Paid-amount, 0)
	p.UpdatedAt = at
	day := Today(at, loc)
	p.derive(day, day)
}

// SettleDescription is the description of a transaction made by the settle route:
// "<notes> | Ref. Receivable ID <id>" (or Payable), the notes shortened so that it fits the
// 255 characters of a transaction's description.
func (p *Payment) SettleDescription() string {
	ref := " | Ref. Receivable ID " + p.ID
	if p.Kind == Payable {
		ref = " | Ref. Payable ID " + p.ID
	}
	notes := p.Notes
	if room := maxDescription - utf8.RuneCountInString(ref); utf8.RuneCountInString(notes) > room {
		notes = string([]rune(notes)[:room])
	}
	return notes + ref
}
