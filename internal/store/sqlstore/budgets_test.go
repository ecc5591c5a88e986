package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

func budgetUser(t *testing.T, db *sqlstore.DB, name string, email string) *auth.User {
	t.Helper()
	u := &auth.User{ID: id.New(), Email: email, PasswordHash: "!", IsActive: true, CreatedAt: time.Now()}
	if name != "" {
		u.Username = &name
	}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("create user: %v", err)
	}
	return u
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// budgetFixture is a budget of alice shared with bob (editor) and a nameless user (read-only).
type budgetFixture struct {
	alice, bob, nameless, eve *auth.User
	budget                    *budgets.Budget
	bobShare, namelessShare   *budgets.Share
}

func newBudgetFixture(t *testing.T, db *sqlstore.DB) *budgetFixture {
	ctx := context.Background()
	f := &budgetFixture{
		alice:    budgetUser(t, db, "alice", "alice@example.com"),
		bob:      budgetUser(t, db, "bob", ""),
		nameless: budgetUser(t, db, "", "nameless@example.com"),
		eve:      budgetUser(t, db, "eve", "eve@example.com"),
	}
	created := time.Date(2026, 3, 4, 5, 6, 7, 123456000, time.UTC)
	f.budget = &budgets.Budget{ID: id.New(), CreatorID: f.alice.ID, Name: "Home", Description: "d", CreatedAt: created}
	check(t, db.CreateBudget(ctx, f.budget))
	f.bobShare = &budgets.Share{ID: id.New(), BudgetID: f.budget.ID, UserID: f.bob.ID, Role: budgets.RoleEditor, CreatedAt: created}
	check(t, db.CreateShare(ctx, f.bobShare))
	f.namelessShare = &budgets.Share{ID: id.New(), BudgetID: f.budget.ID, UserID: f.nameless.ID, Role: budgets.RoleReadOnly, CreatedAt: created}
	check(t, db.CreateShare(ctx, f.namelessShare))
	return f
}

func TestVisibleBudget(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBudgetFixture(t, db)
		for _, tc := range []struct {
			name   string
			userID string
			role   budgets.Role
		}{
			{"creator", f.alice.ID, 0},
			{"editor", f.bob.ID, budgets.RoleEditor},
			{"read-only", f.nameless.ID, budgets.RoleReadOnly},
		} {
			t.Run(tc.name, func(t *testing.T) {
				for _, lock := range []bool{false, true} {
					var b *budgets.Budget
					var m budgets.Membership
					err := db.BudgetsTx(ctx, func(tx budgets.Store) error {
						var err error
						b, m, err = tx.VisibleBudget(ctx, f.budget.ID, tc.userID, lock)
						return err
					})
					check(t, err)
					if *b != *f.budget {
						t.Errorf("budget = %+v, want %+v", b, f.budget)
					}
					if m != (budgets.Membership{CreatorID: f.alice.ID, Role: tc.role}) {
						t.Errorf("membership = %+v", m)
					}
				}
			})
		}
		_, _, err := db.VisibleBudget(ctx, f.budget.ID, f.eve.ID, false)
		if !apperr.IsKind(err, apperr.NotFound) {
			t.Errorf("stranger: err = %v, want NotFound", err)
		}
		_, _, err = db.VisibleBudget(ctx, id.New(), f.alice.ID, false)
		if !apperr.IsKind(err, apperr.NotFound) {
			t.Errorf("unknown: err = %v, want NotFound", err)
		}
	})
}

func TestBudgetSharesStore(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBudgetFixture(t, db)
		shares, err := db.BudgetShares(ctx, f.budget.ID)
		check(t, err)
		if len(shares) != 2 || shares[0].ID != f.namelessShare.ID || shares[1].ID != f.bobShare.ID {
			t.Fatalf("shares = %+v, want newest first", shares)
		}
		if shares[0].Username != "nameless@example.com" || shares[1].Username != "bob" {
			t.Errorf("usernames = %q, %q: want e-mail for users without username", shares[0].Username, shares[1].Username)
		}
		if shares[0].CreatedAt != f.namelessShare.CreatedAt || shares[0].Role != budgets.RoleReadOnly {
			t.Errorf("share = %+v", shares[0])
		}
		dup := &budgets.Share{ID: id.New(), BudgetID: f.budget.ID, UserID: f.bob.ID, Role: budgets.RoleReadOnly, CreatedAt: time.Now()}
		err = db.CreateShare(ctx, dup)
		if e, ok := apperr.As(err); !ok || e.Kind != apperr.Invalid || len(e.Fields["non_field_errors"]) != 1 {
			t.Errorf("duplicate share: err = %v, want 400 under non_field_errors", err)
		}
		check(t, db.UpdateShareRole(ctx, f.namelessShare.ID, budgets.RoleEditor))
		sh, m, err := db.VisibleShare(ctx, f.namelessShare.ID, f.bob.ID)
		check(t, err)
		if sh.Role != budgets.RoleEditor || m.Role != budgets.RoleEditor || m.CreatorID != f.alice.ID {
			t.Errorf("share %+v, membership %+v", sh, m)
		}
		if _, _, err := db.VisibleShare(ctx, f.namelessShare.ID, f.eve.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Errorf("stranger: err = %v, want NotFound", err)
		}
		items, n, err := db.ListShares(ctx, f.bob.ID, "", budgets.Page{Limit: 1, Offset: 1})
		check(t, err)
		if n != 2 || len(items) != 1 || items[0].ID != f.bobShare.ID {
			t.Errorf("page 2 = %d %+v", n, items)
		}
		check(t, db.DeleteShare(ctx, f.bobShare.ID))
		if _, _, err := db.VisibleBudget(ctx, f.budget.ID, f.bob.ID, false); !apperr.IsKind(err, apperr.NotFound) {
			t.Errorf("after unsharing: err = %v, want NotFound", err)
		}
	})
}

func TestBudgetTotalsStore(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBudgetFixture(t, db)
		tot, err := db.BudgetTotals(ctx, f.budget.ID, "")
		check(t, err)
		if tot != (budgets.Totals{}) {
			t.Errorf("empty totals = %+v", tot)
		}
		var last string
		for _, fl := range []struct {
			amount int64
			typ    budgets.FlowType
		}{{150000, budgets.Income}, {32050, budgets.Expense}, {1, budgets.Income}, {999_999_999_967_949, budgets.Expense}} {
			cf := &budgets.CashFlow{ID: id.New(), BudgetID: f.budget.ID, Name: "x", Amount: 0, Type: fl.typ, CreatedAt: time.Now()}
			cf.Amount = money.Cents(fl.amount)
			check(t, db.CreateCashFlow(ctx, cf))
			last = cf.ID
		}
		other := &budgets.Budget{ID: id.New(), CreatorID: f.eve.ID, Name: "x", CreatedAt: time.Now()}
		check(t, db.CreateBudget(ctx, other))
		check(t, db.CreateCashFlow(ctx, &budgets.CashFlow{ID: id.New(), BudgetID: other.ID, Name: "x", Amount: 7, Type: budgets.Income, CreatedAt: time.Now()}))

		tot, err = db.BudgetTotals(ctx, f.budget.ID, "")
		check(t, err)
		if tot.Incomes != 150001 || tot.Expenses != money.Limit || tot.Total != 0 {
			t.Errorf("totals = %+v (Total is the domain's)", tot)
		}
		// One more cent of expense would leave the bound: refused, and nothing written.
		over := &budgets.CashFlow{ID: id.New(), BudgetID: f.budget.ID, Name: "x", Amount: 1, Type: budgets.Expense, CreatedAt: time.Now()}
		if err := db.CreateCashFlow(ctx, over); !errors.Is(err, budgets.ErrTotalsLimit) {
			t.Fatalf("a cash flow past the limit: %v, want ErrTotalsLimit", err)
		}
		if _, _, err := db.VisibleCashFlow(ctx, over.ID, f.alice.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Errorf("the refused cash flow was stored: %v", err)
		}
		if again, err := db.BudgetTotals(ctx, f.budget.ID, ""); err != nil || again != tot {
			t.Errorf("totals after a refused cash flow = %+v, %v; want %+v", again, err, tot)
		}
		if err := db.CreateCashFlow(ctx, &budgets.CashFlow{ID: id.New(), BudgetID: id.New(), Name: "x", Amount: 1,
			Type: budgets.Income, CreatedAt: time.Now()}); !apperr.IsKind(err, apperr.NotFound) {
			t.Errorf("a cash flow of a missing budget: %v, want not found", err)
		}
		tot, err = db.BudgetTotals(ctx, f.budget.ID, last)
		check(t, err)
		if tot.Incomes != 150001 || tot.Expenses != 32050 {
			t.Errorf("totals without the last flow = %+v", tot)
		}

		// BudgetDetail reads the same budget, creator, shares and totals in one statement, for
		// the creator and a sharee alike, and nothing for a user without a share.
		want, err := db.BudgetTotals(ctx, f.budget.ID, "")
		check(t, err)
		wantShares, err := db.BudgetShares(ctx, f.budget.ID)
		check(t, err)
		for _, u := range []*auth.User{f.alice, f.bob, f.nameless} {
			d, err := db.BudgetDetail(ctx, f.budget.ID, u.ID)
			check(t, err)
			b, creator := d.Budget, d.Creator
			if b.ID != f.budget.ID || b.Name != "Home" || b.Description != "d" || !b.CreatedAt.Equal(f.budget.CreatedAt) ||
				b.CreatorID != f.alice.ID {
				t.Errorf("detail as %s: budget %+v", u.ID, b)
			}
			if creator.ID != f.alice.ID || creator.Username == nil || *creator.Username != "alice" || creator.Email != "alice@example.com" {
				t.Errorf("detail as %s: creator %+v", u.ID, creator)
			}
			if d.Totals != want {
				t.Errorf("detail as %s: totals %+v, want %+v", u.ID, d.Totals, want)
			}
			if fmt.Sprint(d.Shares) != fmt.Sprint(wantShares) || len(d.Shares) != 2 {
				t.Errorf("detail as %s: shares %+v, want %+v", u.ID, d.Shares, wantShares)
			}
		}
		// A budget without shares has an empty list, not a missing one.
		lone, err := db.BudgetDetail(ctx, other.ID, f.eve.ID)
		check(t, err)
		if lone.Shares == nil || len(lone.Shares) != 0 || lone.Budget.ID != other.ID {
			t.Errorf("detail of a budget without shares: %+v", lone)
		}
		if _, err := db.BudgetDetail(ctx, f.budget.ID, f.eve.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Errorf("detail for a user without a share: %v, want not found", err)
		}
		if _, err := db.BudgetDetail(ctx, id.New(), f.alice.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Errorf("detail of a missing budget: %v, want not found", err)
		}
	})
}

func TestCategoriesAndCashFlowsStore(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBudgetFixture(t, db)
		now := time.Date(2026, 1, 1, 0, 0, 0, 1000, time.UTC)
		c := &budgets.Category{ID: id.New(), BudgetID: f.budget.ID, Name: "Food", Description: "eat", CreatedAt: now}
		check(t, db.CreateCategory(ctx, c))
		cf := &budgets.CashFlow{ID: id.New(), BudgetID: f.budget.ID, CategoryID: &c.ID, Name: "Lunch", Description: "d",
			Amount: 1250, Type: budgets.Expense, CreatedAt: now}
		check(t, db.CreateCashFlow(ctx, cf))

		got, m, err := db.VisibleCashFlow(ctx, cf.ID, f.nameless.ID)
		check(t, err)
		if got.Name != "Lunch" || got.Amount != 1250 || got.Type != budgets.Expense || got.CategoryID == nil ||
			*got.CategoryID != c.ID || !got.CreatedAt.Equal(now) || m.Role != budgets.RoleReadOnly {
			t.Errorf("cash flow %+v, membership %+v", got, m)
		}
		gotC, _, err := db.VisibleCategory(ctx, c.ID, f.alice.ID)
		check(t, err)
		if *gotC != *c {
			t.Errorf("category = %+v, want %+v", gotC, c)
		}
		for _, err := range []error{
			func() error { _, _, err := db.VisibleCashFlow(ctx, cf.ID, f.eve.ID); return err }(),
			func() error { _, _, err := db.VisibleCategory(ctx, c.ID, f.eve.ID); return err }(),
		} {
			if !apperr.IsKind(err, apperr.NotFound) {
				t.Errorf("stranger: err = %v, want NotFound", err)
			}
		}
		in, err := db.CategoryInBudget(ctx, c.ID, f.budget.ID)
		check(t, err)
		out, err := db.CategoryInBudget(ctx, c.ID, id.New())
		check(t, err)
		if !in || out {
			t.Errorf("CategoryInBudget = %v, %v; want true, false", in, out)
		}

		got.CategoryID, got.Name, got.Amount, got.Type = nil, "Dinner", 99, budgets.Income
		check(t, db.UpdateCashFlow(ctx, got))
		got2, _, err := db.VisibleCashFlow(ctx, cf.ID, f.bob.ID)
		check(t, err)
		if *got2 != *got {
			t.Errorf("updated = %+v, want %+v", got2, got)
		}

		got.CategoryID = &c.ID
		check(t, db.UpdateCashFlow(ctx, got))
		check(t, db.DeleteCategory(ctx, c.ID)) // ON DELETE SET NULL, foreign keys on in SQLite
		got2, _, err = db.VisibleCashFlow(ctx, cf.ID, f.bob.ID)
		check(t, err)
		if got2.CategoryID != nil {
			t.Errorf("category = %s after delete, want NULL", *got2.CategoryID)
		}
		// A write naming the deleted category (one the service checked before another request
		// deleted it) is refused with ErrNoSuchCategory, not a database error, and writes nothing.
		before, err := db.BudgetTotals(ctx, f.budget.ID, "")
		check(t, err)
		late := &budgets.CashFlow{ID: id.New(), BudgetID: f.budget.ID, CategoryID: &c.ID, Name: "Late", Amount: 5,
			Type: budgets.Income, CreatedAt: now}
		if err := db.CreateCashFlow(ctx, late); !errors.Is(err, budgets.ErrNoSuchCategory) {
			t.Errorf("a cash flow in a deleted category: %v, want ErrNoSuchCategory", err)
		}
		if _, _, err := db.VisibleCashFlow(ctx, late.ID, f.alice.ID); !apperr.IsKind(err, apperr.NotFound) {
			t.Errorf("the refused cash flow was stored: %v", err)
		}
		moved := *got2
		moved.CategoryID, moved.Amount = &c.ID, 7
		if err := db.UpdateCashFlow(ctx, &moved); !errors.Is(err, budgets.ErrNoSuchCategory) {
			t.Errorf("a cash flow moved into a deleted category: %v, want ErrNoSuchCategory", err)
		}
		if after, err := db.BudgetTotals(ctx, f.budget.ID, ""); err != nil || after != before {
			t.Errorf("totals after refused writes = %+v, %v; want %+v", after, err, before)
		}
		items, n, err := db.ListCashFlows(ctx, f.eve.ID, "", budgets.Page{Limit: 50})
		check(t, err)
		if n != 0 || len(items) != 0 {
			t.Errorf("stranger lists %d cash flows", n)
		}
		// One budget: NotFound for a stranger and for a budget that does not exist, told by the
		// page's own statement; an empty budget the user sees is an empty page, not NotFound.
		for _, c := range []struct{ user, budget string }{{f.eve.ID, f.budget.ID}, {f.alice.ID, id.New()}} {
			if _, _, err := db.ListCashFlows(ctx, c.user, c.budget, budgets.Page{Limit: 50}); !apperr.IsKind(err, apperr.NotFound) {
				t.Errorf("cash flows of budget %s as %s: %v, want NotFound", c.budget, c.user, err)
			}
		}
		empty := &budgets.Budget{ID: id.New(), CreatorID: f.eve.ID, Name: "Empty", CreatedAt: now}
		check(t, db.CreateBudget(ctx, empty))
		if items, n, err := db.ListCashFlows(ctx, f.eve.ID, empty.ID, budgets.Page{Limit: 50}); err != nil || n != 0 || len(items) != 0 {
			t.Errorf("cash flows of an empty budget: %v, %d, %v; want none, 0, nil", items, n, err)
		}

		check(t, db.DeleteBudget(ctx, f.budget.ID)) // cascades
		items, n, err = db.ListCashFlows(ctx, f.alice.ID, "", budgets.Page{Limit: 50})
		check(t, err)
		shares, err := db.BudgetShares(ctx, f.budget.ID)
		check(t, err)
		if n != 0 || len(items) != 0 || len(shares) != 0 {
			t.Errorf("after delete: %d cash flows, %d shares", n, len(shares))
		}
	})
}

func TestListBudgetsStore(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBudgetFixture(t, db)
		var ids []string
		for i := 0; i < 51; i++ {
			b := &budgets.Budget{ID: id.New(), CreatorID: f.bob.ID, Name: "b", CreatedAt: time.Now()}
			check(t, db.CreateBudget(ctx, b))
			ids = append(ids, b.ID)
		}
		page1, n, err := db.ListBudgets(ctx, f.bob.ID, budgets.Page{Limit: 50})
		check(t, err)
		page2, _, err := db.ListBudgets(ctx, f.bob.ID, budgets.Page{Limit: 50, Offset: 50})
		check(t, err)
		if n != 52 || len(page1) != 50 || len(page2) != 2 {
			t.Fatalf("count %d, pages of %d and %d", n, len(page1), len(page2))
		}
		if page1[0].ID != ids[50] || page2[0].ID != ids[0] || page2[1].ID != f.budget.ID {
			t.Errorf("order: first %s, page 2 %s %s", page1[0].ID, page2[0].ID, page2[1].ID)
		}
		cs, n, err := db.ListCategories(ctx, f.bob.ID, f.budget.ID, budgets.Page{Limit: 50})
		check(t, err)
		if n != 0 || cs == nil {
			t.Errorf("categories = %d %#v, want an empty non-nil list", n, cs)
		}
	})
}

// TestCountedPages: the count that rides along with a page (page.go) is the whole list's, on a
// full page, on the last partial page, past the end and for an empty list.
func TestCountedPages(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		f := newBudgetFixture(t, db)
		for i := range 2 {
			check(t, db.CreateBudget(ctx, &budgets.Budget{ID: id.New(), CreatorID: f.alice.ID, Name: fmt.Sprint("B", i),
				CreatedAt: time.Now()}))
		}
		for _, tc := range []struct {
			user          *auth.User
			offset, items int
			total         int
		}{{f.alice, 0, 2, 3}, {f.alice, 2, 1, 3}, {f.alice, 4, 0, 3}, {f.eve, 0, 0, 0}, {f.bob, 0, 1, 1}} {
			got, n, err := db.ListBudgets(ctx, tc.user.ID, budgets.Page{Limit: 2, Offset: tc.offset})
			check(t, err)
			if len(got) != tc.items || n != tc.total {
				t.Errorf("offset %d: %d items of %d, want %d of %d", tc.offset, len(got), n, tc.items, tc.total)
			}
		}
	})
}
