package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/business"
)

func sessionFixture(t *testing.T, db *DB) (*auth.User, *auth.Session) {
	t.Helper()
	ctx := context.Background()
	name := "alice"
	now := time.Now().UTC().Truncate(time.Microsecond)
	u := &auth.User{ID: "u1", Username: &name, Email: "a@example.com", PasswordHash: "h1", IsActive: true, CreatedAt: now}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	s := &auth.Session{ID: "s1", UserID: u.ID, RefreshJTI: "j1", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := db.CreateSession(ctx, s); err != nil {
		t.Fatal(err)
	}
	return u, s
}

func mustSessionUser(t *testing.T, db *DB, id string) (*auth.Session, *auth.User) {
	t.Helper()
	s, u, err := db.SessionUser(context.Background(), id)
	if err != nil {
		t.Fatalf("SessionUser(%s): %v", id, err)
	}
	return s, u
}

// TestSessionCacheSeesEveryWrite: on SQLite SessionUser answers from memory, yet every write to
// the session or its user (revocation, rotation, deactivation, password change, inside a
// transaction or not) shows in the very next SessionUser.
func TestSessionCacheSeesEveryWrite(t *testing.T) {
	db := openSQLiteForTest(t)
	ctx := context.Background()
	u, s := sessionFixture(t, db)
	if db.sessions == nil {
		t.Fatal("no session cache on SQLite")
	}
	mustSessionUser(t, db, s.ID)
	if _, _, ok := db.sessions.get(s.ID); !ok {
		t.Fatal("SessionUser did not fill the cache")
	}

	if err := db.SetPasswordHash(ctx, u.ID, "h2"); err != nil {
		t.Fatal(err)
	}
	if _, got := mustSessionUser(t, db, s.ID); got.PasswordHash != "h2" {
		t.Errorf("after SetPasswordHash: hash %q, want h2", got.PasswordHash)
	}

	if ok, err := db.RotateSession(ctx, s.ID, "j1", "j2", s.ExpiresAt); !ok || err != nil {
		t.Fatalf("RotateSession = %v, %v", ok, err)
	}
	if got, _ := mustSessionUser(t, db, s.ID); got.RefreshJTI != "j2" {
		t.Errorf("after RotateSession: jti %q, want j2", got.RefreshJTI)
	}

	err := db.InTx(ctx, func(tx *DB) error {
		next := *u
		next.IsActive = false
		if err := tx.UpdateUser(ctx, &next); err != nil {
			return err
		}
		// Another request reads (and caches) the committed state meanwhile.
		if _, got := mustSessionUser(t, db, s.ID); !got.IsActive {
			t.Error("the deactivation shows before its commit")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, got := mustSessionUser(t, db, s.ID); got.IsActive {
		t.Error("after a committed deactivation SessionUser still answers an active user")
	}

	mustSessionUser(t, db, s.ID)
	if err := db.RevokeSession(ctx, s.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if got, _ := mustSessionUser(t, db, s.ID); got.RevokedAt == nil {
		t.Error("after RevokeSession SessionUser answers a live session")
	}

	// The answers are copies: a caller changing them does not change the cache.
	_, got := mustSessionUser(t, db, s.ID)
	got.Name = "changed"
	if _, again := mustSessionUser(t, db, s.ID); again.Name == "changed" {
		t.Error("a caller's change to the returned user shows in the cache")
	}
}

// TestSessionCacheRefusesStaleAnswers: an answer read before a write (put with the epoch loaded
// before the query) is not stored, and a stored one is not served once the epoch moved or its
// TTL passed.
func TestSessionCacheRefusesStaleAnswers(t *testing.T) {
	c := newSessionCache(true)
	now := time.Unix(1000, 0)
	c.now = func() time.Time { return now }
	s := &auth.Session{ID: "s1", UserID: "u1"}
	u := &auth.User{ID: "u1", IsActive: true}

	e := c.epoch.Load()
	c.changed() // a write lands while the query runs
	c.put(e, s, u)
	if _, _, ok := c.get("s1"); ok {
		t.Fatal("an answer read before a write was cached")
	}

	c.put(c.epoch.Load(), s, u)
	if _, _, ok := c.get("s1"); !ok {
		t.Fatal("a current answer was not cached")
	}
	c.changed()
	if _, _, ok := c.get("s1"); ok {
		t.Fatal("an answer was served after a write")
	}

	c.put(c.epoch.Load(), s, u)
	now = now.Add(sessionCacheTTL)
	if _, _, ok := c.get("s1"); ok {
		t.Fatal("an answer was served past its TTL")
	}

	for i := range sessionCacheMax + 10 {
		c.put(c.epoch.Load(), &auth.Session{ID: string(rune('a'+i%26)) + time.Duration(i).String()}, u)
	}
	if n := len(c.m); n > sessionCacheMax {
		t.Fatalf("%d entries, bound %d", n, sessionCacheMax)
	}
}

// TestSessionCacheOnlyWhileLive: a cache that may miss writes (PostgreSQL while its listener
// is down) serves nothing.
func TestSessionCacheOnlyWhileLive(t *testing.T) {
	c := newSessionCache(false)
	c.put(c.epoch.Load(), &auth.Session{ID: "s1", UserID: "u1"}, &auth.User{ID: "u1"})
	if _, _, ok := c.get("s1"); ok {
		t.Fatal("a cache that is not live served an answer")
	}
	c.live.Store(true)
	if _, _, ok := c.get("s1"); !ok {
		t.Fatal("a live cache did not serve a current answer")
	}
}

// openPostgresPair opens two stores, as two Bursar instances would, on one fresh schema of the
// database BURSAR_TEST_POSTGRES_URL names, and waits until both listen for auth notifications.
// The caches' TTL is an hour, so only notifications can make them drop an answer.
func openPostgresPair(t *testing.T) (a, b *DB) {
	t.Helper()
	base := os.Getenv("BURSAR_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("BURSAR_TEST_POSTGRES_URL not set")
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("t_authnotify_%d", time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	var dbs [2]*DB
	for i := range dbs {
		if dbs[i], err = Open(ctx, u.String()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { dbs[i].Close() })
		dbs[i].sessions.ttl = time.Hour
	}
	if err := dbs[0].Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, db := range dbs {
		waitFor(t, "the listener to listen", func() bool { return db.sessions.live.Load() })
	}
	return dbs[0], dbs[1]
}

// waitFor polls cond for up to 10 s. It bounds a wait for an asynchronous notification; it does
// not measure speed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("waited 10 s for %s", what)
}

// TestSessionCacheAcrossPostgresInstances: two instances on one PostgreSQL database both cache a
// session; every write one of them makes to the session or its user (revocation, rotation,
// deactivation inside a transaction, password change) reaches the other's next SessionUser, the
// writer's at once and the other's when the notification arrives.
func TestSessionCacheAcrossPostgresInstances(t *testing.T) {
	a, b := openPostgresPair(t)
	ctx := context.Background()
	u, s := sessionFixture(t, a)
	cachedOnBoth := func() {
		t.Helper()
		fills(t, a, s.ID)
		fills(t, b, s.ID)
	}
	seen := func(what string, ok func(*auth.Session, *auth.User) bool) {
		t.Helper()
		if !ok(mustSessionUser(t, a, s.ID)) {
			t.Fatalf("the writing instance still answers the state before %s", what)
		}
		waitFor(t, "the other instance to see "+what, func() bool { return ok(mustSessionUser(t, b, s.ID)) })
	}

	cachedOnBoth()
	if err := a.SetPasswordHash(ctx, u.ID, "h2"); err != nil {
		t.Fatal(err)
	}
	seen("a password change", func(_ *auth.Session, u *auth.User) bool { return u.PasswordHash == "h2" })

	cachedOnBoth()
	if ok, err := b.RotateSession(ctx, s.ID, "j1", "j2", s.ExpiresAt); !ok || err != nil {
		t.Fatalf("RotateSession = %v, %v", ok, err)
	}
	a, b = b, a // b wrote this time
	seen("a rotation", func(s *auth.Session, _ *auth.User) bool { return s.RefreshJTI == "j2" })

	cachedOnBoth()
	err := a.InTx(ctx, func(tx *DB) error {
		next := *u
		next.IsActive = false
		return tx.UpdateUser(ctx, &next)
	})
	if err != nil {
		t.Fatal(err)
	}
	seen("a deactivation", func(_ *auth.Session, u *auth.User) bool { return !u.IsActive })

	cachedOnBoth()
	if err := a.RevokeSession(ctx, s.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	seen("a revocation", func(s *auth.Session, _ *auth.User) bool { return s.RevokedAt != nil })
}

// TestSessionCacheListenerReconnects: when the listening connection dies, notifications sent
// meanwhile are lost, so nothing cached before is served once it listens again.
func TestSessionCacheListenerReconnects(t *testing.T) {
	a, b := openPostgresPair(t)
	_, s := sessionFixture(t, a)
	fills(t, b, s.ID)
	before := b.sessions.epoch.Load()
	res, err := a.w.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = 'bursar-auth-listener' AND datname = current_database()`)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n < 2 {
		t.Fatalf("terminated %d listeners, want both", n)
	}
	waitFor(t, "the listener to reconnect", func() bool {
		return b.sessions.epoch.Load() > before && b.sessions.live.Load()
	})
	if _, _, ok := b.sessions.get(s.ID); ok {
		t.Fatal("an answer cached before the listener reconnected is still served")
	}
	fills(t, b, s.ID) // again, after the reconnection
}

// fills waits until SessionUser on db has filled the cache with the session. Tests of other
// packages write users in the same PostgreSQL database meanwhile, and any notification of
// theirs may void a fill (the cache then stays empty, correctly): it retries.
func fills(t *testing.T, db *DB, sessionID string) {
	t.Helper()
	waitFor(t, "SessionUser to fill the cache", func() bool {
		mustSessionUser(t, db, sessionID)
		_, _, ok := db.sessions.get(sessionID)
		return ok
	})
}

// TestAccessCacheAcrossPostgresInstances: both instances cache a member's and an owner's
// business access; a member's access withdrawn and a business deactivated on one instance reach
// the other when the notification arrives (the writer sees them at once: TestUserAccessStore).
func TestAccessCacheAcrossPostgresInstances(t *testing.T) {
	a, b := openPostgresPair(t)
	ctx := context.Background()
	owner, _ := sessionFixture(t, a)
	now := time.Now()
	name := "mark"
	mu := &auth.User{ID: "u2", Username: &name, Email: "m@example.com", PasswordHash: "h", IsActive: true, CreatedAt: now}
	biz := &business.Business{ID: "b1", LegalName: "L", TradeName: "T", CNPJ: "1", IsActive: true, Timezone: "UTC", CreatedAt: now}
	member := &business.Member{ID: "m1", BusinessID: biz.ID, CredentialID: &mu.ID, Name: "Mark", Phone: "1",
		Email: "m@example.com", HasAccess: true, IsActive: true, CreatedAt: now}
	for _, err := range []error{a.CreateUser(ctx, mu), a.CreateBusiness(ctx, biz),
		a.CreateOwner(ctx, &business.Owner{ID: "o1", UserID: owner.ID, BusinessID: &biz.ID, CreatedAt: now}),
		a.CreateMember(ctx, member)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	cachedOnBoth := func(userID string) {
		t.Helper()
		for _, db := range []*DB{a, b} {
			waitFor(t, "the access to be cached", func() bool {
				_, err := db.UserAccess(ctx, userID)
				_, ok := db.sessions.getAccess(userID)
				return err == nil && ok
			})
		}
	}

	cachedOnBoth(mu.ID)
	member.HasAccess = false
	if err := a.UpdateMember(ctx, member); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the other instance to see the access withdrawn", func() bool {
		_, err := b.UserAccess(ctx, mu.ID)
		return apperr.IsKind(err, apperr.NotFound)
	})

	cachedOnBoth(owner.ID)
	biz.IsActive = false
	if err := b.UpdateBusiness(ctx, biz); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the other instance to see the business deactivated", func() bool {
		acc, err := a.UserAccess(ctx, owner.ID)
		return err == nil && acc.BusinessInactive
	})
}
