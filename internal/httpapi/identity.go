package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
)

// requireUser authenticates the bearer token (budgets-api.md §2.5) and puts the user in the
// context.
func (s *Server) requireUser(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		u, err := s.authenticate(r)
		if err != nil {
			if lerr := s.rateLimit(w, r, limitClient, ""); lerr != nil {
				return lerr
			}
			return err
		}
		infoFrom(r.Context()).userID = u.ID
		if err := s.rateLimit(w, r, limitClient, u.ID); err != nil {
			return err
		}
		return h(w, r.WithContext(context.WithValue(r.Context(), keyUser, u)))
	}
}

func (s *Server) authenticate(r *http.Request) (*auth.User, error) {
	scheme, rest, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return nil, apperr.New(apperr.Unauthenticated, apperr.MsgNoCredential)
	}
	parts := strings.Fields(rest)
	if len(parts) != 1 {
		return nil, &apperr.Error{Kind: apperr.Unauthenticated, Message: "Authorization header must contain two space-delimited values", Code: "bad_authorization_header"}
	}
	return s.auth.Authenticate(r.Context(), parts[0])
}

// userFrom returns the authenticated user of a request served by an authed route.
func userFrom(ctx context.Context) *auth.User {
	u, _ := ctx.Value(keyUser).(*auth.User)
	return u
}

// identityRoutes: sign-up, tokens and the caller's own account, shared by both families. The
// token and sign-up endpoints never look at Authorization (conventions S34).
func (s *Server) identityRoutes(rt *router) {
	rt.signIn("POST /register", s.register)
	for _, p := range []string{"/api/token", "/token"} {
		rt.signIn("POST "+p, s.signIn)
		rt.public("POST "+p+"/refresh", s.refresh)
		rt.public("POST "+p+"/blacklist", s.signOut)
	}
	rt.public("POST /api/token/verify", s.verify)
	rt.authed("GET /me", s.me)
	rt.authed("GET /me/preferences", s.preferences)
	rt.authed("PATCH /me/preferences", s.patchPreferences)
	rt.authed("PATCH /accounts", s.patchAccount)
}

type registered struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Email    string `json:"email"`
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) error {
	b, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	in := auth.RegisterInput{Username: b.Text("username"), Password: b.Password("password"), Email: b.Text("email")}
	if err := b.Err(); err != nil {
		return err
	}
	u, err := s.auth.Register(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, registered{ID: u.ID, Username: u.DisplayName(), Email: u.Email})
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	b, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	login, pw := b.Text("username"), b.Password("password")
	if err := b.Err(); err != nil {
		return err
	}
	pair, err := s.auth.SignIn(r.Context(), login.V, pw.V)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, pair)
}

func (s *Server) refresh(w http.ResponseWriter, r *http.Request) error {
	b, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	tok := b.Text("refresh")
	if err := b.Err(); err != nil {
		return err
	}
	pair, err := s.auth.Refresh(r.Context(), tok.V)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, pair)
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request) error {
	b, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	tok := b.Text("token")
	if err := b.Err(); err != nil {
		return err
	}
	if err := s.auth.Verify(r.Context(), tok.V); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct{}{})
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	b, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	tok := b.Text("refresh")
	if err := b.Err(); err != nil {
		return err
	}
	if err := s.auth.SignOut(r.Context(), tok.V); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct{}{})
}

// userOut is the predecessor's user object, exactly its keys (conventions S33).
type userOut struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Email      string  `json:"email"`
	Username   *string `json:"username"`
	IsActive   bool    `json:"is_active"`
	IsStaff    bool    `json:"is_staff"`
	LastLogin  *string `json:"last_login"`
	DateJoined string  `json:"date_joined"`
}

// timeFormat renders timestamps as the predecessors did: microseconds and the zone offset.
const timeFormat = "2006-01-02T15:04:05.000000Z07:00"

func (s *Server) userOut(u *auth.User) userOut {
	out := userOut{ID: u.ID, Name: u.Name, Email: u.Email, Username: u.Username, IsActive: u.IsActive,
		IsStaff: u.IsStaff, DateJoined: s.stamp(u.CreatedAt)}
	if u.LastLogin != nil {
		t := s.stamp(*u.LastLogin)
		out.LastLogin = &t
	}
	return out
}

func (s *Server) stamp(t time.Time) string { return t.In(s.cfg.Location).Format(timeFormat) }

func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, map[string]userOut{"user": s.userOut(userFrom(r.Context()))})
}

type preferencesOut struct {
	GetNotification bool `json:"get_notification"`
	PremiumAccount  bool `json:"premium_account"`
}

func (s *Server) preferences(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	return writeJSON(w, http.StatusOK, map[string]preferencesOut{"preferences": {u.GetNotification, u.PremiumAccount}})
}

// patchPreferences changes get_notification; premium_account is read-only (conventions S20),
// and so are the Business family's read-only keys: accepted and ignored like on every Business
// body (conventions "Unknown body fields"); any other key is 400.
func (s *Server) patchPreferences(w http.ResponseWriter, r *http.Request) error {
	b, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	if unknown := b.Unknown(slices.Concat(preferencesKeys, bizReadOnly)...); len(unknown) > 0 || b.Empty() {
		return errParamInvalid(unknown)
	}
	in := auth.AccountPatch{GetNotification: b.Bool("get_notification")}
	if err := b.Err(); err != nil {
		return err
	}
	u, err := s.auth.UpdateAccount(r.Context(), userFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]preferencesOut{"preferences": {u.GetNotification, u.PremiumAccount}})
}

// accountKeys are the keys PATCH /accounts accepts, preferencesKeys those PATCH /me/preferences
// accepts (premium_account ignored, S20); accountIgnored are the user object's read-only keys a
// client may echo back (business-api.md §2.1, conventions "Unknown body fields").
var (
	accountKeys     = []string{"name", "email", "username", "get_notification"}
	preferencesKeys = []string{"get_notification", "premium_account"}
	accountIgnored  = []string{"id", "is_superuser", "is_staff", "is_active", "last_login", "date_joined",
		"groups", "user_permissions", "created_at", "updated_at", "premium_account"}
)

func errParamInvalid(invalid []string) *apperr.Error {
	return &apperr.Error{Kind: apperr.Invalid, Message: "Required parameter missing or invalid.", Invalid: invalid}
}

func (s *Server) patchAccount(w http.ResponseWriter, r *http.Request) error {
	b, err := s.readBody(w, r)
	if err != nil {
		return err
	}
	if b.Has("password") {
		return apperr.New(apperr.Invalid, "Unable to update the password through this endpoint.")
	}
	// The Business family's read-only keys are accepted and ignored too (conventions "Unknown
	// body fields").
	if unknown := b.Unknown(slices.Concat(accountKeys, accountIgnored, bizReadOnly)...); len(unknown) > 0 || b.Empty() {
		return errParamInvalid(unknown)
	}
	in := auth.AccountPatch{Name: b.Text("name"), Email: b.Text("email"), Username: b.Text("username"),
		GetNotification: b.Bool("get_notification")}
	if err := b.Err(); err != nil {
		return err
	}
	u, err := s.auth.UpdateAccount(r.Context(), userFrom(r.Context()), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]userOut{"user": s.userOut(u)})
}
