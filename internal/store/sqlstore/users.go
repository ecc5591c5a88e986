package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/bursar/bursar/internal/auth"
)

// Times are stored as BIGINT microseconds since the epoch, UTC, identically on both engines.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

func nullMicros(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: micros(*t), Valid: true}
}

func timePtr(n sql.NullInt64) *time.Time {
	if !n.Valid {
		return nil
	}
	t := fromMicros(n.Int64)
	return &t
}

const userColumns = `u.id, u.username, u.email, u.name, u.password_hash, u.is_active, u.is_staff,
	u.premium_account, u.get_notification, u.last_login, u.created_at`

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (*auth.User, error) {
	var u auth.User
	var username sql.NullString
	var last sql.NullInt64
	var created int64
	dest := append([]any{&u.ID, &username, &u.Email, &u.Name, &u.PasswordHash, &u.IsActive, &u.IsStaff,
		&u.PremiumAccount, &u.GetNotification, &last, &created}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return nil, translate(err)
	}
	if username.Valid {
		u.Username = &username.String
	}
	u.LastLogin = timePtr(last)
	u.CreatedAt = fromMicros(created)
	return &u, nil
}

func nullString(p *string) sql.NullString {
	if p == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: *p, Valid: true}
}

// CreateUser inserts u.
func (db *DB) CreateUser(ctx context.Context, u *auth.User) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO users (id, username, email, name, password_hash,
		is_active, is_staff, premium_account, get_notification, last_login, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		u.ID, nullString(u.Username), u.Email, u.Name, u.PasswordHash, u.IsActive, u.IsStaff,
		u.PremiumAccount, u.GetNotification, nullMicros(u.LastLogin), micros(u.CreatedAt))
	if err != nil {
		return fmt.Errorf("create user: %w", translate(err))
	}
	return nil
}

// UpdateUser stores u's profile fields and flags (not its password).
func (db *DB) UpdateUser(ctx context.Context, u *auth.User) error {
	defer db.authChanged()
	_, err := db.authExec(ctx, `UPDATE users SET username = $2, email = $3, name = $4,
		is_active = $5, is_staff = $6, premium_account = $7, get_notification = $8, last_login = $9
		WHERE id = $1`,
		u.ID, nullString(u.Username), u.Email, u.Name, u.IsActive, u.IsStaff, u.PremiumAccount,
		u.GetNotification, nullMicros(u.LastLogin))
	if err != nil {
		return fmt.Errorf("update user: %w", translate(err))
	}
	return nil
}

// SetPasswordHash replaces a user's password hash.
func (db *DB) SetPasswordHash(ctx context.Context, userID, hash string) error {
	defer db.authChanged()
	_, err := db.authExec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, userID, hash)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	return nil
}

// UserByID returns the user with that id.
func (db *DB) UserByID(ctx context.Context, id string) (*auth.User, error) {
	return scanUser(db.read().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = $1`, id))
}

// UserByUsername returns the user with exactly that username.
func (db *DB) UserByUsername(ctx context.Context, username string) (*auth.User, error) {
	return scanUser(db.read().QueryRowContext(ctx, `SELECT `+userColumns+` FROM users u WHERE u.username = $1`, username))
}

// UserByEmail returns the user with that e-mail, compared case-insensitively.
func (db *DB) UserByEmail(ctx context.Context, email string) (*auth.User, error) {
	return scanUser(db.read().QueryRowContext(ctx,
		`SELECT `+userColumns+` FROM users u WHERE lower(u.email) = lower($1) AND u.email <> ''`, email))
}

// CreateSession inserts a sign-in session.
func (db *DB) CreateSession(ctx context.Context, s *auth.Session) error {
	_, err := db.write().ExecContext(ctx, `INSERT INTO sessions (id, user_id, refresh_jti, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, s.ID, s.UserID, s.RefreshJTI, micros(s.CreatedAt), micros(s.ExpiresAt))
	if err != nil {
		return fmt.Errorf("create session: %w", translate(err))
	}
	return nil
}

// RotateSession swaps the current refresh jti, atomically: only one of two concurrent refreshes
// of the same token wins.
func (db *DB) RotateSession(ctx context.Context, sessionID, oldJTI, newJTI string, expires time.Time) (bool, error) {
	defer db.authChanged()
	n, err := db.authExec(ctx, `UPDATE sessions SET refresh_jti = $3, expires_at = $4
		WHERE id = $1 AND refresh_jti = $2 AND revoked_at IS NULL`, sessionID, oldJTI, newJTI, micros(expires))
	if err != nil {
		return false, fmt.Errorf("rotate session: %w", err)
	}
	return n == 1, nil
}

// RevokeSession ends a session (idempotent).
func (db *DB) RevokeSession(ctx context.Context, sessionID string, at time.Time) error {
	defer db.authChanged()
	_, err := db.authExec(ctx, `UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`,
		sessionID, micros(at))
	if err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	return nil
}

// authExec runs an INSERT or UPDATE of users, sessions, owners, members or businesses (what the
// session cache keeps) and returns how many rows it changed. On
// PostgreSQL the same statement notifies authChannel, so the notification is sent exactly when
// the change commits (with the transaction, inside one) and every instance's session cache drops
// what it knew (sessioncache.go). The caller also calls authChanged, for this process's cache.
func (db *DB) authExec(ctx context.Context, update string, args ...any) (int64, error) {
	if db.dialect.engine != Postgres {
		res, err := db.write().ExecContext(ctx, update, args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	var n int64
	err := db.write().QueryRowContext(ctx, `WITH w AS (`+update+` RETURNING 1)
		SELECT (SELECT count(*) FROM w) FROM (SELECT pg_notify('`+authChannel+`', '')) n`, args...).Scan(&n)
	return n, err
}

// SessionUser returns a session with its user; on SQLite, from the session cache while no write
// to users or sessions has happened since it was read (sessioncache.go).
func (db *DB) SessionUser(ctx context.Context, sessionID string) (*auth.Session, *auth.User, error) {
	c := db.sessions
	if c == nil || db.tx != nil {
		return db.sessionUser(ctx, sessionID)
	}
	if s, u, ok := c.get(sessionID); ok {
		return s, u, nil
	}
	epoch := c.epoch.Load()
	s, u, err := db.sessionUser(ctx, sessionID)
	if err == nil {
		c.put(epoch, s, u)
	}
	return s, u, err
}

func (db *DB) sessionUser(ctx context.Context, sessionID string) (*auth.Session, *auth.User, error) {
	var s auth.Session
	var created, expires int64
	var revoked sql.NullInt64
	u, err := scanUser(db.read().QueryRowContext(ctx, `SELECT `+userColumns+`,
		s.id, s.user_id, s.refresh_jti, s.created_at, s.expires_at, s.revoked_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`, sessionID),
		&s.ID, &s.UserID, &s.RefreshJTI, &created, &expires, &revoked)
	if err != nil {
		return nil, nil, err
	}
	s.CreatedAt, s.ExpiresAt, s.RevokedAt = fromMicros(created), fromMicros(expires), timePtr(revoked)
	return &s, u, nil
}

var _ auth.Store = (*DB)(nil)
