package business_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/opt"
	"github.com/bursar/bursar/internal/password"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

var ctx = context.Background()

const pw = "Plenty-of-42-entropy"

// world is a business with its owner and a member with access, another business, a user who
// is neither owner nor member, and an owner without a business.
type world struct {
	db                   *sqlstore.DB
	auth                 *auth.Service
	svc                  *business.Service
	clock                *clock.Fixed
	owner, other, plain  *auth.User
	idle                 *auth.User
	memberUser           *auth.User
	member               *business.Member
	biz, otherBiz        *business.Business
	ownerActor, mbrActor *business.Actor
}

func each(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Helper()
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := clock.NewFixed(time.Date(2025, 6, 25, 1, 30, 0, 0, time.UTC))
		a, err := auth.NewService(db, auth.Config{Secret: bytes.Repeat([]byte("k"), 32), AccessTTL: time.Hour,
			RefreshTTL: time.Hour, Argon: password.Params{MemoryKiB: 64, Time: 1, Threads: 1}}, clk,
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		w := &world{db: db, auth: a, clock: clk, svc: business.NewService(db, a, clk, time.UTC)}
		w.owner = w.signUp(t, "olivia")
		w.other = w.signUp(t, "oscar")
		w.idle = w.signUp(t, "ivan")
		w.plain = must(a.Register(ctx, auth.RegisterInput{Username: opt.Of("paula"), Password: opt.Of(pw)}))(t)
		w.biz = must(w.svc.CreateBusiness(ctx, w.owner, bizInput("11111111000111", "America/Recife")))(t)
		w.otherBiz = must(w.svc.CreateBusiness(ctx, w.other, bizInput("22222222000122", "")))(t)
		w.ownerActor = must(w.svc.Authorize(ctx, w.owner, business.NeedOwnerBusiness))(t)
		w.member = must(w.svc.CreateMember(ctx, w.ownerActor, business.MemberInput{Name: opt.Of("Mark"),
			Phone: opt.Of("81999990000"), Email: opt.Of("mark@example.com"), HasAccess: opt.Of(true), Password: opt.Of(pw)}))(t)
		w.memberUser = must(db.UserByID(ctx, *w.member.CredentialID))(t)
		w.mbrActor = must(w.svc.Authorize(ctx, w.memberUser, business.NeedStaff))(t)
		fn(t, w)
	})
}

func (w *world) signUp(t *testing.T, name string) *auth.User {
	t.Helper()
	return must(w.svc.SignUp(ctx, auth.SignUpInput{Name: opt.Of(name), Email: opt.Of(name + "@example.com"),
		Username: opt.Of(name), Password: opt.Of(pw)}))(t)
}

func bizInput(cnpj, zone string) business.BusinessInput {
	in := business.BusinessInput{LegalName: opt.Of("Acme " + cnpj), TradeName: opt.Of("Acme"), CNPJ: opt.Of(cnpj)}
	if zone != "" {
		in.Timezone = opt.Of(zone)
	}
	return in
}

// must returns a function that fails the test on err and otherwise returns v.
func must[T any](v T, err error) func(t *testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}
