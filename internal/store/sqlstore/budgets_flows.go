package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/money"
)

const categoryColumns = `c.id, c.budget_id, c.name, c.description, c.created_at`

func scanCategory(sc budgetRow, extra ...any) (budgets.Category, error) {
	var c budgets.Category
	var created int64
	err := sc.Scan(append([]any{&c.ID, &c.BudgetID, &c.Name, &c.Description, &created}, extra...)...)
	c.CreatedAt = fromMicros(created)
	return c, err
}

// CreateCategory inserts c.
func (db *DB) CreateCategory(ctx context.Context, c *budgets.Category) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO budget_categories (id, budget_id, name, description, created_at)
		VALUES ($1, $2, $3, $4, $5)`, c.ID, c.BudgetID, c.Name, c.Description, micros(c.CreatedAt))
	if err != nil {
		return fmt.Errorf("create category: %w", translate(err))
	}
	return nil
}

// UpdateCategory stores c's name and description.
func (db *DB) UpdateCategory(ctx context.Context, c *budgets.Category) error {
	_, err := db.write().ExecContext(ctx, `UPDATE budget_categories SET name = $2, description = $3 WHERE id = $1`,
		c.ID, c.Name, c.Description)
	if err != nil {
		return fmt.Errorf("update category: %w", translate(err))
	}
	return nil
}

// DeleteCategory deletes a category; its cash flows lose their category (ON DELETE SET NULL).
func (db *DB) DeleteCategory(ctx context.Context, id string) error {
	if _, err := db.write().ExecContext(ctx, `DELETE FROM budget_categories WHERE id = $1`, id); err != nil {
		return fmt.Errorf("delete category: %w", translate(err))
	}
	return nil
}

// VisibleCategory returns a category of a budget the user can see, with the user's membership.
func (db *DB) VisibleCategory(ctx context.Context, id, userID string) (*budgets.Category, budgets.Membership, error) {
	var m budgets.Membership
	c, err := scanCategory(db.read().QueryRowContext(ctx, `SELECT `+categoryColumns+`, `+budgetMember+`
		FROM budget_categories c JOIN budgets b ON b.id = c.budget_id
		WHERE c.id = $2 AND `+budgetVisible, userID, id), &m.CreatorID, &m.Role)
	if err != nil {
		return nil, m, fmt.Errorf("category %s: %w", id, translate(err))
	}
	return &c, m, nil
}

// CategoryInBudget reports whether the category exists in that budget.
func (db *DB) CategoryInBudget(ctx context.Context, categoryID, budgetID string) (bool, error) {
	var one int
	err := db.read().QueryRowContext(ctx, `SELECT 1 FROM budget_categories WHERE id = $1 AND budget_id = $2`,
		categoryID, budgetID).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("category in budget: %w", err)
	}
	return true, nil
}

// ListCategories lists the categories of the budgets the user can see (of budgetID only, unless
// ""), newest first, and their count.
func (db *DB) ListCategories(ctx context.Context, userID, budgetID string, p budgets.Page) ([]budgets.Category, int, error) {
	from := `FROM budget_categories c WHERE c.budget_id IN ` + visibleBudgetIDs
	args := []any{userID}
	if budgetID != "" {
		from += ` AND c.budget_id = $2`
		args = append(args, budgetID)
	}
	return budgetsPage(ctx, db, "categories", "", from, categoryColumns, "c.id", args, p,
		func(sc budgetRow) (budgets.Category, error) { return scanCategory(sc) })
}

const flowColumns = `f.id, f.budget_id, f.category_id, f.name, f.description, f.amount, f.type, f.created_at`

func scanFlow(sc budgetRow, extra ...any) (budgets.CashFlow, error) {
	var f budgets.CashFlow
	var category sql.NullString
	var created int64
	err := sc.Scan(append([]any{&f.ID, &f.BudgetID, &category, &f.Name, &f.Description, &f.Amount, &f.Type, &created}, extra...)...)
	if category.Valid {
		f.CategoryID = &category.String
	}
	f.CreatedAt = fromMicros(created)
	return f, err
}

// CreateCashFlow inserts f and adds it to its budget's totals and count, unless a total would
// leave ±money.Limit (budgets.ErrTotalsLimit, nothing written) or its category is gone
// (budgets.ErrNoSuchCategory). On PostgreSQL it is one
// statement: the budget's row is locked only by its bounded UPDATE, for one round trip and the
// commit, so concurrent creations in one budget queue for less time (issue 6). On SQLite, whose
// one writer serialises anyway, it is the UPDATE and the INSERT in one transaction.
func (db *DB) CreateCashFlow(ctx context.Context, f *budgets.CashFlow) error {
	inc, exp := flowSums(f.Type, f.Amount)
	args := []any{f.ID, f.BudgetID, nullString(f.CategoryID), f.Name, f.Description, int64(f.Amount), int(f.Type),
		micros(f.CreatedAt), int64(inc), int64(exp), int64(money.Limit), -int64(money.Limit)}
	const bounded = `UPDATE budgets SET incomes = incomes + $9, expenses = expenses + $10,
		cash_flow_count = cash_flow_count + 1
		WHERE id = $2 AND incomes + $9 BETWEEN $12 AND $11 AND expenses + $10 BETWEEN $12 AND $11`
	var n int64
	if db.dialect.engine == Postgres && db.tx == nil {
		leave, err := db.gate.enter(ctx, f.BudgetID) // the budget's row is hot: queue here (rowgate.go)
		if err != nil {
			return fmt.Errorf("create cash flow: %w", err)
		}
		err = db.write().QueryRowContext(ctx, `WITH u AS (`+bounded+` RETURNING id),
			i AS (INSERT INTO cash_flows (id, budget_id, category_id, name, description, amount, type, created_at)
				SELECT $1, u.id, $3, $4, $5, CAST($6 AS BIGINT), CAST($7 AS SMALLINT), CAST($8 AS BIGINT) FROM u RETURNING 1)
			SELECT count(*) FROM i`, args...).Scan(&n)
		leave()
		if err != nil {
			return fmt.Errorf("create cash flow: %w", flowErr(err))
		}
	} else {
		err := db.InTx(ctx, func(tx *DB) error {
			res, err := tx.write().ExecContext(ctx, bounded, args...)
			if err != nil {
				return fmt.Errorf("budget totals %s: %w", f.BudgetID, err)
			}
			if n, err = res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			_, err = tx.write().ExecContext(ctx, `INSERT INTO cash_flows (id, budget_id, category_id, name, description,
				amount, type, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, args[:8]...)
			if err != nil {
				return fmt.Errorf("create cash flow: %w", flowErr(err))
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if n == 1 {
		return nil
	}
	// Nothing was written: the budget is gone, or a total would leave the bound.
	var one int
	err := db.read().QueryRowContext(ctx, `SELECT 1 FROM budgets WHERE id = $1`, f.BudgetID).Scan(&one)
	if err != nil {
		return fmt.Errorf("budget %s: %w", f.BudgetID, translate(err))
	}
	return budgets.ErrTotalsLimit
}

// flowErr translates an error writing a cash flow. Its budget cannot be the missing reference
// (the write holds the budget's row, or never runs without it), so a foreign-key violation means
// its category was deleted after the service checked it.
func flowErr(err error) error {
	if foreignKeyViolation(err) {
		return budgets.ErrNoSuchCategory
	}
	return translate(err)
}

// flowSums is what a cash flow of type t and amount adds to a budget's incomes and expenses.
func flowSums(t budgets.FlowType, amount money.Cents) (inc, exp money.Cents) {
	if t == budgets.Expense {
		return 0, amount
	}
	return amount, 0
}

// addToBudget adds amount to the budget's incomes or expenses and n to its cash-flow count.
func (db *DB) addToBudget(ctx context.Context, budgetID string, t budgets.FlowType, amount money.Cents, n int) error {
	inc, exp := flowSums(t, amount)
	_, err := db.write().ExecContext(ctx, `UPDATE budgets SET incomes = incomes + $2, expenses = expenses + $3,
		cash_flow_count = cash_flow_count + $4 WHERE id = $1`, budgetID, int64(inc), int64(exp), n)
	if err != nil {
		return fmt.Errorf("budget totals %s: %w", budgetID, err)
	}
	return nil
}

// storedFlow reads the amount and type a cash flow has in the database, locking its row.
func (db *DB) storedFlow(ctx context.Context, id string) (budgetID string, t budgets.FlowType, amount money.Cents, err error) {
	err = db.write().QueryRowContext(ctx, `SELECT budget_id, type, amount FROM cash_flows WHERE id = $1`+db.dialect.forUpdate,
		id).Scan(&budgetID, &t, &amount)
	if err != nil {
		err = fmt.Errorf("cash flow %s: %w", id, translate(err))
	}
	return budgetID, t, amount, err
}

// UpdateCashFlow stores f's category, name, description, amount and type (never its budget),
// moving its old amount out of the budget's totals and the new one in.
func (db *DB) UpdateCashFlow(ctx context.Context, f *budgets.CashFlow) error {
	return db.InTx(ctx, func(tx *DB) error {
		budgetID, oldType, oldAmount, err := tx.storedFlow(ctx, f.ID)
		if err != nil {
			return err
		}
		_, err = tx.write().ExecContext(ctx, `UPDATE cash_flows SET category_id = $2, name = $3, description = $4,
			amount = $5, type = $6 WHERE id = $1`,
			f.ID, nullString(f.CategoryID), f.Name, f.Description, int64(f.Amount), int(f.Type))
		if err != nil {
			return fmt.Errorf("update cash flow: %w", flowErr(err))
		}
		if oldType == f.Type && oldAmount == f.Amount {
			return nil
		}
		if err := tx.addToBudget(ctx, budgetID, oldType, -oldAmount, 0); err != nil {
			return err
		}
		return tx.addToBudget(ctx, budgetID, f.Type, f.Amount, 0)
	})
}

// DeleteCashFlow deletes a cash flow and takes it out of its budget's totals and count.
func (db *DB) DeleteCashFlow(ctx context.Context, id string) error {
	return db.InTx(ctx, func(tx *DB) error {
		budgetID, t, amount, err := tx.storedFlow(ctx, id)
		if err != nil {
			return err
		}
		if _, err := tx.write().ExecContext(ctx, `DELETE FROM cash_flows WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete cash flow: %w", translate(err))
		}
		return tx.addToBudget(ctx, budgetID, t, -amount, -1)
	})
}

// VisibleCashFlow returns a cash flow of a budget the user can see, with the user's membership.
func (db *DB) VisibleCashFlow(ctx context.Context, id, userID string) (*budgets.CashFlow, budgets.Membership, error) {
	var m budgets.Membership
	f, err := scanFlow(db.read().QueryRowContext(ctx, `SELECT `+flowColumns+`, `+budgetMember+`
		FROM cash_flows f JOIN budgets b ON b.id = f.budget_id
		WHERE f.id = $2 AND `+budgetVisible, userID, id), &m.CreatorID, &m.Role)
	if err != nil {
		return nil, m, fmt.Errorf("cash flow %s: %w", id, translate(err))
	}
	return &f, m, nil
}

// ListCashFlows lists the cash flows of the budgets the user can see (of budgetID only, unless
// ""), newest first, and their count. The count comes from the budgets' stored cash-flow counts,
// so a budget with a million cash flows costs no scan. A budgetID the user cannot see is
// NotFound, told by the same statement: its count is NULL.
func (db *DB) ListCashFlows(ctx context.Context, userID, budgetID string, p budgets.Page) ([]budgets.CashFlow, int, error) {
	from := `FROM cash_flows f WHERE f.budget_id IN ` + visibleBudgetIDs
	count := `SELECT CAST(COALESCE(SUM(b.cash_flow_count), 0) AS BIGINT) FROM budgets b WHERE b.id IN ` + visibleBudgetIDs
	args := []any{userID}
	if budgetID != "" {
		// The visibility is checked once, by the count: NULL (no row) when the user cannot
		// see the budget, and bizPageOf then answers NotFound, whatever rows the page read.
		from = `FROM cash_flows f WHERE f.budget_id = $2`
		count = `SELECT b.cash_flow_count FROM budgets b WHERE b.id = $2 AND ` + budgetVisible
		args = append(args, budgetID)
	}
	return budgetsPage(ctx, db, "cash flows", count, from, flowColumns, "f.id", args, p,
		func(sc budgetRow) (budgets.CashFlow, error) { return scanFlow(sc) })
}
