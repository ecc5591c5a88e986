package auth_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// FuzzAuthenticate: whatever arrives as a bearer token — garbage, a valid token with bytes
// changed, a refresh token — only the exact access token authenticates, and nothing panics.
// Run longer with: go test -run '^$' -fuzz FuzzAuthenticate -fuzztime 60s ./internal/auth
func FuzzAuthenticate(f *testing.F) {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(f.TempDir(), "fuzz.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		f.Fatal(err)
	}
	s := newService(f, db, clock.Real{})
	register(f, s, "fuzzy")
	p, err := s.SignIn(ctx, "fuzzy", pw)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{p.Access, p.Refresh, "", "abc", "a.b.c", p.Access + "x", p.Access[:len(p.Access)-1],
		nonCanonical(p.Access),
		"eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ1c2VyX2lkIjoiMSJ9."} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		u, err := s.Authenticate(ctx, token)
		if token == p.Access {
			if err != nil || u == nil {
				t.Fatalf("the valid access token: %v", err)
			}
			return
		}
		if err == nil {
			t.Fatalf("token %q authenticated as %v", token, u)
		}
	})
}

// nonCanonical returns token with the last character of its signature changed in a bit that
// base64 decoding may ignore: a lenient decoder reads the same signature from it.
func nonCanonical(token string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, token[len(token)-1])
	return token[:len(token)-1] + string(alphabet[i^1])
}
