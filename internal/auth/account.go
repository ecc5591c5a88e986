package auth

import (
	"context"
	"unicode/utf8"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/opt"
)

// AccountPatch is the body of PATCH /accounts and PATCH /me/preferences (conventions S20).
type AccountPatch struct {
	Name            opt.Opt[string]
	Email           opt.Opt[string]
	Username        opt.Opt[string]
	GetNotification opt.Opt[bool]
}

// UpdateAccount changes the caller's own user. Business-family rules: name ≤ 255, e-mail valid and
// unique, username ≤ 150 (null removes it), and neither may name another user's login (S11).
func (s *Service) UpdateAccount(ctx context.Context, u *User, in AccountPatch) (*User, error) {
	f := apperr.Fields{}
	next := *u
	if in.Name.Set {
		switch {
		case in.Name.Null:
			f.Add("name", apperr.MsgNull)
		case utf8.RuneCountInString(in.Name.V) > 255:
			f.Add("name", maxLenMsg(255))
		default:
			next.Name = in.Name.V
		}
	}
	if in.Email.Set {
		switch {
		case in.Email.Null:
			f.Add("email", apperr.MsgNull)
		case in.Email.V == "":
			f.Add("email", apperr.MsgBlank)
		default:
			if e := validEmail(f, "email", in.Email.V, 254); e != "" {
				next.Email = e
			}
		}
	}
	if in.Username.Set {
		switch {
		case in.Username.Null:
			next.Username = nil
		case in.Username.V == "":
			f.Add("username", apperr.MsgBlank)
		case utf8.RuneCountInString(in.Username.V) > 150:
			f.Add("username", maxLenMsg(150))
		case !usernameRE.MatchString(in.Username.V):
			f.Add("username", "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.")
		default:
			v := in.Username.V
			next.Username = &v
		}
	}
	if in.GetNotification.Set {
		if in.GetNotification.Null {
			f.Add("get_notification", apperr.MsgNull)
		} else {
			next.GetNotification = in.GetNotification.V
		}
	}
	if next.Username == nil && next.Email == "" && !f.Has("username") && !f.Has("email") {
		f.Add("username", "A user without an e-mail address needs a username to sign in.")
	}
	if next.Username != nil && (u.Username == nil || *next.Username != *u.Username) && !f.Has("username") {
		if err := s.checkOthersFree(ctx, f, u.ID, "username", *next.Username, "user with this username already exists."); err != nil {
			return nil, err
		}
	}
	if next.Email != u.Email && !f.Has("email") {
		if err := s.checkOthersFree(ctx, f, u.ID, "email", next.Email, "user with this email already exists."); err != nil {
			return nil, err
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := s.store.UpdateUser(ctx, &next); err != nil {
		return nil, err
	}
	return &next, nil
}

// checkOthersFree records msg under field when value is already the username or e-mail of a user
// other than self: a login must name one user only (conventions S11).
func (s *Service) checkOthersFree(ctx context.Context, f apperr.Fields, self, field, value, msg string) error {
	for _, find := range []func(context.Context, string) (*User, error){s.store.UserByUsername, s.store.UserByEmail} {
		o, err := find(ctx, value)
		if err == nil && o.ID != self {
			f.Add(field, msg)
			return nil
		}
		if err != nil && !apperr.IsKind(err, apperr.NotFound) {
			return err
		}
	}
	return nil
}
