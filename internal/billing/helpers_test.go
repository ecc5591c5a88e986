package billing_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
	"github.com/bursar/bursar/internal/password"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

var ctx = context.Background()

// world is a business in America/Recife (owner and member actors) with a customer, a
// supplier, a category and an account, and another business in UTC with its own customer,
// category and account. The clock starts at 2025-06-25 12:00 UTC (09:00 in Recife).
type world struct {
	db             *sqlstore.DB
	biz            *business.Service
	fin            *finance.Service
	svc            *billing.Service
	clock          *clock.Fixed
	n              int
	owner, member  *business.Actor
	other          *business.Actor
	customer, supp *business.Contact
	category       *finance.Category
	account        *finance.Account
	otherCustomer  *business.Contact
	otherCategory  *finance.Category
	otherAccount   *finance.Account
}

func each(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Helper()
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := clock.NewFixed(time.Date(2025, 6, 25, 12, 0, 0, 0, time.UTC))
		a, err := auth.NewService(db, auth.Config{Secret: bytes.Repeat([]byte("k"), 32), AccessTTL: time.Hour,
			RefreshTTL: time.Hour, Argon: password.Params{MemoryKiB: 64, Time: 1, Threads: 1}}, clk,
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		w := &world{db: db, clock: clk, biz: business.NewService(db, a, clk, time.UTC),
			fin: finance.NewService(db, clk), svc: billing.NewService(db, clk)}
		w.owner = w.newBusiness(t, "America/Recife")
		w.other = w.newBusiness(t, "UTC")
		m := must(w.biz.CreateMember(ctx, w.owner, business.MemberInput{Name: opt.Of("Mark"), Phone: opt.Of("81999990000"),
			Email: opt.Of("mark@example.com"), HasAccess: opt.Of(true)}))(t)
		mu := must(db.UserByID(ctx, *m.CredentialID))(t)
		w.member = must(w.biz.Authorize(ctx, mu, business.NeedStaff))(t)
		w.customer = must(w.biz.CreateContact(ctx, w.owner, business.CustomerKind, business.ContactInput{
			Name: opt.Of("João Silva"), Alias: opt.Of("Joca"), Code: opt.Of("C-SEARCHME"), CPF: opt.Of("12345678901")}))(t)
		w.supp = must(w.biz.CreateContact(ctx, w.owner, business.SupplierKind, business.ContactInput{
			Name: opt.Of("Fornecedora Ltda"), Alias: opt.Of("Loja Azul"), CNPJ: opt.Of("98765432000199")}))(t)
		w.category = must(w.fin.CreateCategory(ctx, w.owner, finance.CategoryInput{Name: opt.Of("Vendas")}))(t)
		w.account = must(w.fin.CreateAccount(ctx, w.owner, finance.AccountInput{Name: opt.Of("Banco")}))(t)
		w.otherCustomer = must(w.biz.CreateContact(ctx, w.other, business.CustomerKind, business.ContactInput{Name: opt.Of("João Silva")}))(t)
		w.otherCategory = must(w.fin.CreateCategory(ctx, w.other, finance.CategoryInput{Name: opt.Of("Vendas")}))(t)
		w.otherAccount = must(w.fin.CreateAccount(ctx, w.other, finance.AccountInput{Name: opt.Of("Banco")}))(t)
		fn(t, w)
	})
}

// newBusiness signs up an owner with a business in zone and returns the owner's actor.
func (w *world) newBusiness(t *testing.T, zone string) *business.Actor {
	t.Helper()
	w.n++
	name := []string{"olivia", "oscar", "otto", "omar", "orla"}[w.n-1]
	u := must(w.biz.SignUp(ctx, auth.SignUpInput{Name: opt.Of(name), Email: opt.Of(name + "@example.com"),
		Password: opt.Of("Plenty-of-42-entropy")}))(t)
	must(w.biz.CreateBusiness(ctx, u, business.BusinessInput{LegalName: opt.Of(name), TradeName: opt.Of(name),
		CNPJ: opt.Of(name), Timezone: opt.Of(zone)}))(t)
	return must(w.biz.Authorize(ctx, u, business.NeedOwnerBusiness))(t)
}

// input is a valid payment body for the customer: 100.00 due on due.
func (w *world) input(due string) billing.Input {
	return billing.Input{Contact: opt.Of(w.customer.ID), IssuedAt: opt.Of("2025-06-01"), DueAt: opt.Of(due),
		Total: opt.Of(money.Cents(10000)), Notes: opt.Of("Invoice")}
}

// create adds a receivable of the owner's business.
func (w *world) create(t *testing.T, in billing.Input) *billing.Payment {
	t.Helper()
	return must(w.svc.Create(ctx, w.owner, billing.Receivable, in))(t)
}

// settle settles amount of a receivable on the account.
func (w *world) settle(kind billing.Kind, id string, amount money.Cents) (*finance.Transaction, error) {
	return w.fin.Settle(ctx, w.member, kind, id, finance.SettleInput{Amount: opt.Of(amount), Account: opt.Of(w.account.ID)})
}

// stored reads a payment's stored row (status as last written, not derived).
func (w *world) stored(t *testing.T, businessID, id string) *billing.Payment {
	t.Helper()
	return must(w.db.Payment(ctx, businessID, id))(t)
}

// balance reads an account's stored balance.
func (w *world) balance(t *testing.T, acc *finance.Account) money.Cents {
	t.Helper()
	return must(w.db.FinanceAccount(ctx, acc.BusinessID, acc.ID, false))(t).Balance
}

func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

func errOf[T any](_ T, err error) error { return err }

// fieldErr returns the first message under name of an Invalid error ("" otherwise).
func fieldErr(err error, name string) string {
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid || len(e.Fields[name]) == 0 {
		return ""
	}
	return e.Fields[name][0]
}

// wantKind fails unless err is an *apperr.Error of kind with message msg ("" for any).
func wantKind(t *testing.T, err error, kind apperr.Kind, msg string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != kind || msg != "" && e.Message != msg {
		t.Fatalf("got %v; want kind %d %q", err, kind, msg)
	}
}
