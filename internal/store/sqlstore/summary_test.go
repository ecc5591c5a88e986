package sqlstore_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/jobs/summary"
	"github.com/bursar/bursar/internal/money"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

func TestSummaryRecipientsAndBudgets(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		optIn := func(name, email string, active bool) string {
			u := budgetUser(t, db, name, email)
			u.GetNotification, u.IsActive = true, active
			check(t, db.UpdateUser(ctx, u))
			return u.ID
		}
		owner := optIn("owner", "owner@example.com", true)
		sharee := optIn("sharee", "sharee@example.com", true)
		noEmail := optIn("noemail", "", true)
		inactive := optIn("inactive", "inactive@example.com", true)
		noBudgets := optIn("nobudgets", "nobudgets@example.com", true)
		optedOut := budgetUser(t, db, "optedout", "optedout@example.com").ID
		budget := func(owner, name string, incomes, expenses int64) string {
			b := &budgets.Budget{ID: id.New(), CreatorID: owner, Name: name, CreatedAt: time.Now()}
			check(t, db.CreateBudget(ctx, b))
			for typ, amount := range map[budgets.FlowType]int64{budgets.Income: incomes, budgets.Expense: expenses} {
				if amount != 0 {
					check(t, db.CreateCashFlow(ctx, &budgets.CashFlow{ID: id.New(), BudgetID: b.ID, Name: "f",
						Amount: money.Cents(amount), Type: typ, CreatedAt: time.Now()}))
				}
			}
			return b.ID
		}
		older := budget(owner, "Older", 100000, 2550)
		shared := budget(sharee, "Shared", 0, 0)
		newer := budget(owner, "Newer", 0, 999)
		check(t, db.CreateShare(ctx, &budgets.Share{ID: id.New(), BudgetID: shared, UserID: owner, Role: budgets.RoleReadOnly, CreatedAt: time.Now()}))
		budget(noEmail, "No e-mail", 1, 1)
		budget(optedOut, "Opted out", 1, 1)
		budget(inactive, "Inactive", 1, 1)
		u, err := db.UserByID(ctx, inactive)
		check(t, err)
		u.IsActive = false
		check(t, db.UpdateUser(ctx, u))

		ids, err := db.SummaryRecipients(ctx)
		check(t, err)
		want := []string{owner, sharee}
		if owner > sharee {
			want = []string{sharee, owner}
		}
		if !reflect.DeepEqual(ids, want) {
			t.Fatalf("recipients = %v, want %v (owner, sharee only)", ids, want)
		}

		got, err := db.SummaryBudgets(ctx, owner)
		check(t, err)
		wantB := []summary.Budget{
			{ID: newer, Name: "Newer", Incomes: 0, Expenses: 999},
			{ID: shared, Name: "Shared"},
			{ID: older, Name: "Older", Incomes: 100000, Expenses: 2550},
		}
		if !reflect.DeepEqual(got, wantB) {
			t.Fatalf("owner's budgets = %+v\nwant %+v", got, wantB)
		}
		if got, err := db.SummaryBudgets(ctx, noBudgets); err != nil || len(got) != 0 {
			t.Fatalf("budgets of a user without any = %v, %v", got, err)
		}
	})
}

func TestSummaryDeliveryRecord(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		u := budgetUser(t, db, "ana", "ana@example.com").ID
		at := time.Date(2026, 6, 1, 19, 0, 0, 0, time.UTC)
		claim := func(day string, want bool) {
			t.Helper()
			ok, err := db.ClaimSummary(ctx, u, day, at)
			check(t, err)
			if ok != want {
				t.Fatalf("claim %s = %v, want %v", day, ok, want)
			}
		}
		claim("2026-06-01", true)
		claim("2026-06-01", false) // claimed, not yet sent
		check(t, db.ReleaseSummary(ctx, u, "2026-06-01"))
		claim("2026-06-01", true) // released: can be tried again
		check(t, db.MarkSummarySent(ctx, u, "2026-06-01", at.Add(time.Second)))
		check(t, db.ReleaseSummary(ctx, u, "2026-06-01")) // a sent record is never released
		claim("2026-06-01", false)
		claim("2026-06-02", true)
		claim("2026-05-01", true)

		check(t, db.PruneSummaries(ctx, "2026-06-01"))
		claim("2026-05-01", true) // pruned
		claim("2026-06-01", false)
		claim("2026-06-02", false)

		var sent int64
		check(t, db.Reader().QueryRowContext(ctx, `SELECT sent_at FROM summary_sends WHERE user_id = $1 AND day = $2`,
			u, "2026-06-01").Scan(&sent))
		if sent != at.Add(time.Second).UnixMicro() {
			t.Fatalf("sent_at = %d, want %d", sent, at.Add(time.Second).UnixMicro())
		}
	})
}
