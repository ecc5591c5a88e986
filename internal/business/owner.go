package business

import (
	"context"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
)

// SignUp creates an owner's login and their owner record (no business, empty profile) in one
// transaction (business-api.md §2.1 POST /accounts).
func (s *Service) SignUp(ctx context.Context, in auth.SignUpInput) (*auth.User, error) {
	u, err := s.auth.PrepareSignUp(ctx, in)
	if err != nil {
		return nil, err
	}
	err = s.store.BusinessTx(ctx, func(tx Store) error {
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.CreateOwner(ctx, &Owner{ID: id.New(), UserID: u.ID, CreatedAt: u.CreatedAt})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// CloseAccount deactivates the owner's own user; nothing is removed (DELETE /accounts).
func (s *Service) CloseAccount(ctx context.Context, a *Actor, u *auth.User) (*auth.User, error) {
	if !a.Owner || a.UserID != u.ID {
		return nil, apperr.ErrForbidden()
	}
	return s.auth.Deactivate(ctx, u)
}

// OwnerInput is the body of PATCH /owner.
type OwnerInput struct {
	Name  opt.Opt[string]
	Email opt.Opt[string]
	Phone opt.Opt[string]
}

// Owner returns the caller's owner profile.
func (s *Service) Owner(ctx context.Context, a *Actor) (*Owner, error) {
	return s.store.OwnerByUser(ctx, a.UserID, false)
}

// UpdateOwner changes the caller's owner profile: name ≤ 255, e-mail valid, phone ≤ 14, each
// nullable.
func (s *Service) UpdateOwner(ctx context.Context, a *Actor, in OwnerInput) (*Owner, error) {
	f := apperr.Fields{}
	name, setName := field.Nullable(f, "name", in.Name, 255, field.Patch)
	email, setEmail := field.NullableEmail(f, "email", in.Email, field.Patch)
	phone, setPhone := field.Nullable(f, "phone", in.Phone, 14, field.Patch)
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *Owner
	err := s.store.BusinessTx(ctx, func(tx Store) error {
		o, err := tx.OwnerByUser(ctx, a.UserID, true)
		if err != nil {
			return err
		}
		if setName {
			o.Name = name
		}
		if setEmail {
			o.Email = email
		}
		if setPhone {
			o.Phone = phone
		}
		out = o
		return tx.UpdateOwner(ctx, o)
	})
	return out, err
}
