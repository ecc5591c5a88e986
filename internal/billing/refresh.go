package billing

import (
	"context"
	"fmt"
	"time"

	"github.com/bursar/bursar/internal/apperr"
)

// The payment status refresh (business-api.md §4.1, conventions S27, defect 19). Reads derive
// the status anyway; the refresh keeps the stored one current. A scheduler calls
// DueStatusRefreshes every few minutes and RefreshStatuses once per business it lists (unique
// per business and date): each business is refreshed soon after its own local midnight, and
// only the rows whose status changes are written.

// StatusRefresh names one business whose statuses are due for a refresh, and its local date.
type StatusRefresh struct {
	BusinessID string
	Date       string // YYYY-MM-DD in the business's zone
}

// DueStatusRefreshes lists, at now, the businesses that have unpaid payments and whose local
// date differs from the date of their last refresh (never refreshed included).
func (s *Service) DueStatusRefreshes(ctx context.Context, now time.Time) ([]StatusRefresh, error) {
	zones, err := s.store.OpenZones(ctx)
	if err != nil {
		return nil, err
	}
	var out []StatusRefresh
	for _, z := range zones {
		day := Today(now, s.zone(z))
		ids, err := s.store.StatusRefreshesDue(ctx, z, day)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			out = append(out, StatusRefresh{BusinessID: id, Date: day})
		}
	}
	return out, nil
}

// RefreshStatuses stores, for the business's local date at now, the derived status of every
// payment whose stored status differs, in one database transaction with those rows locked, and
// records the refresh. It returns how many payments changed; a business that no longer exists
// changes none. Running it again for the same date changes nothing.
func (s *Service) RefreshStatuses(ctx context.Context, businessID string, now time.Time) (changed int, err error) {
	err = s.store.BillingTx(ctx, func(tx Store) error {
		changed = 0
		z, err := tx.BusinessZone(ctx, businessID)
		if apperr.IsKind(err, apperr.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		today := Today(now, s.zone(z))
		ps, err := tx.StaleStatuses(ctx, businessID, today)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if st := Derive(p.Total, p.Paid, p.DueAt, today); st != p.Status {
				if err := tx.SetPaymentStatus(ctx, p.ID, st); err != nil {
					return err
				}
				changed++
			}
		}
		return tx.MarkStatusRefresh(ctx, businessID, today, now)
	})
	if err != nil {
		return 0, fmt.Errorf("refresh payment statuses of %s: %w", businessID, err)
	}
	return changed, nil
}

// RefreshAllStatuses refreshes every business DueStatusRefreshes lists at now, one database
// transaction each, and returns how many businesses and payments changed. It suits a single
// scheduled run; a job queue should rather run RefreshStatuses per business, so that a failing
// business is retried alone.
func (s *Service) RefreshAllStatuses(ctx context.Context, now time.Time) (businesses, payments int, err error) {
	due, err := s.DueStatusRefreshes(ctx, now)
	if err != nil {
		return 0, 0, err
	}
	for _, r := range due {
		n, err := s.RefreshStatuses(ctx, r.BusinessID, now)
		if err != nil {
			return businesses, payments, err
		}
		businesses++
		payments += n
	}
	return businesses, payments, nil
}

// zone loads a zone by name, UTC when unknown (names are checked when a business stores them).
func (s *Service) zone(name string) *time.Location {
	if l, ok := s.zones.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		l = time.UTC
	}
	s.zones.Store(name, l)
	return l
}
