package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/money"
)

const bizMemberColumns = `m.id, m.business_id, m.credential_id, COALESCE(u.username, ''), m.name, m.cpf,
	m.date_of_birth, m.role, m.hire_date, m.salary, m.phone, m.email, m.has_access, m.is_active, m.created_at`

const bizMemberFrom = ` FROM members m LEFT JOIN users u ON u.id = m.credential_id`

func scanBizMember(sc interface{ Scan(...any) error }) (business.Member, error) {
	var m business.Member
	var cred, cpf, dob, role, hire sql.NullString
	var salary sql.NullInt64
	var created int64
	err := sc.Scan(&m.ID, &m.BusinessID, &cred, &m.CredentialUsername, &m.Name, &cpf, &dob, &role, &hire,
		&salary, &m.Phone, &m.Email, &m.HasAccess, &m.IsActive, &created)
	if err != nil {
		return m, translate(err)
	}
	m.CredentialID, m.CPF, m.DateOfBirth, m.Role, m.HireDate = bizStr(cred), bizStr(cpf), bizStr(dob), bizStr(role), bizStr(hire)
	if salary.Valid {
		c := money.Cents(salary.Int64)
		m.Salary = &c
	}
	m.CreatedAt = fromMicros(created)
	return m, nil
}

func bizNullCents(c *money.Cents) sql.NullInt64 {
	if c == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*c), Valid: true}
}

func bizMemberArgs(m *business.Member) []any {
	return []any{m.ID, m.BusinessID, nullString(m.CredentialID), m.Name, nullString(m.CPF), nullString(m.DateOfBirth),
		nullString(m.Role), nullString(m.HireDate), bizNullCents(m.Salary), m.Phone, m.Email, m.HasAccess, m.IsActive,
		micros(m.CreatedAt)}
}

// CreateMember inserts a member.
func (db *DB) CreateMember(ctx context.Context, m *business.Member) error {
	defer db.authChanged()
	_, err := db.authExec(ctx, `INSERT INTO members (id, business_id, credential_id, name, cpf,
		date_of_birth, role, hire_date, salary, phone, email, has_access, is_active, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`, bizMemberArgs(m)...)
	if err != nil {
		return fmt.Errorf("create member: %w", translate(err))
	}
	return nil
}

// UpdateMember stores a member's fields and login (not its business or creation time).
func (db *DB) UpdateMember(ctx context.Context, m *business.Member) error {
	defer db.authChanged()
	args := bizMemberArgs(m)
	_, err := db.authExec(ctx, `UPDATE members SET credential_id = $3, name = $4, cpf = $5,
		date_of_birth = $6, role = $7, hire_date = $8, salary = $9, phone = $10, email = $11, has_access = $12,
		is_active = $13 WHERE id = $1 AND business_id = $2`, args[:13]...)
	if err != nil {
		return fmt.Errorf("update member: %w", translate(err))
	}
	return nil
}

// Member returns a member of the business.
func (db *DB) Member(ctx context.Context, businessID, id string) (*business.Member, error) {
	m, err := scanBizMember(db.read().QueryRowContext(ctx, `SELECT `+bizMemberColumns+bizMemberFrom+`
		WHERE m.id = $1 AND m.business_id = $2`, id, businessID))
	if err != nil {
		return nil, fmt.Errorf("member %s: %w", id, err)
	}
	return &m, nil
}

// ListMembers lists a business's members in id (creation) order.
func (db *DB) ListMembers(ctx context.Context, businessID string, p business.Page) ([]business.Member, int, error) {
	return bizPage(ctx, db, `SELECT COUNT(*) FROM members WHERE business_id = $1`,
		`SELECT `+bizMemberColumns+bizMemberFrom+` WHERE m.business_id = $1 ORDER BY m.id`,
		[]any{businessID}, p.Limit, p.Offset, scanBizMember)
}
