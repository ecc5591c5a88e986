package auth

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/password"
)

// Config holds the token and hashing settings.
type Config struct {
	Secret     []byte
	AccessTTL  time.Duration
	RefreshTTL time.Duration
	Rotation   bool // rotate refresh tokens with reuse detection (conventions S14)
	Argon      password.Params
}

// Service signs users up and in and checks their tokens.
type Service struct {
	store Store
	cfg   Config
	clock clock.Clock
	log   *slog.Logger
	dummy string // a hash verified when the user does not exist, so timing does not tell
	// tokens keeps the claims of tokens that parsed (tokencache.go)
	tokens *tokenCache
}

// NewService returns a Service.
func NewService(store Store, cfg Config, clk clock.Clock, log *slog.Logger) (*Service, error) {
	if len(cfg.Secret) < 32 {
		return nil, fmt.Errorf("auth: secret must be at least 32 bytes, got %d", len(cfg.Secret))
	}
	dummy, err := password.Hash(id.New(), cfg.Argon)
	if err != nil {
		return nil, err
	}
	return &Service{store: store, cfg: cfg, clock: clk, log: log, dummy: dummy, tokens: newTokenCache()}, nil
}

// SignIn checks a login (username exactly, else e-mail case-insensitively, conventions S11) and a
// password, re-hashes legacy or weaker hashes, and opens a session.
func (s *Service) SignIn(ctx context.Context, login, pw string) (Pair, error) {
	f := apperr.Fields{}
	if login == "" {
		f.Add("username", apperr.MsgRequired)
	}
	if pw == "" {
		f.Add("password", apperr.MsgRequired)
	}
	if err := f.Err(); err != nil {
		return Pair{}, err
	}
	u, err := s.findLogin(ctx, login)
	if err != nil {
		return Pair{}, err
	}
	if u == nil {
		if _, _, err := password.VerifyContext(ctx, s.dummy, pw, s.cfg.Argon); password.IsCanceled(err) {
			return Pair{}, err
		}
		return Pair{}, errCredentials()
	}
	ok, rehash, err := password.VerifyContext(ctx, u.PasswordHash, pw, s.cfg.Argon)
	if password.IsCanceled(err) { // the client went away while its hash waited for a slot
		return Pair{}, err
	}
	if err != nil {
		s.log.ErrorContext(ctx, "stored password hash unreadable", "user_id", u.ID, "err", err)
		return Pair{}, errCredentials()
	}
	if !ok || !u.IsActive {
		return Pair{}, errCredentials()
	}
	if rehash {
		if h, err := password.HashContext(ctx, pw, s.cfg.Argon); err == nil {
			if err := s.store.SetPasswordHash(ctx, u.ID, h); err != nil {
				return Pair{}, err
			}
		}
	}
	return s.openSession(ctx, u.ID)
}

func (s *Service) findLogin(ctx context.Context, login string) (*User, error) {
	u, err := s.store.UserByUsername(ctx, login)
	if err == nil {
		return u, nil
	}
	if !apperr.IsKind(err, apperr.NotFound) {
		return nil, err
	}
	if !strings.Contains(login, "@") {
		return nil, nil
	}
	u, err = s.store.UserByEmail(ctx, login)
	if apperr.IsKind(err, apperr.NotFound) {
		return nil, nil
	}
	return u, err
}

func (s *Service) openSession(ctx context.Context, userID string) (Pair, error) {
	now := s.clock.Now()
	sess := &Session{ID: id.New(), UserID: userID, RefreshJTI: newJTI(), CreatedAt: now, ExpiresAt: now.Add(s.cfg.RefreshTTL)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return Pair{}, err
	}
	return s.pair(sess.ID, userID, sess.RefreshJTI, now)
}

func (s *Service) pair(sessionID, userID, refreshJTI string, now time.Time) (Pair, error) {
	access, err := s.sign(typeAccess, userID, sessionID, newJTI(), now, s.cfg.AccessTTL)
	if err != nil {
		return Pair{}, err
	}
	refresh, err := s.sign(typeRefresh, userID, sessionID, refreshJTI, now, s.cfg.RefreshTTL)
	if err != nil {
		return Pair{}, err
	}
	return Pair{Access: access, Refresh: refresh}, nil
}

// Refresh exchanges a refresh token for a new pair. With rotation the presented token stops
// working; presenting a token that was already rotated ends the whole session (reuse detection).
// Without rotation the same refresh token is returned and stays valid until it expires.
func (s *Service) Refresh(ctx context.Context, refresh string) (Pair, error) {
	if refresh == "" {
		return Pair{}, apperr.Field("refresh", apperr.MsgRequired)
	}
	c, sess, err := s.checkRefresh(ctx, refresh)
	if err != nil {
		return Pair{}, err
	}
	now := s.clock.Now()
	if !s.cfg.Rotation {
		access, err := s.sign(typeAccess, c.UserID, sess.ID, newJTI(), now, s.cfg.AccessTTL)
		return Pair{Access: access, Refresh: refresh}, err
	}
	next := newJTI()
	ok, err := s.store.RotateSession(ctx, sess.ID, c.ID, next, now.Add(s.cfg.RefreshTTL))
	if err != nil {
		return Pair{}, err
	}
	if !ok { // lost a race with another refresh of the same token: that is reuse too
		_ = s.store.RevokeSession(ctx, sess.ID, now)
		return Pair{}, errTokenInvalid()
	}
	return s.pair(sess.ID, c.UserID, next, now)
}

// checkRefresh validates a refresh token against its session, revoking the session on reuse.
func (s *Service) checkRefresh(ctx context.Context, refresh string) (*claims, *Session, error) {
	c, err := s.parse(refresh)
	if err != nil {
		return nil, nil, errTokenInvalid()
	}
	if c.TokenType != typeRefresh {
		return nil, nil, errTokenWrongType()
	}
	sess, u, err := s.liveSession(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	if sess.RefreshJTI != c.ID {
		if s.cfg.Rotation {
			s.log.WarnContext(ctx, "refresh token reuse; session revoked", "user_id", u.ID, "session_id", sess.ID)
			if err := s.store.RevokeSession(ctx, sess.ID, s.clock.Now()); err != nil {
				return nil, nil, err
			}
		}
		return nil, nil, errTokenInvalid()
	}
	return c, sess, nil
}

// liveSession loads the token's session and user and checks that both are still in force.
func (s *Service) liveSession(ctx context.Context, c *claims) (*Session, *User, error) {
	sess, u, err := s.store.SessionUser(ctx, c.SessionID)
	if apperr.IsKind(err, apperr.NotFound) {
		return nil, nil, errTokenInvalid()
	}
	if err != nil {
		return nil, nil, err
	}
	if sess.RevokedAt != nil || sess.UserID != c.UserID || !u.IsActive {
		return nil, nil, errTokenInvalid()
	}
	return sess, u, nil
}

// Verify answers whether a token (access or refresh) is valid now, session included.
func (s *Service) Verify(ctx context.Context, token string) error {
	if token == "" {
		return apperr.Field("token", apperr.MsgRequired)
	}
	c, err := s.parse(token)
	if err != nil {
		return errTokenInvalid()
	}
	sess, _, err := s.liveSession(ctx, c)
	if err != nil {
		return err
	}
	if c.TokenType == typeRefresh && s.cfg.Rotation && sess.RefreshJTI != c.ID {
		return errTokenInvalid()
	}
	return nil
}

// SignOut revokes the refresh token's session: it, its descendants and their access tokens stop
// working at once (conventions S14, S39).
func (s *Service) SignOut(ctx context.Context, refresh string) error {
	if refresh == "" {
		return apperr.Field("refresh", apperr.MsgRequired)
	}
	_, sess, err := s.checkRefresh(ctx, refresh)
	if err != nil {
		return err
	}
	return s.store.RevokeSession(ctx, sess.ID, s.clock.Now())
}

// Authenticate returns the user an access token belongs to, or a 401 error.
func (s *Service) Authenticate(ctx context.Context, access string) (*User, error) {
	c, err := s.parse(access)
	if err != nil || c.TokenType != typeAccess {
		return nil, ErrAccessToken()
	}
	_, u, err := s.liveSession(ctx, c)
	if err != nil {
		if apperr.IsKind(err, apperr.Unauthenticated) {
			return nil, ErrAccessToken()
		}
		return nil, err
	}
	return u, nil
}
