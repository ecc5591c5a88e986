package budgets

import (
	"context"
	"strings"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
)

// ShareInput is the body of a share create or update. SharedWith is a user id, a username or
// an e-mail (conventions S16); Role defaults to read-only (D1, D21).
type ShareInput struct {
	Budget     opt.Opt[string]
	SharedWith opt.Opt[string]
	Role       opt.Opt[int64]
}

// role reads an optional role; null means the default (conventions S36), like an absent role.
func role(f apperr.Fields, v opt.Opt[int64]) (Role, bool) {
	if v.Null {
		return 0, false
	}
	r, ok := choice(f, "role", v, false, int64(RoleEditor), int64(RoleReadOnly))
	return Role(r), ok
}

// CreateShare shares a budget with a user: creator only (D10). Sharing with the creator is
// refused; a second share for the same user is 400 under non_field_errors (S1).
func (s *Service) CreateShare(ctx context.Context, userID string, in ShareInput) (*Share, error) {
	f := apperr.Fields{}
	budgetID, _ := refID(f, "budget", in.Budget, true)
	who := ""
	switch {
	case !in.SharedWith.Set:
		f.Add("shared_with", apperr.MsgRequired)
	case in.SharedWith.Null:
		f.Add("shared_with", apperr.MsgNull)
	case strings.TrimSpace(in.SharedWith.V) == "":
		f.Add("shared_with", apperr.MsgBlank)
	default:
		who = strings.TrimSpace(in.SharedWith.V)
	}
	r, ok := role(f, in.Role)
	if !ok {
		r = RoleReadOnly
	}
	if f.Has("budget") {
		return nil, f.Err()
	}
	var out *Share
	err := s.store.BudgetsTx(ctx, func(tx Store) error {
		b, m, err := tx.VisibleBudget(ctx, budgetID, userID, true)
		if err != nil {
			return err
		}
		if levelOf(userID, m) != levelOwner {
			return apperr.ErrForbidden()
		}
		var u *auth.User
		if who != "" {
			if u, err = resolveUser(ctx, tx, who); err != nil {
				return err
			}
			switch {
			case u == nil:
				f.Add("shared_with", MsgNoSuchUser)
			case u.ID == b.CreatorID:
				f.Add("shared_with", MsgShareCreator)
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		sh := &Share{ID: id.New(), BudgetID: b.ID, UserID: u.ID, Username: u.DisplayName(), Role: r, CreatedAt: s.clock.Now()}
		if err := tx.CreateShare(ctx, sh); err != nil {
			return err
		}
		out = sh
		return nil
	})
	return out, err
}

// resolveUser finds the active user a shared_with value names (conventions S16): a ULID naming
// a user, else an exact username, else an e-mail compared case-insensitively. It returns nil
// when nothing matches or the match is inactive.
func resolveUser(ctx context.Context, st Store, who string) (*auth.User, error) {
	lookups := make([]func() (*auth.User, error), 0, 3)
	if n, ok := id.Normalize(who); ok {
		lookups = append(lookups, func() (*auth.User, error) { return st.UserByID(ctx, n) })
	}
	lookups = append(lookups,
		func() (*auth.User, error) { return st.UserByUsername(ctx, who) },
		func() (*auth.User, error) { return st.UserByEmail(ctx, who) })
	for _, find := range lookups {
		u, err := find()
		switch {
		case apperr.IsKind(err, apperr.NotFound):
			continue
		case err != nil:
			return nil, err
		case !u.IsActive:
			return nil, nil
		}
		return u, nil
	}
	return nil, nil
}

// Share returns a share of a budget the caller can see (conventions S17).
func (s *Service) Share(ctx context.Context, userID, shareID string) (*Share, error) {
	shareID, err := objectID(shareID)
	if err != nil {
		return nil, err
	}
	sh, _, err := s.store.VisibleShare(ctx, shareID, userID)
	return sh, err
}

// Shares lists the shares of budgetID, or of every budget the caller can see when budgetID is
// "" (conventions S5, S17), newest first.
func (s *Service) Shares(ctx context.Context, userID, budgetID string, p Page) ([]Share, int, error) {
	budgetID, err := s.visibleFilter(ctx, userID, "budget", budgetID)
	if err != nil {
		return nil, 0, err
	}
	return s.store.ListShares(ctx, userID, budgetID, page(p))
}

// UpdateShare changes a share's role: creator only. PUT and PATCH behave alike (S18, D9):
// budget and shared_with cannot change; sent values equal to the stored ones are ignored,
// different ones are 400 under their name.
func (s *Service) UpdateShare(ctx context.Context, userID, shareID string, in ShareInput) (*Share, error) {
	shareID, err := objectID(shareID)
	if err != nil {
		return nil, err
	}
	var out *Share
	err = s.store.BudgetsTx(ctx, func(tx Store) error {
		sh, err := s.ownedShare(ctx, tx, userID, shareID)
		if err != nil {
			return err
		}
		f := apperr.Fields{}
		if in.Budget.Set {
			if b, ok := id.Normalize(strings.TrimSpace(in.Budget.V)); in.Budget.Null || !ok || b != sh.BudgetID {
				f.Add("budget", MsgShareMoves)
			}
		}
		if in.SharedWith.Set {
			who := strings.TrimSpace(in.SharedWith.V)
			var u *auth.User
			if !in.SharedWith.Null && who != "" {
				if u, err = resolveUser(ctx, tx, who); err != nil {
					return err
				}
			}
			if u == nil || u.ID != sh.UserID {
				f.Add("shared_with", MsgShareChangeUser)
			}
		}
		r, ok := role(f, in.Role)
		if err := f.Err(); err != nil {
			return err
		}
		if ok && r != sh.Role {
			if err := tx.UpdateShareRole(ctx, sh.ID, r); err != nil {
				return err
			}
			sh.Role = r
		}
		out = sh
		return nil
	})
	return out, err
}

// ownedShare finds a visible share, locks its budget and checks that the caller created the
// budget: NotFound when invisible, Forbidden for sharees.
func (s *Service) ownedShare(ctx context.Context, tx Store, userID, shareID string) (*Share, error) {
	sh, _, err := tx.VisibleShare(ctx, shareID, userID)
	if err != nil {
		return nil, err
	}
	_, m, err := tx.VisibleBudget(ctx, sh.BudgetID, userID, true)
	if err != nil {
		return nil, err
	}
	if levelOf(userID, m) != levelOwner {
		return nil, apperr.ErrForbidden()
	}
	sh, _, err = tx.VisibleShare(ctx, shareID, userID)
	return sh, err
}

// DeleteShare removes a share: the budget's creator may remove any, a sharee their own (D11).
func (s *Service) DeleteShare(ctx context.Context, userID, shareID string) error {
	shareID, err := objectID(shareID)
	if err != nil {
		return err
	}
	return s.store.BudgetsTx(ctx, func(tx Store) error {
		sh, _, err := tx.VisibleShare(ctx, shareID, userID)
		if err != nil {
			return err
		}
		_, m, err := tx.VisibleBudget(ctx, sh.BudgetID, userID, true)
		if err != nil {
			return err
		}
		if levelOf(userID, m) != levelOwner && sh.UserID != userID {
			return apperr.ErrForbidden()
		}
		return tx.DeleteShare(ctx, shareID)
	})
}
