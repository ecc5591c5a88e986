package finance_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
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

// world is a business (owner and member actors) with two accounts, and another business.
type world struct {
	db            *sqlstore.DB
	biz           *business.Service
	svc           *finance.Service
	clock         *clock.Fixed
	owner, member *business.Actor
	other         *business.Actor
	a, b          *finance.Account
	foreign       *finance.Account
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
		w := &world{db: db, clock: clk, biz: business.NewService(db, a, clk, time.UTC), svc: finance.NewService(db, clk)}
		w.owner = w.newBusiness(t, "olivia", "11")
		w.other = w.newBusiness(t, "oscar", "22")
		m := must(w.biz.CreateMember(ctx, w.owner, business.MemberInput{Name: opt.Of("Mark"), Phone: opt.Of("81999990000"),
			Email: opt.Of("mark@example.com"), HasAccess: opt.Of(true)}))(t)
		mu := must(db.UserByID(ctx, *m.CredentialID))(t)
		w.member = must(w.biz.Authorize(ctx, mu, business.NeedStaff))(t)
		w.a = must(w.svc.CreateAccount(ctx, w.owner, finance.AccountInput{Name: opt.Of("A")}))(t)
		w.b = must(w.svc.CreateAccount(ctx, w.owner, finance.AccountInput{Name: opt.Of("B")}))(t)
		w.foreign = must(w.svc.CreateAccount(ctx, w.other, finance.AccountInput{Name: opt.Of("A")}))(t)
		fn(t, w)
	})
}

func (w *world) newBusiness(t *testing.T, name, cnpj string) *business.Actor {
	t.Helper()
	u := must(w.biz.SignUp(ctx, auth.SignUpInput{Name: opt.Of(name), Email: opt.Of(name + "@example.com"),
		Password: opt.Of("Plenty-of-42-entropy")}))(t)
	must(w.biz.CreateBusiness(ctx, u, business.BusinessInput{LegalName: opt.Of(name), TradeName: opt.Of(name), CNPJ: opt.Of(cnpj)}))(t)
	return must(w.biz.Authorize(ctx, u, business.NeedOwnerBusiness))(t)
}

// balance reads an account's stored balance.
func (w *world) balance(t *testing.T, acc *finance.Account) money.Cents {
	t.Helper()
	return must(w.db.FinanceAccount(ctx, acc.BusinessID, acc.ID, false))(t).Balance
}

// tx is a transaction input for tests.
func tx(typ string, amount money.Cents, account string) finance.TransactionInput {
	return finance.TransactionInput{Type: opt.Of(typ), Amount: opt.Of(amount), Description: opt.Of("test"), Account: opt.Of(account)}
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

// fieldErr returns the first message under name of an Invalid error ("" otherwise).
func fieldErr(err error, name string) string {
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid || len(e.Fields[name]) == 0 {
		return ""
	}
	return e.Fields[name][0]
}
