package auth_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/opt"
	"github.com/bursar/bursar/internal/password"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// Token verification as every authenticated request does it (signature, claims, then the session
// and user rows), with the real store, on SQLite and, when BURSAR_TEST_POSTGRES_URL is set, on
// PostgreSQL; and one sign-in with the production Argon2id parameters.
//
//	go test -run '^$' -bench . -benchmem ./internal/auth/

func benchService(b *testing.B, db *sqlstore.DB, argon password.Params) *auth.Service {
	b.Helper()
	s, err := auth.NewService(db, auth.Config{Secret: bytes.Repeat([]byte("s"), 32), AccessTTL: time.Hour,
		RefreshTTL: 24 * time.Hour, Rotation: true, Argon: argon}, clock.Real{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Register(context.Background(), auth.RegisterInput{Username: opt.Of("alice"), Password: opt.Of(pw),
		Email: opt.Of("alice@example.com")}); err != nil {
		b.Fatal(err)
	}
	return s
}

func eachBenchDB(b *testing.B, fn func(b *testing.B, db *sqlstore.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, sqlstoretest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) {
		base := os.Getenv(sqlstoretest.EnvPostgres)
		if base == "" {
			b.Skip(sqlstoretest.EnvPostgres + " not set")
		}
		fn(b, sqlstoretest.Postgres(b, base))
	})
}

func BenchmarkAuthenticate(b *testing.B) {
	ctx := context.Background()
	eachBenchDB(b, func(b *testing.B, db *sqlstore.DB) {
		s := benchService(b, db, password.Params{MemoryKiB: 64, Time: 1, Threads: 1})
		p, err := s.SignIn(ctx, "alice", pw)
		if err != nil {
			b.Fatal(err)
		}
		b.Run("valid", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Authenticate(ctx, p.Access); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("bad-signature", func(b *testing.B) {
			bad := p.Access[:len(p.Access)-2] + "xx"
			for b.Loop() {
				if _, err := s.Authenticate(ctx, bad); err == nil {
					b.Fatal("a forged token passed")
				}
			}
		})
	})
}

// BenchmarkSignInDefaultHash is one sign-in with the default (OWASP minimum) Argon2id cost: what
// bounds the signin scenario of bursar bench.
func BenchmarkSignInDefaultHash(b *testing.B) {
	ctx := context.Background()
	s := benchService(b, sqlstoretest.SQLite(b), password.Default)
	for b.Loop() {
		if _, err := s.SignIn(ctx, "alice", pw); err != nil {
			b.Fatal(err)
		}
	}
}
