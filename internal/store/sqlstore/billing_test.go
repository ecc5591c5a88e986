package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// TestBillingStore: payments round-trip, search looks in the contact's name and alias only (not
// its code, cpf or cnpj, which share its search_key), and every query is the business's.
func TestBillingStore(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBizFixture(t, db)
		now := time.Date(2025, 6, 25, 12, 0, 0, 0, time.UTC)
		code, alias, cpf, cnpj := "CODE-XYZ", "Apelido", "11122233344", "55566677788899"
		cust := &business.Contact{ID: id.New(), BusinessID: f.bizA.ID, Kind: business.CustomerKind, Code: &code,
			Name: "Maria Ávila", Alias: &alias, CPF: &cpf, IsActive: true, CreatedAt: now, UpdatedAt: now}
		supp := &business.Contact{ID: id.New(), BusinessID: f.bizA.ID, Kind: business.SupplierKind, Name: "Atacado Norte",
			CNPJ: &cnpj, IsActive: true, CreatedAt: now, UpdatedAt: now}
		bizOK(t, db.CreateContact(ctx, cust))
		bizOK(t, db.CreateContact(ctx, supp))
		cat := &finance.Category{ID: id.New(), BusinessID: f.bizA.ID, Name: "Rent", IsActive: true, CreatedAt: now}
		bizOK(t, db.CreateFinanceCategory(ctx, cat))
		ref, method, count, day := "NF-9", "boleto", int64(0), int64(31)
		p := &billing.Payment{ID: id.New(), BusinessID: f.bizA.ID, Kind: billing.Receivable, ContactID: cust.ID,
			CategoryID: &cat.ID, IssuedAt: "2025-06-01", DueAt: "2025-06-30", Total: 12345, Status: billing.Pending,
			Method: &method, Recurrence: billing.Once, InstallmentCount: &count, DueDayOfMonth: &day, Reference: &ref,
			Notes: "Mensalidade", CreatedAt: now, UpdatedAt: now}
		bizOK(t, db.CreatePayment(ctx, p))
		q := &billing.Payment{ID: id.New(), BusinessID: f.bizA.ID, Kind: billing.Receivable, ContactID: supp.ID,
			IssuedAt: "2025-06-01", DueAt: "2025-07-15", Total: 100, Status: billing.Pending, Recurrence: billing.Once,
			Notes: "Outra", CreatedAt: now, UpdatedAt: now}
		bizOK(t, db.CreatePayment(ctx, q))
		got, err := db.Payment(ctx, f.bizA.ID, p.ID)
		bizOK(t, err)
		if got.ContactName != "Maria Ávila" || *got.CategoryName != "Rent" || got.Total != 12345 || *got.Method != "boleto" ||
			*got.InstallmentCount != 0 || *got.DueDayOfMonth != 31 || got.DueWeekday != nil || got.PaidAt != nil ||
			!got.CreatedAt.Equal(now) || got.Kind != billing.Receivable || got.Recurrence != billing.Once {
			t.Fatalf("round trip %+v", got)
		}
		if _, err := db.Payment(ctx, f.bizB.ID, p.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Fatalf("payment through another business: %v", err)
		}
		search := func(term string) []string {
			t.Helper()
			ps, total, err := db.ListPayments(ctx, f.bizA.ID, billing.Receivable, billing.Filter{Search: business.Fold(term)}, business.Page{Limit: 50})
			bizOK(t, err)
			if total != len(ps) {
				t.Fatalf("count %d, %d rows", total, len(ps))
			}
			var ids []string
			for _, p := range ps {
				ids = append(ids, p.ID)
			}
			return ids
		}
		for term, want := range map[string][]string{
			"ávila":       {p.ID}, // name
			"apelido":     {p.ID}, // alias
			"atacado":     {q.ID}, // supplier's legal name
			"nf-9":        {p.ID}, // reference
			"mensal":      {p.ID}, // notes
			"code-xyz":    nil,    // contact code
			"11122233344": nil,    // cpf
			"55566677788": nil,    // cnpj
		} {
			if got := search(term); !slices.Equal(got, want) {
				t.Errorf("search %q: %v, want %v", term, got, want)
			}
		}
		ps, total, err := db.ListPayments(ctx, f.bizA.ID, billing.Receivable, billing.Filter{From: "2025-06-30", To: "2025-07-15"}, business.Page{Limit: 50})
		if err != nil || total != 1 || ps[0].ID != p.ID {
			t.Fatalf("due dates in [06-30, 07-15): %v %d %v", ps, total, err)
		}
		if ps, _, _ := db.ListPayments(ctx, f.bizA.ID, billing.Payable, billing.Filter{}, business.Page{Limit: 50}); len(ps) != 0 {
			t.Fatalf("receivables listed as payables: %v", ps)
		}
		// Settled or not, and the refresh bookkeeping.
		settled, err := db.PaymentSettled(ctx, p.ID)
		if err != nil || settled {
			t.Fatalf("settled %v %v", settled, err)
		}
		acc := newAccount(t, db, f.bizA.ID, "A", now)
		bizOK(t, db.CreateFinanceTransactions(ctx, &finance.Transaction{ID: id.New(), BusinessID: f.bizA.ID, Type: finance.Credit,
			Amount: 100, Description: "d", Account: finance.Ref{ID: acc.ID}, Operator: finance.Ref{ID: f.ownerA.ID},
			PaymentID: &p.ID, Timestamp: now}))
		if settled, err := db.PaymentSettled(ctx, p.ID); err != nil || !settled {
			t.Fatalf("settled %v %v", settled, err)
		}
		zones, err := db.OpenZones(ctx)
		if err != nil || !slices.Equal(zones, []string{"UTC"}) {
			t.Fatalf("open zones %v %v", zones, err)
		}
		due, err := db.StatusRefreshesDue(ctx, "UTC", "2025-06-25")
		if err != nil || !slices.Equal(due, []string{f.bizA.ID}) {
			t.Fatalf("due %v %v", due, err)
		}
		bizOK(t, db.MarkStatusRefresh(ctx, f.bizA.ID, "2025-06-25", now))
		bizOK(t, db.MarkStatusRefresh(ctx, f.bizA.ID, "2025-06-25", now)) // an upsert
		if due, _ := db.StatusRefreshesDue(ctx, "UTC", "2025-06-25"); len(due) != 0 {
			t.Fatalf("due after the refresh %v", due)
		}
		if due, _ := db.StatusRefreshesDue(ctx, "UTC", "2025-06-26"); len(due) != 1 {
			t.Fatalf("due the next day %v", due)
		}
		bizOK(t, db.DeletePayment(ctx, f.bizB.ID, q.ID)) // another business's: nothing happens
		if _, err := db.Payment(ctx, f.bizA.ID, q.ID); err != nil {
			t.Fatalf("deleted through another business: %v", err)
		}
	})
}
