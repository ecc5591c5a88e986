// Package auth owns the one user base of both API families: sign-up, sign-in, JWT access and
// refresh tokens with sessions (rotation, reuse detection, sign-out), and account preferences.
package auth

import (
	"context"
	"time"
)

// User is a login identity shared by the Budgets and Business families.
type User struct {
	ID              string
	Username        *string // nil for users who have none (conventions S11)
	Email           string  // "" when absent
	Name            string
	PasswordHash    string
	IsActive        bool
	IsStaff         bool
	PremiumAccount  bool
	GetNotification bool
	LastLogin       *time.Time
	CreatedAt       time.Time
}

// DisplayName is the name other users see in budget details: the username, else the e-mail
// (conventions S11).
func (u *User) DisplayName() string {
	if u.Username != nil {
		return *u.Username
	}
	return u.Email
}

// Session is one sign-in: the family of refresh tokens rotated from it and the access tokens
// minted along the way (conventions S14, S39).
type Session struct {
	ID         string
	UserID     string
	RefreshJTI string // the only refresh token of the family that may still be used
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
}

// Store is the persistence auth needs.
type Store interface {
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	SetPasswordHash(ctx context.Context, userID, hash string) error
	// UserByID, UserByUsername (exact) and UserByEmail (case-insensitive) return a NotFound
	// *apperr.Error when there is no such user.
	UserByID(ctx context.Context, id string) (*User, error)
	UserByUsername(ctx context.Context, username string) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)

	CreateSession(ctx context.Context, s *Session) error
	// RotateSession replaces the session's refresh jti oldJTI by newJTI and extends its expiry;
	// it reports false when the session is revoked or oldJTI is no longer current.
	RotateSession(ctx context.Context, sessionID, oldJTI, newJTI string, expires time.Time) (bool, error)
	RevokeSession(ctx context.Context, sessionID string, at time.Time) error
	// SessionUser returns a session and its user in one round trip (NotFound when either is gone).
	SessionUser(ctx context.Context, sessionID string) (*Session, *User, error)
}
