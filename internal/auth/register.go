package auth

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
	"github.com/bursar/bursar/internal/password"
)

// RegisterInput is the body of POST /register/ (budgets-api.md §2.1). Text is already trimmed
// (conventions S29); the password never is.
type RegisterInput struct {
	Username opt.Opt[string]
	Password opt.Opt[string]
	Email    opt.Opt[string]
}

var usernameRE = regexp.MustCompile(`^[\p{L}\p{N}_.@+-]+$`)

const (
	msgUsernameTaken = "A user with that username already exists."
	msgEmailTaken    = "User with given email already exist."
)

// Register creates an active user with no name who is not staff (conventions S11).
func (s *Service) Register(ctx context.Context, in RegisterInput) (*User, error) {
	f := apperr.Fields{}
	username := requiredText(f, "username", in.Username, 150)
	if username != "" && !usernameRE.MatchString(username) {
		f.Add("username", "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.")
	}
	email := ""
	if in.Email.Null {
		f.Add("email", apperr.MsgNull)
	} else if in.Email.Set && in.Email.V != "" {
		email = validEmail(f, "email", in.Email.V, 100)
	}
	pw := ""
	switch {
	case !in.Password.Has():
		f.Add("password", apperr.MsgRequired)
	case strings.TrimSpace(in.Password.V) == "":
		f.Add("password", apperr.MsgBlank)
	default:
		pw = in.Password.V
		for _, m := range password.Validate(pw, password.Attrs{Username: username, Email: email}) {
			f.Add("password", m)
		}
	}
	if !f.Has("username") && username != "" {
		if err := s.checkOthersFree(ctx, f, "", "username", username, msgUsernameTaken); err != nil {
			return nil, err
		}
	}
	if !f.Has("email") && email != "" {
		if err := s.checkOthersFree(ctx, f, "", "email", email, msgEmailTaken); err != nil {
			return nil, err
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	hash, err := password.HashContext(ctx, pw, s.cfg.Argon)
	if err != nil {
		return nil, err
	}
	u := &User{ID: id.New(), Username: &username, Email: email, PasswordHash: hash, IsActive: true, CreatedAt: s.clock.Now()}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// requiredText checks a required, non-blank text field of at most max code points.
func requiredText(f apperr.Fields, name string, v opt.Opt[string], max int) string {
	switch {
	case !v.Set:
		f.Add(name, apperr.MsgRequired)
	case v.Null:
		f.Add(name, apperr.MsgNull)
	case v.V == "":
		f.Add(name, apperr.MsgBlank)
	case utf8.RuneCountInString(v.V) > max:
		f.Add(name, maxLenMsg(max))
	default:
		return v.V
	}
	return ""
}

func maxLenMsg(max int) string {
	return fmt.Sprintf("Ensure this field has no more than %d characters.", max)
}

var (
	emailLocalRE  = regexp.MustCompile(`^[\p{L}\p{N}!#$%&'*+/=?^_` + "`" + `{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_` + "`" + `{|}~-]+)*$`)
	emailDomainRE = regexp.MustCompile(`^([\p{L}\p{N}]([\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$`)
)

// validEmail checks an address the way Django's EmailValidator does in spirit, and returns it
// with the domain lower-cased (Django's normalisation).
func validEmail(f apperr.Fields, name, v string, max int) string {
	if utf8.RuneCountInString(v) > max {
		f.Add(name, maxLenMsg(max))
		return ""
	}
	at := strings.LastIndexByte(v, '@')
	if at <= 0 || at > 64 || !emailLocalRE.MatchString(v[:at]) || !emailDomainRE.MatchString(v[at+1:]) {
		f.Add(name, "Enter a valid email address.")
		return ""
	}
	return v[:at] + "@" + strings.ToLower(v[at+1:])
}
