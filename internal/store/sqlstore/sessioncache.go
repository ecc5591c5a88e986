package sqlstore

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/bursar/bursar/internal/auth"
)

// Every authenticated request reads its session and user (SessionUser); on SQLite that query
// was 10–21% of the server's CPU (issue 6). On SQLite, where one process serves the database,
// sessionCache keeps the answers for a short while, and is exact for every write this process
// makes: each write to users or sessions (users.go; nowhere else in the store) advances
// authEpoch after it is visible to readers (after the statement outside a transaction, and
// again after the commit inside one), and an answer is served only while the epoch it was read
// under is current. An answer read before a write committed therefore carries an older epoch
// and is never served after the write returns: a revoked session, a deactivated user or a
// changed password takes effect at once. The TTL only bounds how long a write by another
// process on the same file (which Bursar never makes: one server owns a SQLite database) could
// go unseen. PostgreSQL, which several instances may share, does not cache.
const (
	sessionCacheTTL = time.Second
	sessionCacheMax = 4096 // entries; the cache is emptied when full
)

type sessionCache struct {
	epoch atomic.Uint64
	mu    sync.RWMutex
	m     map[string]sessionEntry
	now   func() time.Time
}

type sessionEntry struct {
	sess    auth.Session
	user    auth.User
	epoch   uint64
	expires time.Time
}

func newSessionCache() *sessionCache {
	return &sessionCache{m: map[string]sessionEntry{}, now: time.Now}
}

// get returns copies of the cached session and user, if current.
func (c *sessionCache) get(sessionID string) (*auth.Session, *auth.User, bool) {
	c.mu.RLock()
	e, ok := c.m[sessionID]
	c.mu.RUnlock()
	if !ok || e.epoch != c.epoch.Load() || !c.now().Before(e.expires) {
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
	c.m[s.ID] = sessionEntry{sess: *s, user: *u, epoch: epoch, expires: c.now().Add(sessionCacheTTL)}
}

// changed invalidates every entry: a user or session row changed.
func (c *sessionCache) changed() { c.epoch.Add(1) }
