package sqlstore

import (
	"context"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/auth"
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
	c := newSessionCache()
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

// TestNoSessionCacheOnPostgres: instances sharing a PostgreSQL database must each see another's
// revocations at once, so nothing is cached there.
func TestNoSessionCacheOnPostgres(t *testing.T) {
	p, err := openPostgres("postgres://127.0.0.1:1/none")
	if err != nil {
		t.Fatal(err)
	}
	defer p.w.Close()
	if p.sessions != nil {
		t.Fatal("PostgreSQL pools have a session cache")
	}
}
