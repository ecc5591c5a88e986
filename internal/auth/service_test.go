package auth_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/opt"
	"github.com/bursar/bursar/internal/password"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

const pw = "Plenty-of-42-entropy"

func newService(t testing.TB, db *sqlstore.DB, clk clock.Clock) *auth.Service {
	t.Helper()
	s, err := auth.NewService(db, auth.Config{Secret: bytes.Repeat([]byte("s"), 32), AccessTTL: time.Hour,
		RefreshTTL: 24 * time.Hour, Rotation: true, Argon: password.Params{MemoryKiB: 64, Time: 1, Threads: 1}},
		clk, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func register(t testing.TB, s *auth.Service, name string) *auth.User {
	t.Helper()
	u, err := s.Register(context.Background(), auth.RegisterInput{Username: opt.Of(name), Password: opt.Of(pw), Email: opt.Of(name + "@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestConcurrentRefreshOfOneToken: of two refreshes racing with the same token at most one wins,
// and the loser is treated as reuse.
func TestConcurrentRefreshOfOneToken(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		s := newService(t, db, clock.Real{})
		register(t, s, "alice")
		p, err := s.SignIn(context.Background(), "alice", pw)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		results := make([]error, 8)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, results[i] = s.Refresh(context.Background(), p.Refresh)
			}()
		}
		wg.Wait()
		wins := 0
		for _, err := range results {
			if err == nil {
				wins++
			} else if !apperr.IsKind(err, apperr.Unauthenticated) {
				t.Fatalf("unexpected error %v", err)
			}
		}
		if wins > 1 {
			t.Fatalf("%d refreshes of one token succeeded, want at most 1", wins)
		}
	})
}

func TestTokensExpire(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		clk := clock.NewFixed(time.Now())
		s := newService(t, db, clk)
		register(t, s, "alice")
		p, err := s.SignIn(context.Background(), "alice", pw)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(context.Background(), p.Access); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Hour + time.Second)
		if _, err := s.Authenticate(context.Background(), p.Access); !apperr.IsKind(err, apperr.Unauthenticated) {
			t.Fatalf("expired access token: %v, want 401", err)
		}
		next, err := s.Refresh(context.Background(), p.Refresh)
		if err != nil {
			t.Fatalf("refresh within its lifetime: %v", err)
		}
		if _, err := s.Authenticate(context.Background(), next.Access); err != nil {
			t.Fatalf("a refreshed access token: %v", err)
		}
		clk.Add(24*time.Hour + time.Second)
		if _, err := s.Refresh(context.Background(), next.Refresh); !apperr.IsKind(err, apperr.Unauthenticated) {
			t.Fatalf("expired refresh token: %v, want 401", err)
		}
	})
}

func TestSecretTooShort(t *testing.T) {
	_, err := auth.NewService(nil, auth.Config{Secret: []byte("short")}, clock.Real{}, slog.Default())
	if err == nil {
		t.Fatal("a short secret must be refused")
	}
}

// TestRevocationTakesEffectAtOnce: an access token that was just used (so its session may be
// answered from memory) stops working on the very next request after sign-out, and a user's
// tokens after deactivation; a cancelled sign-in waiting for a hashing slot gives up.
func TestRevocationTakesEffectAtOnce(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		s := newService(t, db, clock.Real{})
		register(t, s, "alice")
		register(t, s, "bob")
		a, err := s.SignIn(ctx, "alice", pw)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if _, err := s.Authenticate(ctx, a.Access); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.SignOut(ctx, a.Refresh); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, a.Access); !apperr.IsKind(err, apperr.Unauthenticated) {
			t.Fatalf("access token right after sign-out: %v, want 401", err)
		}

		b, err := s.SignIn(ctx, "bob", pw)
		if err != nil {
			t.Fatal(err)
		}
		u, err := s.Authenticate(ctx, b.Access)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Deactivate(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, b.Access); !apperr.IsKind(err, apperr.Unauthenticated) {
			t.Fatalf("access token right after deactivation: %v, want 401", err)
		}

		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.SignIn(cancelled, "alice", pw); !password.IsCanceled(err) {
			t.Fatalf("sign-in with a cancelled context: %v, want context.Canceled", err)
		}
	})
}
