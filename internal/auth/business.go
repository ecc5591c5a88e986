package auth

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
	"github.com/bursar/bursar/internal/password"
)

// The Business family's logins: owners who sign up through POST /accounts and the logins of
// members with access (business-api.md §2.1, §2.3; conventions S11, S12, S19). These methods
// validate and build users; the business domain stores them together with the owner or member
// record in one transaction.

// SignUpInput is the body of POST /accounts. Text is already trimmed (conventions S29); the
// password never is.
type SignUpInput struct {
	Name     opt.Opt[string]
	Email    opt.Opt[string]
	Username opt.Opt[string]
	Password opt.Opt[string]
}

// PrepareSignUp validates a sign-up and returns the user to create: active, staff, password
// hashed, not stored yet. name ≤ 255 and e-mail are required; the e-mail and the optional
// username must name no other user's login (S11).
func (s *Service) PrepareSignUp(ctx context.Context, in SignUpInput) (*User, error) {
	f := apperr.Fields{}
	name := requiredText(f, "name", in.Name, 255)
	email := ""
	if e := requiredText(f, "email", in.Email, 254); e != "" {
		email = validEmail(f, "email", e, 254)
	}
	var username *string
	if in.Username.Has() {
		switch v := in.Username.V; {
		case v == "":
			f.Add("username", apperr.MsgBlank)
		case utf8.RuneCountInString(v) > 150:
			f.Add("username", maxLenMsg(150))
		case !usernameRE.MatchString(v):
			f.Add("username", "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.")
		default:
			username = &v
		}
	}
	attrs := password.Attrs{Name: name, Email: email}
	if username != nil {
		attrs.Username = *username
	}
	hash := s.checkPassword(ctx, f, in.Password, attrs, true)
	if username != nil && !f.Has("username") {
		if err := s.checkOthersFree(ctx, f, "", "username", *username, "user with this username already exists."); err != nil {
			return nil, err
		}
	}
	if email != "" && !f.Has("email") {
		if err := s.checkOthersFree(ctx, f, "", "email", email, "user with this email already exists."); err != nil {
			return nil, err
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	h, err := hash()
	if err != nil {
		return nil, err
	}
	return &User{ID: id.New(), Username: username, Email: email, Name: name, PasswordHash: h,
		IsActive: true, IsStaff: true, CreatedAt: s.clock.Now()}, nil
}

// checkPassword applies the password policy (S12) to a password field and returns a function
// that hashes it, once every other check has passed (hashing is slow). An absent or null
// password is an error when required; otherwise it hashes to password.Unusable.
func (s *Service) checkPassword(ctx context.Context, f apperr.Fields, pw opt.Opt[string], a password.Attrs, required bool) func() (string, error) {
	unusable := func() (string, error) { return password.Unusable, nil }
	switch {
	case !pw.Has():
		if required {
			f.Add("password", apperr.MsgRequired)
		}
		return unusable
	case strings.TrimSpace(pw.V) == "":
		f.Add("password", apperr.MsgBlank)
		return unusable
	}
	for _, m := range password.Validate(pw.V, a) {
		f.Add("password", m)
	}
	return func() (string, error) { return password.HashContext(ctx, pw.V, s.cfg.Argon) }
}

// LoginInput is what a member's login is made of (conventions S19): the member's name, e-mail
// and phone (the username), and the password the owner sets, if any.
type LoginInput struct {
	Name, Email, Phone string
	Password           opt.Opt[string]
}

// CheckLogin records, under the member's field names, why the values of in cannot be the login
// of user self ("" for a new login): a phone or e-mail that is another user's username or
// e-mail, or a password the policy refuses. It returns a function that hashes the password
// (password.Unusable when there is none), to call once every other check has passed.
func (s *Service) CheckLogin(ctx context.Context, f apperr.Fields, self string, in LoginInput) (func() (string, error), error) {
	hash := s.checkPassword(ctx, f, in.Password, password.Attrs{Username: in.Phone, Name: in.Name, Email: in.Email}, false)
	if in.Phone != "" && !f.Has("phone") {
		if err := s.checkOthersFree(ctx, f, self, "phone", in.Phone, "user with this phone already exists."); err != nil {
			return nil, err
		}
	}
	if in.Email != "" && !f.Has("email") {
		if err := s.checkOthersFree(ctx, f, self, "email", in.Email, "user with this email already exists."); err != nil {
			return nil, err
		}
	}
	return hash, nil
}

// NewLogin returns a member's new login user, active and staff, not stored yet.
func (s *Service) NewLogin(in LoginInput, hash string) *User {
	phone := in.Phone
	return &User{ID: id.New(), Username: &phone, Email: in.Email, Name: in.Name, PasswordHash: hash,
		IsActive: true, IsStaff: true, CreatedAt: s.clock.Now()}
}

// Deactivate marks the user inactive: every token of theirs stops working at once and they can
// no longer sign in (business-api.md §2.1 DELETE /accounts). Nothing is removed.
func (s *Service) Deactivate(ctx context.Context, u *User) (*User, error) {
	next := *u
	next.IsActive = false
	if err := s.store.UpdateUser(ctx, &next); err != nil {
		return nil, err
	}
	return &next, nil
}

// ValidEmail checks an e-mail address as sign-up does, recording a message under name in f,
// and returns it with the domain lower-cased ("" when invalid).
func ValidEmail(f apperr.Fields, name, v string, max int) string { return validEmail(f, name, v, max) }

// MaxLenMsg is the message for a text longer than max code points.
func MaxLenMsg(max int) string { return maxLenMsg(max) }
