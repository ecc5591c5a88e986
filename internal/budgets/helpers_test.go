package budgets_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/opt"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

var ctx = context.Background()

// world is a budget with one user of each kind: its creator, an editor, a read-only sharee and
// a stranger.
type world struct {
	db                                *sqlstore.DB
	svc                               *budgets.Service
	creator, editor, reader, stranger *auth.User
	budget                            *budgets.Budget
	editorShare, readerShare          *budgets.Share
}

func each(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Helper()
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		w := &world{db: db, svc: budgets.NewService(db, clock.NewFixed(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)))}
		w.creator = newUser(t, db, "alice")
		w.editor = newUser(t, db, "bob")
		w.reader = newUser(t, db, "carol")
		w.stranger = newUser(t, db, "mallory")
		w.budget = must(w.svc.CreateBudget(ctx, w.creator.ID, budgets.BudgetInput{Name: opt.Of("Home")}))(t)
		w.editorShare = must(w.svc.CreateShare(ctx, w.creator.ID, budgets.ShareInput{
			Budget: opt.Of(w.budget.ID), SharedWith: opt.Of("bob"), Role: opt.Of[int64](1)}))(t)
		w.readerShare = must(w.svc.CreateShare(ctx, w.creator.ID, budgets.ShareInput{
			Budget: opt.Of(w.budget.ID), SharedWith: opt.Of("carol")}))(t)
		fn(t, w)
	})
}

// newUser creates an active user with that username and the e-mail <name>@example.com.
func newUser(t *testing.T, db *sqlstore.DB, name string) *auth.User {
	t.Helper()
	u := &auth.User{ID: id.New(), Username: &name, Email: name + "@example.com", PasswordHash: "!",
		IsActive: true, CreatedAt: time.Now()}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
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

// wantKind fails unless err is an *apperr.Error of kind k (k == 0 means "no error").
func wantKind(t *testing.T, err error, k apperr.Kind) {
	t.Helper()
	if k == apperr.Internal {
		if err != nil {
			t.Fatalf("err = %v, want none", err)
		}
		return
	}
	e, ok := apperr.As(err)
	if !ok || e.Kind != k {
		t.Fatalf("err = %v (%T), want kind %d", err, err, k)
	}
}

// wantFields fails unless err is Invalid with exactly these field messages.
func wantFields(t *testing.T, err error, want map[string][]string) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Kind != apperr.Invalid {
		t.Fatalf("err = %v, want Invalid %v", err, want)
	}
	if !reflect.DeepEqual(e.Fields, want) {
		t.Fatalf("fields = %v, want %v", e.Fields, want)
	}
}

// flow creates a cash flow as user, failing the test on error.
func (w *world) flow(t *testing.T, userID, budgetID string, amount string, typ int64, category *string) *budgets.CashFlow {
	t.Helper()
	c, err := money.Parse(amount)
	if err != nil {
		t.Fatal(err)
	}
	in := budgets.CashFlowInput{Budget: opt.Of(budgetID), Amount: opt.Of(c), Name: opt.Of("flow"), Type: opt.Of(typ)}
	if category != nil {
		in.Category = opt.Of(*category)
	}
	return must(w.svc.CreateCashFlow(ctx, userID, in))(t)
}

// category creates a category as user, failing the test on error.
func (w *world) category(t *testing.T, userID, budgetID, name string) *budgets.Category {
	t.Helper()
	return must(w.svc.CreateCategory(ctx, userID, budgets.CategoryInput{Budget: opt.Of(budgetID), Name: opt.Of(name)}))(t)
}

func cents(t *testing.T, s string) money.Cents {
	t.Helper()
	c, err := money.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// none as a wanted kind means "no error".
const none = apperr.Internal
