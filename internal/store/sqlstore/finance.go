package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/money"
)

// The Business family's finance tables: finance_accounts, finance_categories and (in
// finance_transactions.go) finance_transactions. Every query takes the business id.

// FinanceTx runs fn in one write transaction (finance.Store).
func (db *DB) FinanceTx(ctx context.Context, fn func(tx finance.Store) error) error {
	return db.InTx(ctx, func(tx *DB) error { return fn(tx) })
}

const finAccountColumns = `id, business_id, name, balance, is_active, created_at`

func scanFinAccount(sc interface{ Scan(...any) error }) (finance.Account, error) {
	var a finance.Account
	var balance, created int64
	if err := sc.Scan(&a.ID, &a.BusinessID, &a.Name, &balance, &a.IsActive, &created); err != nil {
		return a, translate(err)
	}
	a.Balance, a.CreatedAt = money.Cents(balance), fromMicros(created)
	return a, nil
}

// CreateFinanceAccount inserts an account.
func (db *DB) CreateFinanceAccount(ctx context.Context, a *finance.Account) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO finance_accounts (`+finAccountColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6)`, a.ID, a.BusinessID, a.Name, int64(a.Balance), a.IsActive, micros(a.CreatedAt))
	if err != nil {
		return fmt.Errorf("create account: %w", translate(err))
	}
	return nil
}

// UpdateFinanceAccount stores an account's name and is_active.
func (db *DB) UpdateFinanceAccount(ctx context.Context, a *finance.Account) error {
	_, err := db.write().ExecContext(ctx, `UPDATE finance_accounts SET name = $3, is_active = $4
		WHERE id = $1 AND business_id = $2`, a.ID, a.BusinessID, a.Name, a.IsActive)
	if err != nil {
		return fmt.Errorf("update account: %w", translate(err))
	}
	return nil
}

// FinanceAccount returns an account of the business, its row locked with lock.
func (db *DB) FinanceAccount(ctx context.Context, businessID, id string, lock bool) (*finance.Account, error) {
	q := `SELECT ` + finAccountColumns + ` FROM finance_accounts WHERE id = $1 AND business_id = $2`
	if lock {
		q += db.dialect.forUpdate
	}
	a, err := scanFinAccount(db.read().QueryRowContext(ctx, q, id, businessID))
	if err != nil {
		return nil, fmt.Errorf("account %s: %w", id, err)
	}
	return &a, nil
}

// ListFinanceAccounts lists a business's accounts by balance, highest first.
func (db *DB) ListFinanceAccounts(ctx context.Context, businessID string, p business.Page) ([]finance.Account, int, error) {
	return bizPage(ctx, db, `SELECT COUNT(*) FROM finance_accounts WHERE business_id = $1`,
		`SELECT `+finAccountColumns+` FROM finance_accounts WHERE business_id = $1 ORDER BY balance DESC, id DESC`,
		[]any{businessID}, p.Limit, p.Offset, scanFinAccount)
}

// AllFinanceAccounts returns every account of a business.
func (db *DB) AllFinanceAccounts(ctx context.Context, businessID string) ([]finance.Account, error) {
	rows, err := db.read().QueryContext(ctx, `SELECT `+finAccountColumns+` FROM finance_accounts
		WHERE business_id = $1 ORDER BY id`, businessID)
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	defer rows.Close()
	var out []finance.Account
	for rows.Next() {
		a, err := scanFinAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddFinanceBalance adds delta to an account's balance and count to its transaction count when
// the balance stays within ±money.Limit, in one statement: the row is locked from here to the
// end of the transaction, so callers run it last (conventions S21).
func (db *DB) AddFinanceBalance(ctx context.Context, accountID string, delta money.Cents, count int) (bool, error) {
	return db.addBalance(ctx, accountID, delta, delta, delta, count)
}

// addBalance is AddFinanceBalance for the moves of a batch (recordbatch.go), whose running totals
// range over [lo, hi]: the balance plus each of them must stay within ±money.Limit. For one
// move lo and hi are delta.
func (db *DB) addBalance(ctx context.Context, accountID string, delta, lo, hi money.Cents, count int) (bool, error) {
	res, err := db.write().ExecContext(ctx, `UPDATE finance_accounts SET balance = balance + $2,
		transaction_count = transaction_count + $5 WHERE id = $1 AND balance + $3 >= $6 AND balance + $4 <= $7`,
		accountID, int64(delta), int64(lo), int64(hi), count, -int64(money.Limit), int64(money.Limit))
	if err != nil {
		return false, fmt.Errorf("add to balance of %s: %w", accountID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("add to balance of %s: %w", accountID, err)
	}
	return n == 1, nil
}

// MoveFinanceAccount implements finance.Store. On PostgreSQL, when the times share one hour
// (always, but for a transaction moved within an account, or a batch that spans an hour's
// end), the balance, the counts and the hour's count change in one statement: the account's
// row lock, taken by the UPDATE, is then held for that statement and the commit only, and a
// hot account's writers queue for one round trip, not two. SQLite runs in process and takes
// the two statements.
func (db *DB) MoveFinanceAccount(ctx context.Context, businessID, accountID string, delta money.Cents, at []time.Time, sign int) (bool, error) {
	return db.moveAccount(ctx, businessID, accountID, delta, delta, delta, at, sign)
}

// moveAccount is MoveFinanceAccount for the moves of a batch, whose running totals range over
// [lo, hi] (addBalance).
func (db *DB) moveAccount(ctx context.Context, businessID, accountID string, delta, lo, hi money.Cents, at []time.Time, sign int) (bool, error) {
	count := sign * len(at)
	if db.dialect.engine == Postgres && len(at) > 0 && sameHour(at) {
		res, err := db.write().ExecContext(ctx, `WITH a AS (UPDATE finance_accounts
			SET balance = balance + $2, transaction_count = transaction_count + $5
			WHERE id = $1 AND balance + $3 >= $8 AND balance + $4 <= $9 RETURNING id)
		INSERT INTO finance_transaction_hours (account_id, business_id, hour, transaction_count)
			SELECT a.id, $6, $7, $5 FROM a
		ON CONFLICT (account_id, hour) DO UPDATE
			SET transaction_count = finance_transaction_hours.transaction_count + excluded.transaction_count`,
			accountID, int64(delta), int64(lo), int64(hi), count, businessID, FinanceHour(at[0]),
			-int64(money.Limit), int64(money.Limit))
		if err != nil {
			return false, fmt.Errorf("move account %s: %w", accountID, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return false, fmt.Errorf("move account %s: %w", accountID, err)
		}
		return n == 1, nil
	}
	ok, err := db.addBalance(ctx, accountID, delta, lo, hi, count)
	if err != nil || !ok {
		return false, err
	}
	// one upsert per hour the times fall in, in order
	hours := map[int64]int{}
	var first []time.Time
	for _, t := range at {
		h := FinanceHour(t)
		if hours[h] == 0 {
			first = append(first, t)
		}
		hours[h]++
	}
	slices.SortFunc(first, time.Time.Compare)
	for _, t := range first {
		if err := db.AddFinanceHourCount(ctx, businessID, accountID, t, sign*hours[FinanceHour(t)]); err != nil {
			return false, err
		}
	}
	return true, nil
}

func sameHour(at []time.Time) bool {
	for _, t := range at[1:] {
		if FinanceHour(t) != FinanceHour(at[0]) {
			return false
		}
	}
	return true
}

// hourMicros is the width of a finance_transaction_hours bucket.
const hourMicros = int64(time.Hour / time.Microsecond)

// FinanceHour is the bucket of finance_transaction_hours a transaction at t counts in: the first
// microsecond of its UTC hour. The bench's direct load computes it with this function too.
func FinanceHour(t time.Time) int64 {
	m := micros(t)
	return m - ((m%hourMicros)+hourMicros)%hourMicros
}

// AddFinanceHourCount adds count to the number of the account's transactions in the UTC hour of
// at; the caller runs it after AddFinanceBalance, whose row lock on the account it relies on.
func (db *DB) AddFinanceHourCount(ctx context.Context, businessID, accountID string, at time.Time, count int) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO finance_transaction_hours (account_id, business_id, hour,
		transaction_count) VALUES ($1, $2, $3, $4) ON CONFLICT (account_id, hour) DO UPDATE
		SET transaction_count = finance_transaction_hours.transaction_count + excluded.transaction_count`,
		accountID, businessID, FinanceHour(at), count)
	if err != nil {
		return fmt.Errorf("hour count of %s: %w", accountID, err)
	}
	return nil
}

const finCategoryColumns = `id, business_id, parent_id, name, is_active, created_at`

func scanFinCategory(sc interface{ Scan(...any) error }) (finance.Category, error) {
	var c finance.Category
	var parent sql.NullString
	var created int64
	if err := sc.Scan(&c.ID, &c.BusinessID, &parent, &c.Name, &c.IsActive, &created); err != nil {
		return c, translate(err)
	}
	c.ParentID, c.CreatedAt = bizStr(parent), fromMicros(created)
	return c, nil
}

// CreateFinanceCategory inserts a category.
func (db *DB) CreateFinanceCategory(ctx context.Context, c *finance.Category) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO finance_categories (`+finCategoryColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6)`, c.ID, c.BusinessID, nullString(c.ParentID), c.Name, c.IsActive, micros(c.CreatedAt))
	if err != nil {
		return fmt.Errorf("create category: %w", translate(err))
	}
	return nil
}

// UpdateFinanceCategory stores a category's parent, name and is_active.
func (db *DB) UpdateFinanceCategory(ctx context.Context, c *finance.Category) error {
	_, err := db.write().ExecContext(ctx, `UPDATE finance_categories SET parent_id = $3, name = $4, is_active = $5
		WHERE id = $1 AND business_id = $2`, c.ID, c.BusinessID, nullString(c.ParentID), c.Name, c.IsActive)
	if err != nil {
		return fmt.Errorf("update category: %w", translate(err))
	}
	return nil
}

// FinanceCategory returns a category of the business.
func (db *DB) FinanceCategory(ctx context.Context, businessID, id string) (*finance.Category, error) {
	c, err := scanFinCategory(db.read().QueryRowContext(ctx, `SELECT `+finCategoryColumns+`
		FROM finance_categories WHERE id = $1 AND business_id = $2`, id, businessID))
	if err != nil {
		return nil, fmt.Errorf("category %s: %w", id, err)
	}
	return &c, nil
}

// ListFinanceCategories lists a business's categories in id order.
func (db *DB) ListFinanceCategories(ctx context.Context, businessID string, p business.Page) ([]finance.Category, int, error) {
	return bizPage(ctx, db, `SELECT COUNT(*) FROM finance_categories WHERE business_id = $1`,
		`SELECT `+finCategoryColumns+` FROM finance_categories WHERE business_id = $1 ORDER BY id`,
		[]any{businessID}, p.Limit, p.Offset, scanFinCategory)
}

// FinanceCategoriesByID returns those of ids that are the business's categories.
func (db *DB) FinanceCategoriesByID(ctx context.Context, businessID string, ids []string) ([]finance.Category, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{businessID}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	rows, err := db.read().QueryContext(ctx, `SELECT `+finCategoryColumns+` FROM finance_categories
		WHERE business_id = $1 AND id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	defer rows.Close()
	var out []finance.Category
	for rows.Next() {
		c, err := scanFinCategory(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FinanceContact returns what a transaction needs of a contact of the business.
func (db *DB) FinanceContact(ctx context.Context, businessID, id string) (*finance.ContactRef, error) {
	var c finance.ContactRef
	err := db.read().QueryRowContext(ctx, `SELECT name, is_active FROM contacts WHERE id = $1 AND business_id = $2`,
		id, businessID).Scan(&c.Name, &c.IsActive)
	if err != nil {
		return nil, fmt.Errorf("contact %s: %w", id, translate(err))
	}
	return &c, nil
}

var _ finance.Store = (*DB)(nil)
