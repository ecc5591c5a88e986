package business

import (
	"context"
	"sync"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
)

// MsgBusinessInactive answers a write to a deactivated business, and any request of its
// members (defect 8).
const MsgBusinessInactive = "This business is inactive."

// MsgNoBusiness answers a caller whose owner record has no business (business-api.md §1.2;
// HTTP 404 with body status 404, defect 24).
const MsgNoBusiness = "Owner does not have a business."

// Need is the permission an operation requires (business-api.md §1.2).
type Need uint8

// The permissions.
const (
	// NeedOwner: the caller has an owner record, with or without a business.
	NeedOwner Need = iota + 1
	// NeedOwnerBusiness: the caller owns a business.
	NeedOwnerBusiness
	// NeedStaff: the caller owns a business or is an active member with access of one.
	NeedStaff
)

// Actor is an authorised caller of a business-scoped operation.
type Actor struct {
	UserID     string
	OwnerID    string // when the caller is an owner
	Owner      bool
	BusinessID string         // "" only for NeedOwner without a business
	Location   *time.Location // the business's zone (S26); the server's without a business
	// Inactive: the business is deactivated. Its owner may read everything and change the
	// business itself (PATCH /business {"is_active": true} reactivates it); any other write
	// is refused (see Writable).
	Inactive bool
}

// Writable returns nil when the actor may change the business's data, else a Forbidden
// error: a deactivated business is read-only until its owner reactivates it (defect 8).
func (a *Actor) Writable() error {
	if a.Inactive {
		return apperr.New(apperr.Forbidden, MsgBusinessInactive)
	}
	return nil
}

// Authorize says whether u may act with permission need, and as whom. A member asking for an
// owner permission, and a user who is neither owner nor member with access, are Forbidden
// (defect 27); an owner without a business is NotFound MsgNoBusiness where one is needed. The
// members of a deactivated business are Forbidden; its owner gets an Inactive actor.
func (s *Service) Authorize(ctx context.Context, u *auth.User, need Need) (*Actor, error) {
	acc, err := s.store.UserAccess(ctx, u.ID)
	if apperr.IsKind(err, apperr.NotFound) {
		return nil, apperr.ErrForbidden()
	}
	if err != nil {
		return nil, err
	}
	if !acc.Owner && need != NeedStaff {
		return nil, apperr.ErrForbidden()
	}
	a := &Actor{UserID: u.ID, OwnerID: acc.OwnerID, Owner: acc.Owner}
	if acc.BusinessID == nil {
		if need != NeedOwner {
			return nil, apperr.New(apperr.NotFound, MsgNoBusiness)
		}
		a.Location = s.scopes.load(s.zone)
		return a, nil
	}
	if acc.BusinessInactive && !acc.Owner {
		// Members of a deactivated business lose their access with it (defect 8).
		return nil, apperr.New(apperr.Forbidden, MsgBusinessInactive)
	}
	a.BusinessID = *acc.BusinessID
	a.Location = s.scopes.load(acc.Timezone)
	a.Inactive = acc.BusinessInactive
	return a, nil
}

// zoneCache keeps loaded time zones: loading one parses the embedded database.
type zoneCache struct {
	mu    sync.Mutex
	zones map[string]*time.Location
}

func newZoneCache() *zoneCache { return &zoneCache{zones: map[string]*time.Location{}} }

// load returns the named zone, UTC when the name is unknown (names are checked when stored).
func (c *zoneCache) load(name string) *time.Location {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l, ok := c.zones[name]; ok {
		return l
	}
	l, err := loadZone(name)
	if err != nil {
		l = time.UTC
	}
	c.zones[name] = l
	return l
}

// loadZone loads an IANA zone name; "" and "Local" are not zones a business can have.
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, errUnknownZone
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		return nil, errUnknownZone
	}
	return l, nil
}
