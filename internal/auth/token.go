package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/bursar/bursar/internal/apperr"
)

// Token types, as the predecessors' token_type claim names them.
const (
	typeAccess  = "access"
	typeRefresh = "refresh"
)

// Pair is what sign-in and refresh answer.
type Pair struct {
	Access  string `json:"access"`
	Refresh string `json:"refresh"`
}

// claims are the predecessors' claims (token_type, exp, iat, jti, user_id) plus the session id.
type claims struct {
	TokenType string `json:"token_type"`
	UserID    string `json:"user_id"`
	SessionID string `json:"sid"`
	jwt.RegisteredClaims
}

func newJTI() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (s *Service) sign(typ, userID, sessionID, jti string, now time.Time, ttl time.Duration) (string, error) {
	c := claims{
		TokenType: typ, UserID: userID, SessionID: sessionID,
		RegisteredClaims: jwt.RegisteredClaims{
			ID:        jti,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(s.cfg.Secret)
}

// parse checks encoding (strict base64), signature (HS256 only), expiry and the claims every Bursar token carries.
func (s *Service) parse(token string) (*claims, error) {
	if c, ok := s.tokens.get(token); ok {
		if !claimsCurrent(c, s.clock.Now()) {
			return nil, errors.New("token expired or not yet issued")
		}
		return c, nil
	}
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return s.cfg.Secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		// Strict base64: a token whose encoding differs from the one issued, even in bits
		// decoding would ignore, is not that token (FuzzAuthenticate found such a variant).
		jwt.WithStrictDecoding(),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(s.clock.Now),
	)
	if err != nil {
		return nil, err
	}
	if c.UserID == "" || c.SessionID == "" || c.ID == "" {
		return nil, errors.New("token lacks user, session or id")
	}
	s.tokens.put(token, &c)
	return &c, nil
}

// Token errors (conventions S2): 401 with code token_not_valid.
func errTokenInvalid() *apperr.Error {
	return &apperr.Error{Kind: apperr.Unauthenticated, Message: "Token is invalid or expired", Code: "token_not_valid"}
}

func errTokenWrongType() *apperr.Error {
	return &apperr.Error{Kind: apperr.Unauthenticated, Message: "Token has wrong type", Code: "token_not_valid"}
}

// ErrAccessToken is the 401 for a bad access token on a protected endpoint.
func ErrAccessToken() *apperr.Error {
	return &apperr.Error{Kind: apperr.Unauthenticated, Message: apperr.MsgBadToken, Code: "token_not_valid"}
}

func errCredentials() *apperr.Error {
	return &apperr.Error{Kind: apperr.Unauthenticated, Message: "No active account found with the given credentials"}
}
