package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/budgets"
)

// The Budgets family's tables: budgets, budget_shares, budget_categories, cash_flows. Every
// query on them that takes a user id filters by visibility in SQL (tenancy first): the user
// created the budget or has a share on it.

// budgetVisible is the condition "user $1 can see budget b"; callers bind the user id as $1.
// Use it on a budget row already found by key; to find the budgets themselves use
// visibleBudgetIDs, which both engines answer from indexes instead of scanning every budget.
const budgetVisible = `(b.creator_id = $1 OR EXISTS (SELECT 1 FROM budget_shares vs
	WHERE vs.budget_id = b.id AND vs.user_id = $1))`

// visibleBudgetIDs is the set of ids of the budgets user $1 created or has a share on.
const visibleBudgetIDs = `(SELECT cb.id FROM budgets cb WHERE cb.creator_id = $1
	UNION ALL SELECT sb.budget_id FROM budget_shares sb WHERE sb.user_id = $1)`

// budgetMember selects the budget's creator and the role of user $1 (0 without a share).
const budgetMember = `b.creator_id, COALESCE((SELECT ms.role FROM budget_shares ms
	WHERE ms.budget_id = b.id AND ms.user_id = $1), 0)`

// BudgetsTx runs fn in one write transaction (budgets.Store).
func (db *DB) BudgetsTx(ctx context.Context, fn func(tx budgets.Store) error) error {
	return db.InTx(ctx, func(tx *DB) error { return fn(tx) })
}

// CreateBudget inserts b.
func (db *DB) CreateBudget(ctx context.Context, b *budgets.Budget) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO budgets (id, creator_id, name, description, created_at)
		VALUES ($1, $2, $3, $4, $5)`, b.ID, b.CreatorID, b.Name, b.Description, micros(b.CreatedAt))
	if err != nil {
		return fmt.Errorf("create budget: %w", translate(err))
	}
	return nil
}

// UpdateBudget stores b's name and description.
func (db *DB) UpdateBudget(ctx context.Context, b *budgets.Budget) error {
	_, err := db.write().ExecContext(ctx, `UPDATE budgets SET name = $2, description = $3 WHERE id = $1`,
		b.ID, b.Name, b.Description)
	if err != nil {
		return fmt.Errorf("update budget: %w", translate(err))
	}
	return nil
}

// DeleteBudget deletes a budget; its shares, categories and cash flows go with it (ON DELETE
// CASCADE).
func (db *DB) DeleteBudget(ctx context.Context, id string) error {
	if _, err := db.write().ExecContext(ctx, `DELETE FROM budgets WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete budget: %w", translate(err))
	}
	return nil
}

// VisibleBudget returns a budget the user can see, with the user's membership (budgets.Store).
func (db *DB) VisibleBudget(ctx context.Context, budgetID, userID string, lock bool) (*budgets.Budget, budgets.Membership, error) {
	q := `SELECT b.id, b.creator_id, b.name, b.description, b.created_at, ` + budgetMember + `
		FROM budgets b WHERE b.id = $2 AND ` + budgetVisible
	if lock {
		q += db.dialect.forUpdate
	}
	var b budgets.Budget
	var m budgets.Membership
	var created int64
	err := db.read().QueryRowContext(ctx, q, userID, budgetID).Scan(&b.ID, &b.CreatorID, &b.Name, &b.Description,
		&created, &m.CreatorID, &m.Role)
	if err != nil {
		return nil, m, fmt.Errorf("budget %s: %w", budgetID, translate(err))
	}
	b.CreatedAt = fromMicros(created)
	return &b, m, nil
}

// BudgetDetail returns a budget the user can see with its creator, its shares (newest first)
// and its stored totals, in one statement (budgets.Store): one row per share, or one row with
// no share. The detail's reads were five round trips on PostgreSQL (issue 6).
func (db *DB) BudgetDetail(ctx context.Context, budgetID, userID string) (*budgets.DetailRecord, error) {
	// A row per share, each repeating the budget and its creator: only the creator's columns
	// the detail shows are read (all of a user's, on the 16 rows of the bench's hot budget, were
	// a fifth of the route's CPU on PostgreSQL; issue 6).
	rows, err := db.read().QueryContext(ctx, `SELECT u.id, u.username, u.email,
		b.id, b.creator_id, b.name, b.description, b.created_at, b.incomes, b.expenses,
		sh.id, sh.user_id, su.username, su.email, sh.role, sh.created_at
		FROM budgets b JOIN users u ON u.id = b.creator_id
		LEFT JOIN budget_shares sh ON sh.budget_id = b.id LEFT JOIN users su ON su.id = sh.user_id
		WHERE b.id = $2 AND `+budgetVisible+` ORDER BY sh.id DESC`, userID, budgetID)
	if err != nil {
		return nil, fmt.Errorf("budget %s: %w", budgetID, err)
	}
	defer rows.Close()
	var d *budgets.DetailRecord
	for rows.Next() {
		var b budgets.Budget
		var t budgets.Totals
		var creator auth.User
		var created int64
		var username, shID, shUser, shUsername, shEmail sql.NullString
		var shRole, shCreated sql.NullInt64
		err := rows.Scan(&creator.ID, &username, &creator.Email, &b.ID, &b.CreatorID, &b.Name, &b.Description, &created,
			&t.Incomes, &t.Expenses, &shID, &shUser, &shUsername, &shEmail, &shRole, &shCreated)
		if err != nil {
			return nil, fmt.Errorf("budget %s: %w", budgetID, translate(err))
		}
		if d == nil {
			if username.Valid {
				creator.Username = &username.String
			}
			b.CreatedAt = fromMicros(created)
			d = &budgets.DetailRecord{Budget: b, Creator: creator, Shares: []budgets.Share{}, Totals: t}
		}
		if !shID.Valid {
			continue
		}
		sharee := auth.User{Email: shEmail.String}
		if shUsername.Valid {
			sharee.Username = &shUsername.String
		}
		d.Shares = append(d.Shares, budgets.Share{ID: shID.String, BudgetID: b.ID, UserID: shUser.String,
			Username: sharee.DisplayName(), Role: budgets.Role(shRole.Int64), CreatedAt: fromMicros(shCreated.Int64)})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("budget %s: %w", budgetID, err)
	}
	if d == nil {
		return nil, fmt.Errorf("budget %s: %w", budgetID, translate(sql.ErrNoRows))
	}
	return d, nil
}

// ListBudgets lists the budgets user created or has a share on, newest first, and their count.
func (db *DB) ListBudgets(ctx context.Context, userID string, p budgets.Page) ([]budgets.Budget, int, error) {
	return budgetsPage(ctx, db, "budgets", "", `FROM budgets b WHERE b.id IN `+visibleBudgetIDs,
		`b.id, b.creator_id, b.name, b.description, b.created_at`, `b.id`, []any{userID}, p, scanBudget)
}

func scanBudget(sc budgetRow) (budgets.Budget, error) {
	var b budgets.Budget
	var created int64
	err := sc.Scan(&b.ID, &b.CreatorID, &b.Name, &b.Description, &created)
	b.CreatedAt = fromMicros(created)
	return b, err
}

type budgetRow interface{ Scan(dest ...any) error }

// budgetsPage returns one page of "SELECT columns from" ordered by orderBy descending (newest
// first, conventions S6) and the count of all its rows: count, a query with the same arguments,
// or "SELECT COUNT(*) from" when count is "". Both come from one statement (page.go). from binds
// args as $1…$n; the page is bound after.
func budgetsPage[T any](ctx context.Context, db *DB, what, count, from, columns, orderBy string, args []any,
	p budgets.Page, scan func(budgetRow) (T, error)) ([]T, int, error) {
	if count == "" {
		count = `SELECT COUNT(*) ` + from
	}
	list := fmt.Sprintf(`SELECT %s %s ORDER BY %s DESC`, columns, from, orderBy)
	out, n, err := bizPage(ctx, db, count, list, args, p.Limit, p.Offset,
		func(sc interface{ Scan(...any) error }) (T, error) { return scan(sc) })
	if err != nil {
		return nil, 0, fmt.Errorf("list %s: %w", what, err)
	}
	if out == nil {
		out = []T{}
	}
	return out, n, nil
}

// BudgetTotals returns a budget's stored incomes and expenses, less the cash flow exceptFlowID;
// Total is left to the domain. The sums are kept by every cash-flow write, never scanned.
func (db *DB) BudgetTotals(ctx context.Context, budgetID, exceptFlowID string) (budgets.Totals, error) {
	var t budgets.Totals
	err := db.read().QueryRowContext(ctx, `SELECT
		b.incomes - COALESCE((SELECT f.amount FROM cash_flows f WHERE f.id = $2 AND f.budget_id = b.id AND f.type = $3), 0),
		b.expenses - COALESCE((SELECT f.amount FROM cash_flows f WHERE f.id = $2 AND f.budget_id = b.id AND f.type = $4), 0)
		FROM budgets b WHERE b.id = $1`,
		budgetID, exceptFlowID, int(budgets.Income), int(budgets.Expense)).Scan(&t.Incomes, &t.Expenses)
	if err != nil {
		return t, fmt.Errorf("budget totals %s: %w", budgetID, err)
	}
	return t, nil
}

var _ budgets.Store = (*DB)(nil)
