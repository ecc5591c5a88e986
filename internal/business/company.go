package business

import (
	"context"
	"errors"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
)

// Messages of the business resource (business-api.md §2.2, conventions S26).
const (
	MsgHasBusiness = "Owner has an existing business."
	MsgBadZone     = "A valid timezone is required."
)

var errUnknownZone = errors.New("unknown time zone")

// BusinessInput is the body of POST and PATCH /business.
type BusinessInput struct {
	LegalName, TradeName, CNPJ, IE, IM    opt.Opt[string]
	Postcode, City, State, Address, Phone opt.Opt[string]
	Email                                 opt.Opt[string]
	IsActive                              opt.Opt[bool]
	Timezone                              opt.Opt[string]
}

// apply validates in and copies it onto b.
func (s *Service) applyBusiness(b *Business, in BusinessInput, m field.Mode) error {
	f := apperr.Fields{}
	req := func(name string, v opt.Opt[string], max int, dst *string) {
		if x, ok := field.Required(f, name, v, max, m); ok {
			*dst = x
		}
	}
	text := func(name string, v opt.Opt[string], max int, dst *string) {
		if x, ok := field.Text(f, name, v, max, m); ok {
			*dst = x
		}
	}
	req("legal_name", in.LegalName, 150, &b.LegalName)
	req("trade_name", in.TradeName, 150, &b.TradeName)
	req("cnpj", in.CNPJ, 14, &b.CNPJ)
	text("ie", in.IE, 14, &b.IE)
	text("im", in.IM, 14, &b.IM)
	text("postcode", in.Postcode, 8, &b.Postcode)
	text("city", in.City, 150, &b.City)
	text("state", in.State, 2, &b.State)
	text("address", in.Address, 150, &b.Address)
	text("phone", in.Phone, 11, &b.Phone)
	if e, ok := field.NullableEmail(f, "email", in.Email, m); ok {
		b.Email = e
	}
	if v, ok := field.Bool(in.IsActive, true, m); ok {
		b.IsActive = v
	}
	if z, ok := s.zoneField(f, in.Timezone, m); ok {
		b.Timezone = z
	}
	return f.Err()
}

// zoneField validates an optional IANA zone name; null (and absent on Create) is the server's.
func (s *Service) zoneField(f apperr.Fields, v opt.Opt[string], m field.Mode) (string, bool) {
	switch {
	case !v.Set:
		return s.zone, m == field.Create
	case v.Null:
		return s.zone, true
	}
	if _, err := loadZone(v.V); err != nil {
		f.Add("timezone", MsgBadZone)
		return "", false
	}
	return v.V, true
}

// CreateBusiness creates the caller's business with its cash account (business-api.md §2.2).
// An owner who has one already gets MsgHasBusiness; a member is Forbidden; any other user
// becomes an owner (conventions S11).
func (s *Service) CreateBusiness(ctx context.Context, u *auth.User, in BusinessInput) (*Business, error) {
	if err := s.mayCreateBusiness(ctx, s.store, u); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	b := &Business{ID: id.New(), CreatedAt: now}
	if err := s.applyBusiness(b, in, field.Create); err != nil {
		return nil, err
	}
	err := s.store.BusinessTx(ctx, func(tx Store) error {
		o, err := tx.OwnerByUser(ctx, u.ID, true) // serialises concurrent attempts of one owner
		switch {
		case apperr.IsKind(err, apperr.NotFound):
			if err := s.mayCreateBusiness(ctx, tx, u); err != nil {
				return err
			}
			o = &Owner{ID: id.New(), UserID: u.ID, CreatedAt: now}
			if err := tx.CreateOwner(ctx, o); err != nil {
				return err
			}
			if err := s.markStaff(ctx, tx, u.ID); err != nil {
				return err
			}
		case err != nil:
			return err
		case o.BusinessID != nil:
			return apperr.New(apperr.Invalid, MsgHasBusiness)
		}
		if err := tx.CreateBusiness(ctx, b); err != nil {
			return err
		}
		o.BusinessID = &b.ID
		if err := tx.UpdateOwner(ctx, o); err != nil {
			return err
		}
		return tx.CreateCashAccount(ctx, id.New(), b.ID, CashAccountName, now)
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// mayCreateBusiness refuses members and owners who have a business already.
func (s *Service) mayCreateBusiness(ctx context.Context, st Store, u *auth.User) error {
	o, err := st.OwnerByUser(ctx, u.ID, false)
	switch {
	case err == nil && o.BusinessID != nil:
		return apperr.New(apperr.Invalid, MsgHasBusiness)
	case err == nil:
		return nil
	case !apperr.IsKind(err, apperr.NotFound):
		return err
	}
	member, err := st.MemberByCredential(ctx, u.ID)
	if err != nil {
		return err
	}
	if member {
		return apperr.ErrForbidden()
	}
	return nil
}

// markStaff flags a new owner's user as staff, as sign-up does (business-api.md §1.2).
func (s *Service) markStaff(ctx context.Context, tx Store, userID string) error {
	u, err := tx.UserByID(ctx, userID)
	if err != nil {
		return err
	}
	if u.IsStaff {
		return nil
	}
	u.IsStaff = true
	return tx.UpdateUser(ctx, u)
}

// Business returns the caller's business.
func (s *Service) Business(ctx context.Context, a *Actor) (*Business, error) {
	return s.store.BusinessByID(ctx, a.BusinessID)
}

// UpdateBusiness changes the caller's business (PATCH /business).
func (s *Service) UpdateBusiness(ctx context.Context, a *Actor, in BusinessInput) (*Business, error) {
	return s.changeBusiness(ctx, a, func(b *Business) error { return s.applyBusiness(b, in, field.Patch) })
}

// DeactivateBusiness marks the caller's business inactive (DELETE /business: a soft delete).
func (s *Service) DeactivateBusiness(ctx context.Context, a *Actor) (*Business, error) {
	return s.changeBusiness(ctx, a, func(b *Business) error { b.IsActive = false; return nil })
}

// UpdateTimezone changes the caller's business's time zone (PATCH /business/settings).
func (s *Service) UpdateTimezone(ctx context.Context, a *Actor, tz opt.Opt[string]) (*Business, error) {
	return s.changeBusiness(ctx, a, func(b *Business) error {
		f := apperr.Fields{}
		if z, ok := s.zoneField(f, tz, field.Patch); ok {
			b.Timezone = z
		}
		return f.Err()
	})
}

func (s *Service) changeBusiness(ctx context.Context, a *Actor, change func(*Business) error) (*Business, error) {
	var out *Business
	err := s.store.BusinessTx(ctx, func(tx Store) error {
		b, err := tx.BusinessByID(ctx, a.BusinessID)
		if err != nil {
			return err
		}
		if err := change(b); err != nil {
			return err
		}
		out = b
		return tx.UpdateBusiness(ctx, b)
	})
	return out, err
}
