package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/money"
)

const bizContactColumns = `id, business_id, kind, code, name, alias, cpf, gender, amount_spent, number_of_orders,
	cnpj, ie, im, is_active, phone, email, postcode, city, state, address, notes, created_at, updated_at`

func scanBizContact(sc interface{ Scan(...any) error }) (business.Contact, error) {
	var c business.Contact
	var code, alias, cpf, gender, cnpj, ie, im, phone, email, postcode, city, state, address, notes sql.NullString
	var spent, created, updated int64
	err := sc.Scan(&c.ID, &c.BusinessID, &c.Kind, &code, &c.Name, &alias, &cpf, &gender, &spent, &c.NumberOfOrders,
		&cnpj, &ie, &im, &c.IsActive, &phone, &email, &postcode, &city, &state, &address, &notes, &created, &updated)
	if err != nil {
		return c, translate(err)
	}
	c.Code, c.Alias, c.CPF, c.Gender = bizStr(code), bizStr(alias), bizStr(cpf), bizStr(gender)
	c.CNPJ, c.IE, c.IM = bizStr(cnpj), bizStr(ie), bizStr(im)
	c.Phone, c.Email, c.Postcode, c.City = bizStr(phone), bizStr(email), bizStr(postcode), bizStr(city)
	c.State, c.Address, c.Notes = bizStr(state), bizStr(address), bizStr(notes)
	c.AmountSpent = money.Cents(spent)
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return c, nil
}

func bizContactArgs(c *business.Contact) []any {
	return []any{c.ID, c.BusinessID, c.Kind, nullString(c.Code), c.Name, nullString(c.Alias), nullString(c.CPF),
		nullString(c.Gender), int64(c.AmountSpent), c.NumberOfOrders, nullString(c.CNPJ), nullString(c.IE),
		nullString(c.IM), c.IsActive, nullString(c.Phone), nullString(c.Email), nullString(c.Postcode),
		nullString(c.City), nullString(c.State), nullString(c.Address), nullString(c.Notes), micros(c.CreatedAt),
		micros(c.UpdatedAt), c.SearchKey()}
}

// CreateContact inserts a customer or supplier.
func (db *DB) CreateContact(ctx context.Context, c *business.Contact) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO contacts (`+bizContactColumns+`, search_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
		$21, $22, $23, $24)`, bizContactArgs(c)...)
	if err != nil {
		return fmt.Errorf("create contact: %w", translate(err))
	}
	return nil
}

// UpdateContact stores a contact's fields (not its business, kind or creation time).
func (db *DB) UpdateContact(ctx context.Context, c *business.Contact) error {
	_, err := db.write().ExecContext(ctx, `UPDATE contacts SET code = $4, name = $5, alias = $6, cpf = $7,
		gender = $8, cnpj = $9, ie = $10, im = $11, is_active = $12, phone = $13, email = $14, postcode = $15,
		city = $16, state = $17, address = $18, notes = $19, updated_at = $20, search_key = $21
		WHERE id = $1 AND business_id = $2 AND kind = $3`,
		c.ID, c.BusinessID, c.Kind, nullString(c.Code), c.Name, nullString(c.Alias), nullString(c.CPF),
		nullString(c.Gender), nullString(c.CNPJ), nullString(c.IE), nullString(c.IM), c.IsActive,
		nullString(c.Phone), nullString(c.Email), nullString(c.Postcode), nullString(c.City), nullString(c.State),
		nullString(c.Address), nullString(c.Notes), micros(c.UpdatedAt), c.SearchKey())
	if err != nil {
		return fmt.Errorf("update contact: %w", translate(err))
	}
	return nil
}

// Contact returns a customer or supplier of the business.
func (db *DB) Contact(ctx context.Context, businessID string, kind business.Kind, id string) (*business.Contact, error) {
	c, err := scanBizContact(db.read().QueryRowContext(ctx, `SELECT `+bizContactColumns+` FROM contacts
		WHERE id = $1 AND business_id = $2 AND kind = $3`, id, businessID, kind))
	if err != nil {
		return nil, fmt.Errorf("contact %s: %w", id, err)
	}
	return &c, nil
}

// bizLikeContains returns a LIKE pattern matching s anywhere, with '\' as the escape character.
func bizLikeContains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

// ListContacts lists a business's contacts: customers then suppliers, each in id order.
func (db *DB) ListContacts(ctx context.Context, businessID string, kind business.Kind, term string, p business.Page) ([]business.Contact, int, error) {
	where := ` WHERE business_id = $1`
	args := []any{businessID}
	if kind != 0 {
		args = append(args, kind)
		where += fmt.Sprintf(" AND kind = $%d", len(args))
	}
	if term != "" {
		args = append(args, bizLikeContains(term))
		where += fmt.Sprintf(` AND search_key LIKE $%d ESCAPE '\'`, len(args))
	}
	return bizPage(ctx, db, `SELECT COUNT(*) FROM contacts`+where,
		`SELECT `+bizContactColumns+` FROM contacts`+where+` ORDER BY kind, id`, args, p.Limit, p.Offset, scanBizContact)
}
