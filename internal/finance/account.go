package finance

import (
	"context"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
)

// MsgAccountNotFound answers an account id that is not the caller's business's.
const MsgAccountNotFound = "Financial account not found."

// AccountInput is the body of POST and PATCH /finance/accounts. The balance is never written
// by clients: it starts at 0 and follows the transactions.
type AccountInput struct {
	Name     opt.Opt[string]
	IsActive opt.Opt[bool]
}

func applyAccount(f apperr.Fields, acc *Account, in AccountInput, m field.Mode) {
	if v, ok := field.Required(f, "name", in.Name, 255, m); ok {
		acc.Name = v
	}
	if v, ok := field.Bool(in.IsActive, true, m); ok {
		acc.IsActive = v
	}
}

// ownerOnly refuses members: financial accounts are the owner's (business-api.md §2.5,
// defect 6).
func ownerOnly(a *business.Actor) error {
	if !a.Owner {
		return apperr.ErrForbidden()
	}
	return nil
}

// CreateAccount adds a financial account with balance 0.
func (s *Service) CreateAccount(ctx context.Context, a *business.Actor, in AccountInput) (*Account, error) {
	if err := ownerOnly(a); err != nil {
		return nil, err
	}
	acc := &Account{ID: id.New(), BusinessID: a.BusinessID, CreatedAt: s.clock.Now()}
	f := apperr.Fields{}
	applyAccount(f, acc, in, field.Create)
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := s.store.CreateFinanceAccount(ctx, acc); err != nil {
		return nil, err
	}
	return acc, nil
}

// Account returns a financial account of the caller's business.
func (s *Service) Account(ctx context.Context, a *business.Actor, accountID string) (*Account, error) {
	if err := ownerOnly(a); err != nil {
		return nil, err
	}
	acc, err := s.store.FinanceAccount(ctx, a.BusinessID, accountID, false)
	return acc, notFound(err, MsgAccountNotFound)
}

// ListAccounts lists the caller's business's accounts, highest balance first.
func (s *Service) ListAccounts(ctx context.Context, a *business.Actor, p business.Page) ([]Account, int, error) {
	if err := ownerOnly(a); err != nil {
		return nil, 0, err
	}
	return s.store.ListFinanceAccounts(ctx, a.BusinessID, p)
}

// UpdateAccount renames or (de)activates an account.
func (s *Service) UpdateAccount(ctx context.Context, a *business.Actor, accountID string, in AccountInput) (*Account, error) {
	return s.changeAccount(ctx, a, accountID, func(f apperr.Fields, acc *Account) { applyAccount(f, acc, in, field.Patch) })
}

// DeactivateAccount marks an account inactive (a soft delete); it then takes no transactions
// (conventions S22).
func (s *Service) DeactivateAccount(ctx context.Context, a *business.Actor, accountID string) (*Account, error) {
	return s.changeAccount(ctx, a, accountID, func(_ apperr.Fields, acc *Account) { acc.IsActive = false })
}

func (s *Service) changeAccount(ctx context.Context, a *business.Actor, accountID string, change func(apperr.Fields, *Account)) (*Account, error) {
	if err := ownerOnly(a); err != nil {
		return nil, err
	}
	var out *Account
	err := s.store.FinanceTx(ctx, func(tx Store) error {
		acc, err := tx.FinanceAccount(ctx, a.BusinessID, accountID, true)
		if err != nil {
			return notFound(err, MsgAccountNotFound)
		}
		f := apperr.Fields{}
		change(f, acc)
		if err := f.Err(); err != nil {
			return err
		}
		out = acc
		return tx.UpdateFinanceAccount(ctx, acc)
	})
	return out, err
}

// notFound replaces a NotFound error by one with the resource's message.
func notFound(err error, msg string) error {
	if apperr.IsKind(err, apperr.NotFound) {
		return &apperr.Error{Kind: apperr.NotFound, Message: msg, Err: err}
	}
	return err
}
