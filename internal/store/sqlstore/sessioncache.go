package sqlstore

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/business"
)

// Every authenticated request reads its session and user (SessionUser): 10–32% of the server's
// CPU and, on PostgreSQL, one of the two or three round trips of a read (issue 6). sessionCache
// keeps the answers for a short while and is exact for every write this process makes: each write
// to users or sessions (users.go), or to owners, members or businesses, which decide a user's
// business access (UserAccess, cached alike; business.go, business_members.go) — nowhere else in
// the store — advances the epoch after it is
// visible to readers (after the statement outside a transaction, and again after the commit
// inside one), and an answer is served only while the epoch it was read under is current. An
// answer read before a write committed therefore carries an older epoch and is never served after
// the write returns: a revoked session, a deactivated user or a changed password takes effect at
// once.
//
// On SQLite one process owns the database, so that is every write. On PostgreSQL several
// instances share it: each such write also sends a notification on authChannel in the same
// statement (authExec), and every instance keeps a connection listening for it (authnotify.go)
// and advances its epoch when one arrives. Another instance therefore stops serving the old answer
// when the notification reaches it, milliseconds after the commit. The cache answers only while
// that connection is listening (live): while it is down or reconnecting every SessionUser reads
// the database, and the epoch advances when it is back, since notifications may have been missed.
// The TTL bounds what a silently broken connection could leave unseen.
const (
	sessionCacheTTL = time.Second
	sessionCacheMax = 4096 // entries; the cache is emptied when full
)

type sessionCache struct {
	epoch atomic.Uint64
	// live: every write to users, sessions, owners, members or businesses reaches this cache (always on SQLite; on
	// PostgreSQL while the listener listens)
	live atomic.Bool
	mu   sync.RWMutex
	m    map[string]sessionEntry
	// access: each user's business access (UserAccess), read by every Business request. Writes
	// to owners, members and businesses are authExec writes too (business.go,
	// business_members.go), so the same epoch and notifications keep it exact.
	access map[string]accessEntry
	now    func() time.Time
	ttl    time.Duration
}

type accessEntry struct {
	acc     business.Access
	epoch   uint64
	expires time.Time
}

type sessionEntry struct {
	sess    auth.Session
	user    auth.User
	epoch   uint64
	expires time.Time
}

func newSessionCache(live bool) *sessionCache {
	c := &sessionCache{m: map[string]sessionEntry{}, access: map[string]accessEntry{}, now: time.Now, ttl: sessionCacheTTL}
	c.live.Store(live)
	return c
}

// get returns copies of the cached session and user, if current.
func (c *sessionCache) get(sessionID string) (*auth.Session, *auth.User, bool) {
	c.mu.RLock()
	e, ok := c.m[sessionID]
	c.mu.RUnlock()
	if !ok || !c.live.Load() || e.epoch != c.epoch.Load() || !c.now().Before(e.expires) {
		return nil, nil, false
	}
	s, u := e.sess, e.user
	return &s, &u, true
}

// put stores what was read under epoch (loaded before the query began).
func (c *sessionCache) put(epoch uint64, s *auth.Session, u *auth.User) {
	if epoch != c.epoch.Load() {
		return // a write landed meanwhile: the answer may predate it
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= sessionCacheMax {
		clear(c.m)
	}
	c.m[s.ID] = sessionEntry{sess: *s, user: *u, epoch: epoch, expires: c.now().Add(c.ttl)}
}

// getAccess returns a copy of the user's cached business access, if current.
func (c *sessionCache) getAccess(userID string) (*business.Access, bool) {
	c.mu.RLock()
	e, ok := c.access[userID]
	c.mu.RUnlock()
	if !ok || !c.live.Load() || e.epoch != c.epoch.Load() || !c.now().Before(e.expires) {
		return nil, false
	}
	a := e.acc
	if a.BusinessID != nil {
		id := *a.BusinessID
		a.BusinessID = &id
	}
	return &a, true
}

// putAccess stores the user's access as read under epoch (loaded before the query began).
func (c *sessionCache) putAccess(epoch uint64, userID string, a *business.Access) {
	if epoch != c.epoch.Load() {
		return
	}
	e := accessEntry{acc: *a, epoch: epoch, expires: c.now().Add(c.ttl)}
	if a.BusinessID != nil {
		id := *a.BusinessID
		e.acc.BusinessID = &id
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.access) >= sessionCacheMax {
		clear(c.access)
	}
	c.access[userID] = e
}

// changed invalidates every entry: a user or session row changed.
func (c *sessionCache) changed() { c.epoch.Add(1) }
