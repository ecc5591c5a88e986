package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/bursar/bursar/internal/apperr"
)

// uniqueFields maps a unique constraint (PostgreSQL name, or SQLite's "table.column" text) to the
// field a client sees and its message (conventions S1: duplicates are 400 under the field).
var uniqueFields = []struct{ match, field, msg string }{
	{"users_username_key", "username", "A user with that username already exists."},
	{"users.username", "username", "A user with that username already exists."},
	{"users_email_lower", "email", "User with given email already exist."},
	{"budget_shares_budget_id_user_id_key", "non_field_errors", "The fields budget, shared_with must make a unique set."},
	{"budget_shares.budget_id, budget_shares.user_id", "non_field_errors", "The fields budget, shared_with must make a unique set."},
	// Business family: unique per business (defect 23), except a business's own cnpj.
	{"businesses_cnpj_key", "cnpj", "business with this cnpj already exists."},
	{"businesses.cnpj", "cnpj", "business with this cnpj already exists."},
	{"members_cpf_key", "cpf", "member with this cpf already exists."},
	{"members.business_id, members.cpf", "cpf", "member with this cpf already exists."},
	{"members_phone_key", "phone", "member with this phone already exists."},
	{"members.business_id, members.phone", "phone", "member with this phone already exists."},
	{"members_email_key", "email", "member with this email already exists."},
	{"members.business_id, members.email", "email", "member with this email already exists."},
	{"contacts_code_key", "code", "contact with this code already exists."},
	{"contacts.business_id, contacts.code", "code", "contact with this code already exists."},
	{"contacts_cpf_key", "cpf", "customer with this cpf already exists."},
	{"contacts.business_id, contacts.cpf", "cpf", "customer with this cpf already exists."},
	{"contacts_cnpj_key", "cnpj", "supplier with this cnpj already exists."},
	{"contacts.business_id, contacts.cnpj", "cnpj", "supplier with this cnpj already exists."},
	{"finance_categories_name_key", "name", "financial category with this name already exists."},
	{"finance_categories.business_id, finance_categories.name", "name", "financial category with this name already exists."},
	{"products_sku_key", "sku", "product with this sku already exists."},
	{"products.business_id, products.sku", "sku", "product with this sku already exists."},
	{"product_categories_name_key", "name", "product category with this name already exists."},
	{"product_categories.business_id, product_categories.name", "name", "product category with this name already exists."},
}

// translate turns driver errors a client may cause into *apperr.Error; others pass through.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.ErrNotFound()
	}
	var detail string
	var pg *pgconn.PgError
	var lite *sqlite.Error
	switch {
	case errors.As(err, &pg) && pg.Code == "23505":
		detail = pg.ConstraintName
	case errors.As(err, &lite) && (lite.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || lite.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY):
		detail = lite.Error()
		if strings.Contains(detail, "index 'users_email_lower'") || strings.Contains(detail, "lower(email)") {
			detail = "users_email_lower"
		}
	default:
		return err
	}
	for _, u := range uniqueFields {
		if strings.Contains(detail, u.match) {
			e := apperr.Field(u.field, u.msg)
			e.Err = err
			return e
		}
	}
	return &apperr.Error{Kind: apperr.Conflict, Message: "A conflicting object already exists.", Err: err}
}

// foreignKeyViolation reports whether err is a write refused for referring to a row that does not
// exist (PostgreSQL 23503; SQLite's foreign-key constraint).
func foreignKeyViolation(err error) bool {
	var pg *pgconn.PgError
	var lite *sqlite.Error
	return errors.As(err, &pg) && pg.Code == "23503" ||
		errors.As(err, &lite) && lite.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// Unavailable reports whether err means the database could not be reached or dropped the
// connection (it is down, restarting, or refusing connections), as opposed to a query the
// database rejected: such a request is answered 503 and may be retried (issue 7).
func Unavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false // the caller's own deadline or cancellation, not the database's state
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		// class 08: connection exception; 57P01–57P03: admin shutdown, crash shutdown,
		// cannot connect now (starting up or shutting down); 53300: too many connections.
		return strings.HasPrefix(pg.Code, "08") || strings.HasPrefix(pg.Code, "57P0") || pg.Code == "53300"
	}
	var connect *pgconn.ConnectError
	var nerr net.Error
	return errors.As(err, &connect) || errors.As(err, &nerr) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) ||
		strings.Contains(err.Error(), "conn closed")
}
