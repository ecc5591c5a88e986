package billing_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
)

// all lists every receivable of the owner's business.
func (w *world) all(t *testing.T, kind billing.Kind) []billing.Payment {
	t.Helper()
	ps, total, err := w.svc.List(ctx, w.owner, kind, billing.Query{}, business.Page{Limit: 1000})
	if err != nil || total != len(ps) {
		t.Fatalf("list: %v (%d of %d)", err, len(ps), total)
	}
	return ps
}

// TestCreateExpandsRecurrences: §4.2 through the service — every generated payment copies the
// original's fields, starts unpaid and reads once; the original reads once too.
func TestCreateExpandsRecurrences(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		tests := []struct {
			name  string
			in    func(*billing.Input)
			due   []string
			notes []string
		}{
			{"once", func(in *billing.Input) {}, []string{"2025-07-10"}, nil},
			{"weekly on mondays", func(in *billing.Input) {
				in.Recurrence, in.DueWeekday, in.DueAt = opt.Of("weekly"), opt.Of("monday"), opt.Of("2025-11-20")
			}, []string{"2025-11-20", "2025-12-01", "2025-12-08", "2025-12-15", "2025-12-22", "2025-12-29"}, nil},
			{"monthly from 31 August", func(in *billing.Input) {
				in.Recurrence, in.DueAt = opt.Of("monthly"), opt.Of("2025-08-31")
			}, []string{"2025-08-31", "2025-09-30", "2025-10-31", "2025-11-30", "2025-12-31"}, nil},
			{"5 installments on day 1", func(in *billing.Input) {
				in.Recurrence, in.InstallmentCount, in.DueDayOfMonth, in.DueAt = opt.Of("installments"), opt.Of[int64](5), opt.Of[int64](1), opt.Of("2025-07-25")
			}, []string{"2025-07-25", "2025-08-01", "2025-09-01", "2025-10-01", "2025-11-01"},
				[]string{"Invoice | instalment [1 of 5]", "Invoice | instalment [2 of 5]", "Invoice | instalment [3 of 5]",
					"Invoice | instalment [4 of 5]", "Invoice | instalment [5 of 5]"}},
			{"installments on day 31", func(in *billing.Input) {
				in.Recurrence, in.InstallmentCount, in.DueDayOfMonth, in.DueAt = opt.Of("installments"), opt.Of[int64](4), opt.Of[int64](31), opt.Of("2025-10-31")
			}, []string{"2025-10-31", "2025-11-30", "2025-12-31", "2026-01-31"},
				[]string{"Invoice | instalment [1 of 4]", "Invoice | instalment [2 of 4]", "Invoice | instalment [3 of 4]",
					"Invoice | instalment [4 of 4]"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := len(w.all(t, billing.Receivable))
				in := w.input("2025-07-10")
				in.Category, in.Reference, in.Method = opt.Of(w.category.ID), opt.Of("NF-1"), opt.Of("pix")
				tc.in(&in)
				p := w.create(t, in)
				ps := w.all(t, billing.Receivable)[before:]
				var due []string
				for i, q := range ps {
					due = append(due, q.DueAt)
					if q.Recurrence != billing.Once || q.Total != 10000 || q.Paid != 0 || q.Outstanding() != 10000 ||
						q.Status != billing.Pending || q.PaidAt != nil || q.ContactID != w.customer.ID ||
						q.ContactName != "João Silva" || *q.CategoryName != "Vendas" || *q.Reference != "NF-1" ||
						*q.Method != "pix" || q.IssuedAt != "2025-06-01" || q.Kind != billing.Receivable {
						t.Fatalf("payment %d: %+v", i, q)
					}
					if tc.notes != nil && q.Notes != tc.notes[i] || tc.notes == nil && q.Notes != "Invoice" {
						t.Fatalf("payment %d notes %q", i, q.Notes)
					}
					if i > 0 && (q.InstallmentCount == nil || *q.InstallmentCount != 0 || q.DueWeekday != nil || q.DueDayOfMonth != nil) {
						t.Fatalf("generated payment %d: %+v", i, q)
					}
				}
				if !slices.Equal(due, tc.due) {
					t.Fatalf("due dates %v, want %v", due, tc.due)
				}
				if ps[0].ID != p.ID || p.Recurrence != billing.Once {
					t.Fatalf("answered %+v; want the original", p)
				}
				switch in.Recurrence.V {
				case "installments":
					if *p.InstallmentCount != 0 || p.DueDayOfMonth == nil || p.DueWeekday != nil {
						t.Fatalf("installment original %+v", p)
					}
				case "weekly":
					if *p.DueWeekday != "monday" || p.InstallmentCount != nil || p.DueDayOfMonth != nil {
						t.Fatalf("weekly original %+v", p)
					}
				}
			})
		}
	})
}

// TestCreateValidation: defects 2, 13, 14 and conventions S22, S25, S36 — every refusal writes
// nothing.
func TestCreateValidation(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		inactive := must(w.biz.CreateContact(ctx, w.owner, business.SupplierKind, business.ContactInput{
			Name: opt.Of("Closed"), IsActive: opt.Of(false)}))(t)
		oldCat := must(w.fin.CreateCategory(ctx, w.owner, finance.CategoryInput{Name: opt.Of("Old"), IsActive: opt.Of(false)}))(t)
		inst := func(n, d int64, due string) func(*billing.Input) {
			return func(in *billing.Input) {
				in.Recurrence, in.InstallmentCount, in.DueDayOfMonth, in.DueAt = opt.Of("installments"), opt.Of(n), opt.Of(d), opt.Of(due)
			}
		}
		tests := []struct {
			name, field, msg string
			in               func(*billing.Input)
		}{
			{"weekly without weekday", "due_weekday", apperr.MsgRequired, func(in *billing.Input) { in.Recurrence = opt.Of("weekly") }},
			{"weekly with a bad weekday", "due_weekday", `"funday" is not a valid choice.`, func(in *billing.Input) {
				in.Recurrence, in.DueWeekday = opt.Of("weekly"), opt.Of("funday")
			}},
			{"installments without day", "due_day_of_month", apperr.MsgRequired, func(in *billing.Input) {
				in.Recurrence, in.InstallmentCount = opt.Of("installments"), opt.Of[int64](3)
			}},
			{"installments without count", "installment_count", apperr.MsgRequired, func(in *billing.Input) {
				in.Recurrence, in.DueDayOfMonth = opt.Of("installments"), opt.Of[int64](3)
			}},
			{"installments with a null count", "installment_count", apperr.MsgNull, func(in *billing.Input) {
				in.Recurrence, in.InstallmentCount, in.DueDayOfMonth = opt.Of("installments"), opt.Null[int64](), opt.Of[int64](3)
			}},
			{"zero installments", "installment_count", "Ensure this value is greater than or equal to 1.", inst(0, 1, "2025-07-01")},
			{"too many installments", "installment_count", "Ensure this value is less than or equal to 360.", inst(361, 1, "2025-07-01")},
			{"day 0", "due_day_of_month", "Ensure this value is greater than or equal to 1.", inst(2, 0, "2025-07-01")},
			{"day 32", "due_day_of_month", "Ensure this value is less than or equal to 31.", inst(2, 32, "2025-07-01")},
			{"day 31 in February (S25)", "due_day_of_month", "Ensure this value is less than or equal to 28: the month of due_at has 28 days.", inst(2, 31, "2025-02-10")},
			{"day 31 in April (S25)", "due_day_of_month", "Ensure this value is less than or equal to 30: the month of due_at has 30 days.", inst(2, 31, "2025-04-10")},
			{"installments past year 9999", "installment_count", "The last instalment would fall after the year 9999.", inst(2, 1, "9999-12-01")},
			{"bad recurrence", "recurrence", `"yearly" is not a valid choice.`, func(in *billing.Input) { in.Recurrence = opt.Of("yearly") }},
			{"zero total (S22)", "total_amount", billing.MsgNotPositive, func(in *billing.Input) { in.Total = opt.Of[money.Cents](0) }},
			{"negative total (defect 14)", "total_amount", billing.MsgNotPositive, func(in *billing.Input) { in.Total = opt.Of[money.Cents](-100) }},
			{"total beyond decimal(10,2)", "total_amount", "Ensure that there are no more than 8 digits before the decimal point.", func(in *billing.Input) {
				in.Total = opt.Of[money.Cents](1_000_000_000_00)
			}},
			{"missing total", "total_amount", apperr.MsgRequired, func(in *billing.Input) { in.Total = opt.Opt[money.Cents]{} }},
			{"missing contact", "contact", apperr.MsgRequired, func(in *billing.Input) { in.Contact = opt.Opt[string]{} }},
			{"null contact", "contact", apperr.MsgNull, func(in *billing.Input) { in.Contact = opt.Null[string]() }},
			{"foreign contact (defect 2)", "contact", field.NoSuchObject(w.otherCustomer.ID), func(in *billing.Input) { in.Contact = opt.Of(w.otherCustomer.ID) }},
			{"malformed contact", "contact", field.NoSuchObject("x"), func(in *billing.Input) { in.Contact = opt.Of("x") }},
			{"inactive contact (S22)", "contact", billing.MsgContactInactive, func(in *billing.Input) { in.Contact = opt.Of(inactive.ID) }},
			{"foreign category (defect 2)", "category", field.NoSuchObject(w.otherCategory.ID), func(in *billing.Input) { in.Category = opt.Of(w.otherCategory.ID) }},
			{"inactive category (S22)", "category", billing.MsgCategoryInactive, func(in *billing.Input) { in.Category = opt.Of(oldCat.ID) }},
			{"missing notes", "notes", apperr.MsgRequired, func(in *billing.Input) { in.Notes = opt.Opt[string]{} }},
			{"blank notes", "notes", apperr.MsgBlank, func(in *billing.Input) { in.Notes = opt.Of("") }},
			{"long notes", "notes", "Ensure this field has no more than 500 characters.", func(in *billing.Input) { in.Notes = opt.Of(strings.Repeat("n", 501)) }},
			{"long reference", "reference", "Ensure this field has no more than 255 characters.", func(in *billing.Input) { in.Reference = opt.Of(strings.Repeat("r", 256)) }},
			{"bad due date", "due_at", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.", func(in *billing.Input) { in.DueAt = opt.Of("25/06/2025") }},
			{"missing issue date", "issued_at", apperr.MsgRequired, func(in *billing.Input) { in.IssuedAt = opt.Opt[string]{} }},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				in := w.input("2025-07-10")
				tc.in(&in)
				_, err := w.svc.Create(ctx, w.owner, billing.Receivable, in)
				if got := fieldErr(err, tc.field); got != tc.msg {
					t.Fatalf("got %v; want %q under %s", err, tc.msg, tc.field)
				}
			})
		}
		if ps := w.all(t, billing.Receivable); len(ps) != 0 {
			t.Fatalf("refused payments were written: %v", ps)
		}
		// Fields of other recurrences are ignored (S25); null recurrence means once (S36).
		in := w.input("2025-07-10")
		in.Recurrence, in.DueDayOfMonth, in.DueWeekday, in.InstallmentCount = opt.Null[string](), opt.Of[int64](99), opt.Of("funday"), opt.Of[int64](-1)
		p := w.create(t, in)
		if p.Recurrence != billing.Once || p.DueDayOfMonth != nil || p.DueWeekday != nil || p.InstallmentCount != nil {
			t.Fatalf("ignored fields were stored: %+v", p)
		}
		// A supplier may be a receivable's contact, and a customer a payable's (§2.6).
		in = w.input("2025-07-10")
		in.Contact = opt.Of(w.supp.ID)
		if p := w.create(t, in); p.ContactName != "Fornecedora Ltda" {
			t.Fatalf("contact name %q", p.ContactName)
		}
		must(w.svc.Create(ctx, w.member, billing.Payable, w.input("2025-07-10")))(t)
	})
}

// TestUpdate: outstanding = total − paid and the status re-derived (defect 15), kinds kept apart
// (defect 17), recurrences fixed once created.
func TestUpdate(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		// §5: an installment payment of 1000 shows 1000 outstanding, 50 after PATCH total 50.
		in := w.input("2025-07-25")
		in.Total, in.Recurrence, in.InstallmentCount, in.DueDayOfMonth = opt.Of[money.Cents](100000), opt.Of("installments"), opt.Of[int64](3), opt.Of[int64](5)
		p := w.create(t, in)
		if p.Outstanding() != 100000 {
			t.Fatalf("outstanding %s", p.Outstanding())
		}
		p = must(w.svc.Update(ctx, w.member, billing.Receivable, p.ID, billing.Input{Total: opt.Of[money.Cents](5000)}))(t)
		if p.Outstanding() != 5000 || p.Total != 5000 || p.Status != billing.Pending {
			t.Fatalf("after PATCH total 50: %+v", p)
		}
		// What was paid stays paid.
		must(w.settle(billing.Receivable, p.ID, 2500))(t)
		p = must(w.svc.Update(ctx, w.owner, billing.Receivable, p.ID, billing.Input{Total: opt.Of[money.Cents](20000)}))(t)
		if p.Paid != 2500 || p.Outstanding() != 17500 || p.Status != billing.PartiallyPaid {
			t.Fatalf("after PATCH total 200 with 25 paid: %+v", p)
		}
		_, err := w.svc.Update(ctx, w.owner, billing.Receivable, p.ID, billing.Input{Total: opt.Of[money.Cents](2000)})
		if fieldErr(err, "total_amount") != "Ensure this value is greater than or equal to the amount paid (25.00)." {
			t.Fatalf("total below the amount paid: %v", err)
		}
		p = must(w.svc.Update(ctx, w.owner, billing.Receivable, p.ID, billing.Input{Total: opt.Of[money.Cents](2500)}))(t)
		if p.Status != billing.Paid || p.PaidAt == nil || *p.PaidAt != "2025-06-25" || p.Outstanding() != 0 {
			t.Fatalf("total lowered to the amount paid: %+v", p)
		}
		p = must(w.svc.Update(ctx, w.owner, billing.Receivable, p.ID, billing.Input{Total: opt.Of[money.Cents](3000), DueAt: opt.Of("2025-06-24")}))(t)
		if p.Status != billing.Overdue || p.PaidAt != nil {
			t.Fatalf("total raised and due date moved before today: %+v", p)
		}
		if st := w.stored(t, w.owner.BusinessID, p.ID); st.Status != billing.Overdue || !st.UpdatedAt.Equal(w.clock.Now()) {
			t.Fatalf("stored %+v", st)
		}
		// Other fields, references and the fixed recurrence.
		p = must(w.svc.Update(ctx, w.owner, billing.Receivable, p.ID, billing.Input{Contact: opt.Of(w.supp.ID),
			Category: opt.Of(w.category.ID), Notes: opt.Of("New notes"), Reference: opt.Of("R-2"), Recurrence: opt.Of("once"),
			InstallmentCount: opt.Of[int64](0), DueDayOfMonth: opt.Of[int64](5)}))(t)
		if p.ContactName != "Fornecedora Ltda" || *p.CategoryName != "Vendas" || p.Notes != "New notes" || *p.Reference != "R-2" {
			t.Fatalf("patched %+v", p)
		}
		p = must(w.svc.Update(ctx, w.owner, billing.Receivable, p.ID, billing.Input{Category: opt.Null[string](), Reference: opt.Null[string]()}))(t)
		if p.CategoryID != nil || p.CategoryName != nil || p.Reference != nil {
			t.Fatalf("cleared %+v", p)
		}
		for name, in := range map[string]billing.Input{
			"recurrence":        {Recurrence: opt.Of("monthly")},
			"installment_count": {InstallmentCount: opt.Of[int64](4)},
			"due_day_of_month":  {DueDayOfMonth: opt.Null[int64]()},
			"due_weekday":       {DueWeekday: opt.Of("monday")},
		} {
			if got := fieldErr(errOf(w.svc.Update(ctx, w.owner, billing.Receivable, p.ID, in)), name); got != billing.MsgRecurrenceFixed {
				t.Errorf("PATCH %s: %q", name, got)
			}
		}
		for name, in := range map[string]billing.Input{
			"contact":      {Contact: opt.Of(w.otherCustomer.ID)},
			"category":     {Category: opt.Of(w.otherCategory.ID)},
			"total_amount": {Total: opt.Of[money.Cents](0)},
			"notes":        {Notes: opt.Null[string]()},
			"due_at":       {DueAt: opt.Null[string]()},
		} {
			if got := fieldErr(errOf(w.svc.Update(ctx, w.owner, billing.Receivable, p.ID, in)), name); got == "" {
				t.Errorf("PATCH %s accepted", name)
			}
		}
		wantKind(t, errOf(w.svc.Update(ctx, w.owner, billing.Payable, p.ID, billing.Input{Notes: opt.Of("x")})), apperr.NotFound, billing.MsgPayableNotFound)
		wantKind(t, errOf(w.svc.Update(ctx, w.other, billing.Receivable, p.ID, billing.Input{Notes: opt.Of("x")})), apperr.NotFound, billing.MsgReceivableNotFound)
		wantKind(t, errOf(w.svc.Payment(ctx, w.owner, billing.Payable, p.ID)), apperr.NotFound, billing.MsgPayableNotFound)
		wantKind(t, errOf(w.svc.Payment(ctx, w.other, billing.Receivable, p.ID)), apperr.NotFound, billing.MsgReceivableNotFound)
	})
}

// TestDelete: hard delete; 409 while a transaction settles the payment (defect 22); the other
// kind and other businesses are not found (defect 17).
func TestDelete(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		p := w.create(t, w.input("2025-07-10"))
		tx := must(w.settle(billing.Receivable, p.ID, 1000))(t)
		wantKind(t, w.svc.Delete(ctx, w.owner, billing.Receivable, p.ID), apperr.Conflict,
			"Cannot delete receivable because it has associated financial transactions.")
		wantKind(t, w.svc.Delete(ctx, w.owner, billing.Payable, p.ID), apperr.NotFound, billing.MsgPayableNotFound)
		wantKind(t, w.svc.Delete(ctx, w.other, billing.Receivable, p.ID), apperr.NotFound, billing.MsgReceivableNotFound)
		must(struct{}{}, w.fin.DeleteTransaction(ctx, w.owner, tx.ID))(t)
		must(struct{}{}, w.svc.Delete(ctx, w.member, billing.Receivable, p.ID))(t)
		wantKind(t, errOf(w.svc.Payment(ctx, w.owner, billing.Receivable, p.ID)), apperr.NotFound, billing.MsgReceivableNotFound)
		q := must(w.svc.Create(ctx, w.owner, billing.Payable, w.input("2025-07-10")))(t)
		must(w.settle(billing.Payable, q.ID, 1000))(t)
		wantKind(t, w.svc.Delete(ctx, w.owner, billing.Payable, q.ID), apperr.Conflict,
			"Cannot delete payable because it has associated financial transactions.")
	})
}

// TestListSearchAndDates: §1.6–§1.7 on payments, scoped to the business and the kind (defect 1
// of contacts does not recur here), dates in the business's zone.
func TestListSearchAndDates(t *testing.T) {
	each(t, func(t *testing.T, w *world) {
		mk := func(a *business.Actor, kind billing.Kind, contact, due, ref, notes string) string {
			in := w.input(due)
			in.Contact, in.Notes = opt.Of(contact), opt.Of(notes)
			if ref != "" {
				in.Reference = opt.Of(ref)
			}
			return must(w.svc.Create(ctx, a, kind, in))(t).ID
		}
		r1 := mk(w.owner, billing.Receivable, w.customer.ID, "2025-06-22", "NF-2025/77", "Aluguel de JUNHO")
		r2 := mk(w.owner, billing.Receivable, w.supp.ID, "2025-06-28", "", "Serviço_prestado 100%")
		r3 := mk(w.owner, billing.Receivable, w.customer.ID, "2025-07-01", "", "Outro")
		p1 := mk(w.owner, billing.Payable, w.supp.ID, "2025-06-25", "", "Compra de junho")
		mk(w.other, billing.Receivable, w.otherCustomer.ID, "2025-06-25", "NF-2025/77", "Aluguel de junho")
		list := func(kind billing.Kind, q billing.Query) []string {
			t.Helper()
			ps, total, err := w.svc.List(ctx, w.member, kind, q, business.Page{Limit: 50})
			if err != nil || total != len(ps) {
				t.Fatalf("%+v: %v (%d of %d)", q, err, len(ps), total)
			}
			var ids []string
			for _, p := range ps {
				ids = append(ids, p.ID)
			}
			return ids
		}
		s := func(v string) billing.Query { return billing.Query{Search: opt.Of(v)} }
		tests := []struct {
			name string
			kind billing.Kind
			q    billing.Query
			want []string
		}{
			{"all, in creation order", billing.Receivable, billing.Query{}, []string{r1, r2, r3}},
			{"payables only", billing.Payable, billing.Query{}, []string{p1}},
			{"customer name, folded", billing.Receivable, s("JOÃO"), []string{r1, r3}},
			{"customer alias", billing.Receivable, s("joca"), []string{r1, r3}},
			{"supplier legal name", billing.Receivable, s("fornecedora"), []string{r2}},
			{"supplier trade name", billing.Receivable, s("Loja azul"), []string{r2}},
			{"payable by supplier trade name", billing.Payable, s("azul"), []string{p1}},
			{"reference", billing.Receivable, s("nf-2025/7"), []string{r1}},
			{"notes", billing.Receivable, s("aluguel"), []string{r1}},
			{"notes with LIKE characters", billing.Receivable, s("o_prestado 100%"), []string{r2}},
			{"not the contact's code", billing.Receivable, s("searchme"), nil},
			{"not the customer's cpf", billing.Receivable, s("12345678901"), nil},
			{"not the supplier's cnpj", billing.Receivable, s("98765432"), nil},
			{"a day", billing.Receivable, billing.Query{Date: opt.Of("2025-06-28")}, []string{r2}},
			{"today in Recife", billing.Payable, billing.Query{Date: opt.Of("today")}, []string{p1}},
			{"this week, Sunday to Saturday", billing.Receivable, billing.Query{Date: opt.Of("week")}, []string{r1, r2}},
			{"this month", billing.Receivable, billing.Query{Date: opt.Of("month")}, []string{r1, r2}},
			{"a range", billing.Receivable, billing.Query{StartDate: opt.Of("2025-06-23"), EndDate: opt.Of("2025-07-01")}, []string{r2, r3}},
			{"one end of a range alone", billing.Receivable, billing.Query{StartDate: opt.Of("2025-06-23")}, []string{r1, r2, r3}},
			{"date and range both apply", billing.Receivable, billing.Query{Date: opt.Of("month"), StartDate: opt.Of("2025-06-23"), EndDate: opt.Of("2025-07-31")}, []string{r2}},
			{"disjoint date and range", billing.Receivable, billing.Query{Date: opt.Of("2025-06-22"), StartDate: opt.Of("2025-06-23"), EndDate: opt.Of("2025-07-31")}, nil},
			{"search and date", billing.Receivable, billing.Query{Search: opt.Of("joão"), Date: opt.Of("2025-07-01")}, []string{r3}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				if got := list(tc.kind, tc.q); !slices.Equal(got, tc.want) {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			})
		}
		for q, msg := range map[billing.Query]string{
			s(""):                       business.MsgSearchMissing,
			s("ab"):                     business.MsgSearchShort,
			{Date: opt.Of("yesterday")}: business.MsgDateFormat,
			{Date: opt.Of("2025-6-01")}: business.MsgDateFormat,
			{StartDate: opt.Of("2025-06-01"), EndDate: opt.Of("06/30/2025")}: business.MsgDateFormat,
		} {
			wantKind(t, errOf3(w.svc.List(ctx, w.owner, billing.Receivable, q, business.Page{Limit: 50})), apperr.Invalid, msg)
		}
		if got, _, _ := w.svc.List(ctx, w.other, billing.Receivable, s("fornecedora"), business.Page{Limit: 50}); len(got) != 0 {
			t.Fatalf("the other business finds our supplier's payments: %v", got)
		}
		ps, total, err := w.svc.List(ctx, w.owner, billing.Receivable, billing.Query{}, business.Page{Limit: 2, Offset: 2})
		if err != nil || total != 3 || len(ps) != 1 || ps[0].ID != r3 {
			t.Fatalf("page 2 of 2: %v %d %v", ps, total, err)
		}
	})
}

func errOf3[A, B any](_ A, _ B, err error) error { return err }

func ExampleDerive() {
	fmt.Println(billing.Derive(10000, 2500, "2025-06-24", "2025-06-25"))
	fmt.Println(billing.Derive(10000, 2500, "2025-06-25", "2025-06-25"))
	// Output:
	// overdue
	// partially_paid
}
