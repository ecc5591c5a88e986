package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bursar/bursar/internal/billing"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/money"
)

// The Business family's receivables and payables: the payments table, and
// payment_status_refreshes, the date each business's statuses were last refreshed for. Every
// query takes the business id.

// BillingTx runs fn in one write transaction (billing.Store).
func (db *DB) BillingTx(ctx context.Context, fn func(tx billing.Store) error) error {
	return db.InTx(ctx, func(tx *DB) error { return fn(tx) })
}

const payColumns = `p.id, p.business_id, p.payment_type, p.contact_id, p.category_id, p.issued_at, p.due_at,
	p.total_amount, p.amount_paid, p.status, p.paid_at, p.payment_method, p.recurrence, p.installment_count,
	p.due_weekday, p.due_day_of_month, p.reference, p.notes, p.created_at, p.updated_at`

// paySelect reads payments with the names of their contact and category.
const paySelect = `SELECT ` + payColumns + `, ct.name, c.name FROM payments p
	JOIN contacts ct ON ct.id = p.contact_id
	LEFT JOIN finance_categories c ON c.id = p.category_id`

// scanPayment reads payColumns, then the contact's and category's names when named.
func scanPayment(sc interface{ Scan(...any) error }, named bool) (billing.Payment, error) {
	var p billing.Payment
	var category, paidAt, method, weekday, ref, catName sql.NullString
	var count, day sql.NullInt64
	var total, paid, created, updated int64
	dest := []any{&p.ID, &p.BusinessID, &p.Kind, &p.ContactID, &category, &p.IssuedAt, &p.DueAt, &total, &paid,
		&p.Status, &paidAt, &method, &p.Recurrence, &count, &weekday, &day, &ref, &p.Notes, &created, &updated}
	if named {
		dest = append(dest, &p.ContactName, &catName)
	}
	if err := sc.Scan(dest...); err != nil {
		return p, translate(err)
	}
	p.CategoryID, p.PaidAt, p.Method, p.DueWeekday = bizStr(category), bizStr(paidAt), bizStr(method), bizStr(weekday)
	p.Reference, p.CategoryName = bizStr(ref), bizStr(catName)
	p.InstallmentCount, p.DueDayOfMonth = nullInt(count), nullInt(day)
	p.Total, p.Paid = money.Cents(total), money.Cents(paid)
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	return p, nil
}

func scanNamedPayment(sc interface{ Scan(...any) error }) (billing.Payment, error) {
	return scanPayment(sc, true)
}

func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

func nullInt64(p *int64) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *p, Valid: true}
}

// paySearchKey is what a search looks in among a payment's own fields: reference and notes,
// lower-cased by the application (like contacts' search_key) so that both engines fold alike.
func paySearchKey(p *billing.Payment) string {
	ref := ""
	if p.Reference != nil {
		ref = *p.Reference
	}
	return business.Fold(ref + "\n" + p.Notes)
}

// CreatePayment inserts a payment.
func (db *DB) CreatePayment(ctx context.Context, p *billing.Payment) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO payments (id, business_id, payment_type, contact_id,
		category_id, issued_at, due_at, total_amount, amount_paid, status, paid_at, payment_method, recurrence,
		installment_count, due_weekday, due_day_of_month, reference, notes, search_key, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)`,
		p.ID, p.BusinessID, string(p.Kind), p.ContactID, nullString(p.CategoryID), p.IssuedAt, p.DueAt,
		int64(p.Total), int64(p.Paid), string(p.Status), nullString(p.PaidAt), nullString(p.Method),
		string(p.Recurrence), nullInt64(p.InstallmentCount), nullString(p.DueWeekday), nullInt64(p.DueDayOfMonth),
		nullString(p.Reference), p.Notes, paySearchKey(p), micros(p.CreatedAt), micros(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("create payment: %w", translate(err))
	}
	return nil
}

// UpdatePayment stores a payment's fields but its kind, business and creation time.
func (db *DB) UpdatePayment(ctx context.Context, p *billing.Payment) error {
	_, err := db.write().ExecContext(ctx, `UPDATE payments SET contact_id = $3, category_id = $4, issued_at = $5,
		due_at = $6, total_amount = $7, amount_paid = $8, status = $9, paid_at = $10, payment_method = $11,
		recurrence = $12, installment_count = $13, due_weekday = $14, due_day_of_month = $15, reference = $16,
		notes = $17, search_key = $18, updated_at = $19
		WHERE id = $1 AND business_id = $2`,
		p.ID, p.BusinessID, p.ContactID, nullString(p.CategoryID), p.IssuedAt, p.DueAt, int64(p.Total),
		int64(p.Paid), string(p.Status), nullString(p.PaidAt), nullString(p.Method), string(p.Recurrence),
		nullInt64(p.InstallmentCount), nullString(p.DueWeekday), nullInt64(p.DueDayOfMonth), nullString(p.Reference),
		p.Notes, paySearchKey(p), micros(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("update payment %s: %w", p.ID, translate(err))
	}
	return nil
}

// LockPayment returns a payment of the business (without names), its row locked until the
// transaction ends (billing.Ledger).
func (db *DB) LockPayment(ctx context.Context, businessID, id string) (*billing.Payment, error) {
	p, err := scanPayment(db.read().QueryRowContext(ctx, `SELECT `+payColumns+` FROM payments p
		WHERE p.id = $1 AND p.business_id = $2`+db.dialect.forUpdate, id, businessID), false)
	if err != nil {
		return nil, fmt.Errorf("lock payment %s: %w", id, err)
	}
	return &p, nil
}

// SetPaymentPaid stores a locked payment's amount paid, status, paid date and updated_at
// (billing.Ledger).
func (db *DB) SetPaymentPaid(ctx context.Context, p *billing.Payment) error {
	_, err := db.write().ExecContext(ctx, `UPDATE payments SET amount_paid = $2, status = $3, paid_at = $4,
		updated_at = $5 WHERE id = $1`, p.ID, int64(p.Paid), string(p.Status), nullString(p.PaidAt), micros(p.UpdatedAt))
	if err != nil {
		return fmt.Errorf("set paid of payment %s: %w", p.ID, err)
	}
	return nil
}

// Payment returns a payment of the business with its contact's and category's names.
func (db *DB) Payment(ctx context.Context, businessID, id string) (*billing.Payment, error) {
	p, err := scanPayment(db.read().QueryRowContext(ctx, paySelect+` WHERE p.id = $1 AND p.business_id = $2`,
		id, businessID), true)
	if err != nil {
		return nil, fmt.Errorf("payment %s: %w", id, err)
	}
	return &p, nil
}

// payContactPatterns are the LIKE patterns matching term (folded) in a contact's name or alias
// only. A contact's search_key is its code, name, alias, cpf and cnpj joined by newlines
// (business.Contact.SearchKey), and a search term holds no newline; so a match preceded by at
// least one newline and followed by at least three lies in the name, and one preceded by at
// least two and followed by at least two lies in the alias.
func payContactPatterns(term string) (name, alias string) {
	t := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(term)
	return "%\n%" + t + "%\n%\n%\n%", "%\n%\n%" + t + "%\n%\n%"
}

// ListPayments lists a business's payments of kind in id order, through the (business_id,
// payment_type, id) index; due dates filter through (business_id, payment_type, due_at).
func (db *DB) ListPayments(ctx context.Context, businessID string, kind billing.Kind, f billing.Filter, p business.Page) ([]billing.Payment, int, error) {
	args := []any{businessID, string(kind)}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	where := ` WHERE p.business_id = $1 AND p.payment_type = $2`
	from := ` FROM payments p`
	if f.Search != "" {
		name, alias := payContactPatterns(f.Search)
		where += ` AND (p.search_key LIKE ` + arg(bizLikeContains(f.Search)) + ` ESCAPE '\' OR ct.search_key LIKE ` +
			arg(name) + ` ESCAPE '\' OR ct.search_key LIKE ` + arg(alias) + ` ESCAPE '\')`
		from += ` JOIN contacts ct ON ct.id = p.contact_id`
	}
	if f.From != "" {
		where += ` AND p.due_at >= ` + arg(f.From) + ` AND p.due_at < ` + arg(f.To)
	}
	return bizPage(ctx, db, `SELECT COUNT(*)`+from+where, paySelect+where+` ORDER BY p.id`,
		args, p.Limit, p.Offset, scanNamedPayment)
}

// DeletePayment deletes a payment of the business.
func (db *DB) DeletePayment(ctx context.Context, businessID, id string) error {
	_, err := db.write().ExecContext(ctx, `DELETE FROM payments WHERE id = $1 AND business_id = $2`, id, businessID)
	if err != nil {
		return fmt.Errorf("delete payment %s: %w", id, translate(err))
	}
	return nil
}

// PaymentSettled reports whether any financial transaction refers to the payment.
func (db *DB) PaymentSettled(ctx context.Context, id string) (bool, error) {
	var one int
	err := db.read().QueryRowContext(ctx, `SELECT 1 FROM finance_transactions WHERE payment_id = $1 LIMIT 1`, id).Scan(&one)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("transactions of payment %s: %w", id, err)
	}
	return true, nil
}

// PaymentContact returns what a payment needs of a customer or supplier of the business.
func (db *DB) PaymentContact(ctx context.Context, businessID, id string) (*billing.Ref, error) {
	return payRef(ctx, db.read(), `SELECT name, is_active FROM contacts WHERE id = $1 AND business_id = $2`, businessID, id)
}

// PaymentCategory returns what a payment needs of a financial category of the business.
func (db *DB) PaymentCategory(ctx context.Context, businessID, id string) (*billing.Ref, error) {
	return payRef(ctx, db.read(), `SELECT name, is_active FROM finance_categories WHERE id = $1 AND business_id = $2`, businessID, id)
}

func payRef(ctx context.Context, q querier, query, businessID, id string) (*billing.Ref, error) {
	var r billing.Ref
	if err := q.QueryRowContext(ctx, query, id, businessID).Scan(&r.Name, &r.IsActive); err != nil {
		return nil, fmt.Errorf("reference %s: %w", id, translate(err))
	}
	return &r, nil
}

// BusinessZone returns a business's time zone name.
func (db *DB) BusinessZone(ctx context.Context, businessID string) (string, error) {
	var z string
	if err := db.read().QueryRowContext(ctx, `SELECT timezone FROM businesses WHERE id = $1`, businessID).Scan(&z); err != nil {
		return "", fmt.Errorf("zone of business %s: %w", businessID, translate(err))
	}
	return z, nil
}

// StaleStatuses returns, locked and in id order, the business's unpaid payments whose stored
// status may differ from the one derived for today, through the (business_id, status, due_at)
// index.
func (db *DB) StaleStatuses(ctx context.Context, businessID, today string) ([]billing.Payment, error) {
	rows, err := db.read().QueryContext(ctx, `SELECT `+payColumns+` FROM payments p
		WHERE p.business_id = $1 AND p.status <> 'paid'
		AND (p.status <> 'overdue' AND p.due_at < $2 OR p.status = 'overdue' AND p.due_at >= $2)
		ORDER BY p.id`+db.dialect.forUpdate, businessID, today)
	if err != nil {
		return nil, fmt.Errorf("stale statuses of %s: %w", businessID, err)
	}
	defer rows.Close()
	var out []billing.Payment
	for rows.Next() {
		p, err := scanPayment(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetPaymentStatus stores a locked payment's status.
func (db *DB) SetPaymentStatus(ctx context.Context, id string, st billing.Status) error {
	if _, err := db.write().ExecContext(ctx, `UPDATE payments SET status = $2 WHERE id = $1`, id, string(st)); err != nil {
		return fmt.Errorf("set status of payment %s: %w", id, err)
	}
	return nil
}

// MarkStatusRefresh records that the business's statuses were refreshed for day.
func (db *DB) MarkStatusRefresh(ctx context.Context, businessID, day string, at time.Time) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO payment_status_refreshes (business_id, day, refreshed_at)
		VALUES ($1, $2, $3) ON CONFLICT (business_id) DO UPDATE SET day = excluded.day,
		refreshed_at = excluded.refreshed_at`, businessID, day, micros(at))
	if err != nil {
		return fmt.Errorf("mark status refresh of %s: %w", businessID, err)
	}
	return nil
}

// payOpen is the condition "the business b has unpaid payments".
const payOpen = `EXISTS (SELECT 1 FROM payments p WHERE p.business_id = b.id AND p.status <> 'paid')`

// OpenZones returns the time zones of the businesses that have unpaid payments.
func (db *DB) OpenZones(ctx context.Context) ([]string, error) {
	return payStrings(ctx, db.read(), `SELECT DISTINCT b.timezone FROM businesses b WHERE `+payOpen+`
		ORDER BY b.timezone`)
}

// StatusRefreshesDue returns the businesses of zone that have unpaid payments and whose last
// status refresh was not for day.
func (db *DB) StatusRefreshesDue(ctx context.Context, zone, day string) ([]string, error) {
	return payStrings(ctx, db.read(), `SELECT b.id FROM businesses b
		LEFT JOIN payment_status_refreshes r ON r.business_id = b.id
		WHERE b.timezone = $1 AND (r.day IS NULL OR r.day <> $2) AND `+payOpen+` ORDER BY b.id`, zone, day)
}

func payStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("status refreshes: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

var _ billing.Store = (*DB)(nil)
