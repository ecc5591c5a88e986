package sqlstore

import (
	"database/sql"
	"errors"
	"strings"

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
