package auth_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bursar/bursar/internal/apperr"
	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/store/sqlstore"
)

// FuzzAuthenticate: whatever arrives as a bearer token — garbage, a valid token with bytes
// changed, a refresh token — only the exact access token authenticates, and nothing panics.
// Run longer with: go test -run '^$' -fuzz FuzzAuthenticate -fuzztime 60s ./internal/auth
func FuzzAuthenticate(f *testing.F) {
	ctx := context.Background()
	s, p := fuzzSignedIn(f, "fuzzy")
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

// fuzzSignedIn returns a service on a fresh SQLite file and the token pair of a user signed in
// with login name, for the fuzz targets of the token paths.
func fuzzSignedIn(f *testing.F, name string) (*auth.Service, auth.Pair) {
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
	register(f, s, name)
	p, err := s.SignIn(ctx, name, pw)
	if err != nil {
		f.Fatal(err)
	}
	return s, p
}

// nonCanonical returns token with the last character of its signature changed in a bit that
// base64 decoding may ignore: a lenient decoder reads the same signature from it.
func nonCanonical(token string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, token[len(token)-1])
	return token[:len(token)-1] + string(alphabet[i^1])
}

// FuzzTokenEndpoints: what the token endpoints are given — refresh, verify, blacklist — is
// accepted only when it is exactly a token that was issued; anything else is a client error
// (400 for an empty token, else 401), never a panic or an internal error, and never spends the
// session's real refresh token.
func FuzzTokenEndpoints(f *testing.F) {
	ctx := context.Background()
	s, p := fuzzSignedIn(f, "tokens")
	for _, seed := range []string{p.Access, p.Refresh, "", " ", "abc", "a.b.c", p.Refresh + " ", p.Refresh[:len(p.Refresh)-2],
		nonCanonical(p.Refresh), strings.ToUpper(p.Refresh),
		"eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJ1c2VyX2lkIjoiMSJ9."} {
		f.Add(seed)
	}
	clientErr := func(t *testing.T, what, token string, err error) {
		t.Helper()
		e, ok := apperr.As(err)
		if !ok || (e.Kind != apperr.Unauthenticated && e.Kind != apperr.Invalid) || (e.Kind == apperr.Invalid) != (token == "") {
			t.Fatalf("%s(%q) = %v; want 401, or 400 only for an empty token", what, token, err)
		}
	}
	f.Fuzz(func(t *testing.T, token string) {
		err := s.Verify(ctx, token)
		if token == p.Access || token == p.Refresh {
			if err != nil {
				t.Fatalf("Verify of an issued token: %v", err)
			}
			return // spending the real refresh token would end the session for later inputs
		}
		if err == nil {
			t.Fatalf("Verify(%q) accepted", token)
		}
		clientErr(t, "Verify", token, err)
		_, err = s.Refresh(ctx, token)
		clientErr(t, "Refresh", token, err)
		clientErr(t, "SignOut", token, s.SignOut(ctx, token))
		if err := s.Verify(ctx, p.Refresh); err != nil {
			t.Fatalf("after %q the real refresh token stopped working: %v", token, err)
		}
	})
}
