package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/business"
	"github.com/bursar/bursar/internal/business/field"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/opt"
)

// Create adds a payment of kind, and the payments its recurrence generates, in one database
// transaction (business-api.md §2.6, §4.2). The contact (any kind) and the category must be
// active ones of the caller's business (defect 2, S22). It answers the original, which reads
// recurrence once.
func (s *Service) Create(ctx context.Context, a *business.Actor, kind Kind, in Input) (*Payment, error) {
	now := s.clock.Now()
	p := &Payment{ID: id.New(), BusinessID: a.BusinessID, Kind: kind, CreatedAt: now, UpdatedAt: now}
	f := apperr.Fields{}
	r := apply(f, p, in, field.Create)
	pl := checkPlan(f, p, in)
	if err := s.checkRefs(ctx, s.store, f, p, r, in); err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	due, err := time.Parse(DateLayout, p.DueAt)
	if err != nil {
		return nil, fmt.Errorf("due date %q: %w", p.DueAt, err)
	}
	today := Today(now, a.Location)
	p.Recurrence = Once
	p.Status = Derive(p.Total, 0, p.DueAt, today)
	ps := []*Payment{p}
	for k, d := range pl.dueDates(due) {
		zero := int64(0)
		sib := &Payment{ID: id.New(), BusinessID: a.BusinessID, Kind: kind, ContactID: p.ContactID,
			CategoryID: p.CategoryID, IssuedAt: p.IssuedAt, DueAt: d.Format(DateLayout), Total: p.Total,
			Method: p.Method, Recurrence: Once, InstallmentCount: &zero, Reference: p.Reference, Notes: p.Notes,
			CreatedAt: now, UpdatedAt: now}
		if pl.recurrence == Installments {
			sib.Notes = instalmentNotes(p.Notes, k+2, pl.count)
		}
		sib.Status = Derive(sib.Total, 0, sib.DueAt, today)
		ps = append(ps, sib)
	}
	if pl.recurrence == Installments {
		zero := int64(0)
		p.InstallmentCount = &zero
		p.Notes = instalmentNotes(p.Notes, 1, pl.count)
	}
	var out *Payment
	err = s.store.BillingTx(ctx, func(tx Store) error {
		for _, q := range ps {
			if err := tx.CreatePayment(ctx, q); err != nil {
				return err
			}
		}
		var err error
		out, err = tx.Payment(ctx, a.BusinessID, p.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.present(a, out), nil
}

// Payment returns a payment of kind of the caller's business; one of the other kind is not
// found (defect 17).
func (s *Service) Payment(ctx context.Context, a *business.Actor, kind Kind, paymentID string) (*Payment, error) {
	p, err := s.store.Payment(ctx, a.BusinessID, paymentID)
	if err := ofKind(p, err, kind); err != nil {
		return nil, err
	}
	return s.present(a, p), nil
}

// Query is the query string of the payment lists: search and the date filters on due_at.
type Query struct {
	Search, Date, StartDate, EndDate opt.Opt[string]
}

// List lists the caller's business's payments of kind in creation order (conventions S6),
// filtered (business-api.md §1.6–§1.7, conventions S9): search (≥ 3 characters) matches the
// contact's name or alias (a customer's name and alias, a supplier's legal and trade names),
// the reference or the notes, case-insensitively; date (today, week, month or a day) and the
// range start_date–end_date select due dates in the business's zone, and both apply when both
// are given.
func (s *Service) List(ctx context.Context, a *business.Actor, kind Kind, q Query, p business.Page) ([]Payment, int, error) {
	term, err := business.SearchTerm(q.Search)
	if err != nil {
		return nil, 0, err
	}
	now := s.clock.Now()
	f := Filter{Search: business.Fold(term)}
	none := opt.Opt[string]{}
	day, err := business.DateFilter(a.Location, now, q.Date, none, none)
	if err != nil {
		return nil, 0, err
	}
	rng, err := business.DateFilter(a.Location, now, none, q.StartDate, q.EndDate)
	if err != nil {
		return nil, 0, err
	}
	for _, sp := range []*business.Span{day, rng} {
		if sp == nil {
			continue
		}
		from, to := sp.From.In(a.Location).Format(DateLayout), sp.To.In(a.Location).Format(DateLayout)
		if f.From == "" || from > f.From {
			f.From = from
		}
		if f.To == "" || to < f.To {
			f.To = to
		}
	}
	if f.From != "" && f.From >= f.To {
		return nil, 0, nil
	}
	ps, total, err := s.store.ListPayments(ctx, a.BusinessID, kind, f, p)
	if err != nil {
		return nil, 0, err
	}
	for i := range ps {
		s.present(a, &ps[i])
	}
	return ps, total, nil
}

// Update changes a payment of kind (business-api.md §2.6): the outstanding balance stays total
// − paid, a total below what was paid is refused (defects 14, 15), and the status is re-derived.
// Recurrence fields cannot change once the payment exists.
func (s *Service) Update(ctx context.Context, a *business.Actor, kind Kind, paymentID string, in Input) (*Payment, error) {
	var out *Payment
	err := s.store.BillingTx(ctx, func(tx Store) error {
		p, err := tx.LockPayment(ctx, a.BusinessID, paymentID)
		if err := ofKind(p, err, kind); err != nil {
			return err
		}
		f := apperr.Fields{}
		r := apply(f, p, in, field.Patch)
		checkFixedPlan(f, p, in)
		if !f.Has("total_amount") && p.Total < p.Paid {
			f.Add("total_amount", fmt.Sprintf(msgTotalBelowPaid, p.Paid))
		}
		if err := s.checkRefs(ctx, tx, f, p, r, in); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		now := s.clock.Now()
		today := Today(now, a.Location)
		p.UpdatedAt = now
		p.derive(today, today)
		if err := tx.UpdatePayment(ctx, p); err != nil {
			return err
		}
		out, err = tx.Payment(ctx, a.BusinessID, p.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.present(a, out), nil
}

// MsgDeleteSettled answers the deletion of a payment that transactions settle (409, defect 22).
func MsgDeleteSettled(k Kind) string {
	return fmt.Sprintf("Cannot delete %s because it has associated financial transactions.", k)
}

// Delete deletes a payment of kind that no transaction settles; with its row locked, no
// transaction can start settling it meanwhile.
func (s *Service) Delete(ctx context.Context, a *business.Actor, kind Kind, paymentID string) error {
	return s.store.BillingTx(ctx, func(tx Store) error {
		p, err := tx.LockPayment(ctx, a.BusinessID, paymentID)
		if err := ofKind(p, err, kind); err != nil {
			return err
		}
		settled, err := tx.PaymentSettled(ctx, p.ID)
		if err != nil {
			return err
		}
		if settled {
			return apperr.New(apperr.Conflict, MsgDeleteSettled(kind))
		}
		return tx.DeletePayment(ctx, a.BusinessID, p.ID)
	})
}

// ofKind turns a payment lookup into NotFound with kind's message when it failed or found a
// payment of the other kind.
func ofKind(p *Payment, err error, kind Kind) error {
	switch {
	case apperr.IsKind(err, apperr.NotFound):
		return &apperr.Error{Kind: apperr.NotFound, Message: NotFoundMsg(kind), Err: err}
	case err != nil:
		return err
	case p.Kind != kind:
		return apperr.New(apperr.NotFound, NotFoundMsg(kind))
	}
	return nil
}

// present derives p's status for the business's today (S27).
func (s *Service) present(a *business.Actor, p *Payment) *Payment {
	p.Status = Derive(p.Total, p.Paid, p.DueAt, Today(s.clock.Now(), a.Location))
	return p
}

// checkRefs checks the contact and category in names against p's business and stores them on
// p: a new reference must be an active object of the business (defect 2, S22); keeping the
// stored one is always allowed.
func (s *Service) checkRefs(ctx context.Context, st Store, f apperr.Fields, p *Payment, r refs, in Input) error {
	if r.contact != nil && *r.contact != p.ContactID {
		ok, err := checkRef(f, "contact", in.Contact.V, MsgContactInactive, func() (*Ref, error) {
			return st.PaymentContact(ctx, p.BusinessID, *r.contact)
		})
		if err != nil {
			return err
		}
		if ok {
			p.ContactID = *r.contact
		}
	}
	if !r.setCategory {
		return nil
	}
	if r.category == nil || p.CategoryID != nil && *p.CategoryID == *r.category {
		p.CategoryID = r.category
		return nil
	}
	ok, err := checkRef(f, "category", in.Category.V, MsgCategoryInactive, func() (*Ref, error) {
		return st.PaymentCategory(ctx, p.BusinessID, *r.category)
	})
	if ok {
		p.CategoryID = r.category
	}
	return err
}

// checkRef looks a new reference up and reports whether it names an active object of the
// business; otherwise it records why under name (sent is what the client sent).
func checkRef(f apperr.Fields, name, sent, inactive string, look func() (*Ref, error)) (bool, error) {
	ref, err := look()
	switch {
	case apperr.IsKind(err, apperr.NotFound):
		f.Add(name, field.NoSuchObject(sent))
	case err != nil:
		return false, err
	case !ref.IsActive:
		f.Add(name, inactive)
	default:
		return true, nil
	}
	return false, nil
}
