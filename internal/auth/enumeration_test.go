package auth_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/password"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// TestSignInDoesNotRevealUsers: signing in as a user who does not exist answers exactly as a
// wrong password does, and costs the same Argon2id verification, so neither the answer nor its
// timing tells whether the user exists (issue 7, OWASP API2). The hash is seen by the memory it
// allocates (its 4 MiB memory cost), not by timing: tests assert no durations.
func TestSignInDoesNotRevealUsers(t *testing.T) {
	const memKiB = 4096
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		s, err := auth.NewService(db, auth.Config{Secret: bytes.Repeat([]byte("s"), 32), AccessTTL: time.Hour,
			RefreshTTL: 24 * time.Hour, Rotation: true, Argon: password.Params{MemoryKiB: memKiB, Time: 1, Threads: 1}},
			clock.Real{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		register(t, s, "alice")
		signIn := func(login, secret string) (error, uint64) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := s.SignIn(context.Background(), login, secret)
			runtime.ReadMemStats(&after)
			return err, after.TotalAlloc - before.TotalAlloc
		}
		wrongErr, wrongAlloc := signIn("alice", "not-her-password-42")
		unknownErr, unknownAlloc := signIn("nobody", "not-her-password-42")
		_, blankAlloc := signIn("nobody", "") // refused before any hash: the measure's floor

		we, ok1 := apperr.As(wrongErr)
		ue, ok2 := apperr.As(unknownErr)
		if !ok1 || !ok2 || we.Kind != apperr.Unauthenticated || we.Kind != ue.Kind || we.Message != ue.Message || we.Code != ue.Code {
			t.Fatalf("wrong password: %v; unknown user: %v; want the same 401", wrongErr, unknownErr)
		}
		if errors.Is(unknownErr, apperr.ErrNotFound()) {
			t.Fatal("an unknown user is reported as not found")
		}
		const hashed = memKiB * 1024
		if wrongAlloc < hashed || unknownAlloc < hashed {
			t.Fatalf("allocated %d B for a wrong password and %d B for an unknown user; each must run one %d B hash",
				wrongAlloc, unknownAlloc, hashed)
		}
		if blankAlloc >= hashed {
			t.Fatalf("a refused-before-hashing sign-in allocated %d B: the measure cannot tell", blankAlloc)
		}
	})
}
