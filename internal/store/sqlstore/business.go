package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
)

// The Business family's core tables: owners, businesses, members, contacts. Every query on
// tenant data takes the business id and filters by it in SQL (tenancy first).

// BusinessTx runs fn in one write transaction (business.Store).
func (db *DB) BusinessTx(ctx context.Context, fn func(tx business.Store) error) error {
	return db.InTx(ctx, func(tx *DB) error { return fn(tx) })
}

// bizStr reads a nullable text column.
func bizStr(n sql.NullString) *string {
	if !n.Valid {
		return nil
	}
	s := n.String
	return &s
}

// bizPage runs a counted, paged list: count is "SELECT COUNT(*) FROM ..." and list the rows'
// query without LIMIT/OFFSET; both take args, and the list then its page (dialect.pageClause).
func bizPage[T any](ctx context.Context, db *DB, count, list string, args []any, limit, offset int,
	scan func(interface{ Scan(...any) error }) (T, error)) ([]T, int, error) {
	return bizPageOf(ctx, db, count, nil, list, args, limit, offset, scan)
}

// pageMarker, in a list query given to bizPageCounted, is where its LIMIT and OFFSET go (by
// default, at the end).
const pageMarker = " /*page*/"

// bizPageCounted is bizPage with a count that takes its own arguments.
func bizPageCounted[T any](ctx context.Context, db *DB, count string, countArgs []any, list string, args []any,
	limit, offset int, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, int, error) {
	if countArgs == nil {
		countArgs = []any{}
	}
	return bizPageOf(ctx, db, count, countArgs, list, args, limit, offset, scan)
}

// bizPageOf reads a page and its list's count in one statement (page.go); countArgs nil means the
// count takes list's args.
func bizPageOf[T any](ctx context.Context, db *DB, count string, countArgs []any, list string, args []any,
	limit, offset int, scan func(interface{ Scan(...any) error }) (T, error)) ([]T, int, error) {
	all := append(make([]any, 0, len(args)+len(countArgs)+2), args...)
	inner := count
	if countArgs != nil {
		inner = shiftParams(count, len(args))
		all = append(all, countArgs...)
	}
	page, all := db.dialect.pageClause(all, limit, offset)
	if strings.Contains(list, pageMarker) {
		list = strings.Replace(list, pageMarker, page, 1)
	} else {
		list += page
	}
	q := db.read()
	rows, err := q.QueryContext(ctx, withCount(list, inner), all...)
	if err != nil {
		return nil, 0, fmt.Errorf("list: %w", err)
	}
	defer rows.Close()
	out := make([]T, 0, min(limit, 100))
	var total int
	row := &countedRow{rows: rows, total: &total}
	for rows.Next() {
		v, err := scan(row)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list: %w", err)
	}
	if row.missing {
		return nil, 0, fmt.Errorf("list: %w", apperr.ErrNotFound())
	}
	if len(out) > 0 {
		return out, total, nil
	}
	if countArgs == nil {
		countArgs = args
	}
	if err := q.QueryRowContext(ctx, count, countArgs...).Scan(&total); err != nil {
		// No row: the count's subject (a budget the caller cannot see) does not exist for them.
		return nil, 0, fmt.Errorf("count: %w", translate(err))
	}
	return nil, total, nil
}

// UserAccess returns the user's owner record, else their member record with access; from the
// session cache while no write to owners, members or businesses has happened since it was read
// (sessioncache.go): one round trip fewer for every Business request on PostgreSQL.
func (db *DB) UserAccess(ctx context.Context, userID string) (*business.Access, error) {
	c := db.sessions
	if c == nil || db.tx != nil {
		return db.userAccess(ctx, userID)
	}
	if a, ok := c.getAccess(userID); ok {
		return a, nil
	}
	epoch := c.epoch.Load()
	a, err := db.userAccess(ctx, userID)
	if err == nil {
		c.putAccess(epoch, userID, a)
	}
	return a, err
}

func (db *DB) userAccess(ctx context.Context, userID string) (*business.Access, error) {
	var a business.Access
	var kind string
	var ref string
	var biz, zone sql.NullString
	var active sql.NullBool
	err := db.read().QueryRowContext(ctx, `
		SELECT 'owner', o.id, o.business_id, b.timezone, b.is_active FROM owners o
			LEFT JOIN businesses b ON b.id = o.business_id WHERE o.user_id = $1
		UNION ALL
		SELECT 'member', m.id, m.business_id, b.timezone, b.is_active FROM members m
			JOIN businesses b ON b.id = m.business_id
			WHERE m.credential_id = $1 AND m.is_active AND m.has_access
		ORDER BY 1 DESC LIMIT 1`, userID).Scan(&kind, &ref, &biz, &zone, &active)
	if err != nil {
		return nil, fmt.Errorf("access of %s: %w", userID, translate(err))
	}
	a.Owner = kind == "owner"
	if a.Owner {
		a.OwnerID = ref
	} else {
		a.MemberID = ref
	}
	a.BusinessID, a.Timezone, a.BusinessInactive = bizStr(biz), zone.String, biz.Valid && !active.Bool
	return &a, nil
}

// CreateOwner inserts an owner record.
func (db *DB) CreateOwner(ctx context.Context, o *business.Owner) error {
	defer db.authChanged()
	_, err := db.authExec(ctx, `INSERT INTO owners (id, user_id, business_id, name, email, phone, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, o.ID, o.UserID, nullString(o.BusinessID), nullString(o.Name),
		nullString(o.Email), nullString(o.Phone), micros(o.CreatedAt))
	if err != nil {
		return fmt.Errorf("create owner: %w", translate(err))
	}
	return nil
}

// UpdateOwner stores an owner's business and profile.
func (db *DB) UpdateOwner(ctx context.Context, o *business.Owner) error {
	defer db.authChanged()
	_, err := db.authExec(ctx, `UPDATE owners SET business_id = $2, name = $3, email = $4, phone = $5
		WHERE id = $1`, o.ID, nullString(o.BusinessID), nullString(o.Name), nullString(o.Email), nullString(o.Phone))
	if err != nil {
		return fmt.Errorf("update owner: %w", translate(err))
	}
	return nil
}

// OwnerByUser returns the user's owner record, locked with lock.
func (db *DB) OwnerByUser(ctx context.Context, userID string, lock bool) (*business.Owner, error) {
	q := `SELECT id, user_id, business_id, name, email, phone, created_at FROM owners WHERE user_id = $1`
	if lock {
		q += db.dialect.forUpdate
	}
	var o business.Owner
	var biz, name, email, phone sql.NullString
	var created int64
	err := db.read().QueryRowContext(ctx, q, userID).Scan(&o.ID, &o.UserID, &biz, &name, &email, &phone, &created)
	if err != nil {
		return nil, fmt.Errorf("owner of %s: %w", userID, translate(err))
	}
	o.BusinessID, o.Name, o.Email, o.Phone = bizStr(biz), bizStr(name), bizStr(email), bizStr(phone)
	o.CreatedAt = fromMicros(created)
	return &o, nil
}

// MemberByCredential reports whether the user is some member's login.
func (db *DB) MemberByCredential(ctx context.Context, userID string) (bool, error) {
	var n int
	err := db.read().QueryRowContext(ctx, `SELECT COUNT(*) FROM members WHERE credential_id = $1`, userID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("member of %s: %w", userID, err)
	}
	return n > 0, nil
}

const bizBusinessColumns = `id, legal_name, trade_name, cnpj, ie, im, postcode, city, state, address, phone,
	email, is_active, timezone, created_at`

func bizBusinessArgs(b *business.Business) []any {
	return []any{b.ID, b.LegalName, b.TradeName, b.CNPJ, b.IE, b.IM, b.Postcode, b.City, b.State, b.Address,
		b.Phone, nullString(b.Email), b.IsActive, b.Timezone, micros(b.CreatedAt)}
}

// CreateBusiness inserts a business.
func (db *DB) CreateBusiness(ctx context.Context, b *business.Business) error {
	defer db.authChanged()
	_, err := db.authExec(ctx, `INSERT INTO businesses (`+bizBusinessColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`, bizBusinessArgs(b)...)
	if err != nil {
		return fmt.Errorf("create business: %w", translate(err))
	}
	return nil
}

// UpdateBusiness stores a business's fields (not its creation time).
func (db *DB) UpdateBusiness(ctx context.Context, b *business.Business) error {
	defer db.authChanged()
	_, err := db.authExec(ctx, `UPDATE businesses SET legal_name = $2, trade_name = $3, cnpj = $4,
		ie = $5, im = $6, postcode = $7, city = $8, state = $9, address = $10, phone = $11, email = $12,
		is_active = $13, timezone = $14 WHERE id = $1`, bizBusinessArgs(b)[:14]...)
	if err != nil {
		return fmt.Errorf("update business: %w", translate(err))
	}
	return nil
}

// BusinessByID returns a business.
func (db *DB) BusinessByID(ctx context.Context, id string) (*business.Business, error) {
	var b business.Business
	var email sql.NullString
	var created int64
	err := db.read().QueryRowContext(ctx, `SELECT `+bizBusinessColumns+` FROM businesses WHERE id = $1`, id).Scan(
		&b.ID, &b.LegalName, &b.TradeName, &b.CNPJ, &b.IE, &b.IM, &b.Postcode, &b.City, &b.State, &b.Address,
		&b.Phone, &email, &b.IsActive, &b.Timezone, &created)
	if err != nil {
		return nil, fmt.Errorf("business %s: %w", id, translate(err))
	}
	b.Email, b.CreatedAt = bizStr(email), fromMicros(created)
	return &b, nil
}

// CreateCashAccount creates a business's first financial account.
func (db *DB) CreateCashAccount(ctx context.Context, accountID, businessID, name string, at time.Time) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO finance_accounts (id, business_id, name, balance, is_active, created_at)
		VALUES ($1, $2, $3, 0, TRUE, $4)`, accountID, businessID, name, micros(at))
	if err != nil {
		return fmt.Errorf("create cash account: %w", translate(err))
	}
	return nil
}

var _ business.Store = (*DB)(nil)
