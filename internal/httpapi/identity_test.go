package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/id"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

func TestRegister(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		r := e.do("POST", "/register/", map[string]string{"username": "alice", "password": testPassword, "email": "Alice@Example.COM"}, "")
		want(t, r, http.StatusCreated)
		if got := r.JSON(); len(got) != 3 || got["username"] != "alice" || got["email"] != "Alice@example.com" || !id.Valid(r.Str("id")) {
			t.Fatalf("register answered %s; want {id, username, email} with the domain lower-cased", r.Body)
		}
		// Form-encoded, without e-mail, through the slash-less path (the predecessor's tests send forms).
		r = e.form("POST", "/register", url.Values{"username": {"bob"}, "password": {testPassword}}, "")
		want(t, r, http.StatusCreated)
		if r.JSON()["email"] != "" {
			t.Fatalf("email = %v, want empty string", r.JSON()["email"])
		}

		cases := []struct {
			name  string
			body  map[string]any
			field string
			msg   string
		}{
			{"duplicate username", map[string]any{"username": "alice", "password": testPassword}, "username", "A user with that username already exists."},
			{"duplicate e-mail in another case", map[string]any{"username": "carol", "password": testPassword, "email": "alice@example.com"}, "email", "User with given email already exist."},
			{"username is someone's e-mail", map[string]any{"username": "Alice@example.com", "password": testPassword}, "username", "A user with that username already exists."},
			{"missing username", map[string]any{"password": testPassword}, "username", "This field is required."},
			{"missing password", map[string]any{"username": "dave"}, "password", "This field is required."},
			{"short password", map[string]any{"username": "dave", "password": "Ab1!x"}, "password", "This password is too short. It must contain at least 8 characters."},
			{"common password", map[string]any{"username": "dave", "password": "password123"}, "password", "This password is too common."},
			{"numeric password", map[string]any{"username": "dave", "password": "4820571936"}, "password", "This password is entirely numeric."},
			{"password like username", map[string]any{"username": "dave_the_rave", "password": "dave_the_rave"}, "password", "The password is too similar to the username."},
			{"bad e-mail", map[string]any{"username": "dave", "password": testPassword, "email": "not-an-address"}, "email", "Enter a valid email address."},
			{"bad username", map[string]any{"username": "dave smith", "password": testPassword}, "username", "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."},
			{"null e-mail", map[string]any{"username": "dave", "password": testPassword, "email": nil}, "email", "This field may not be null."},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				r := e.do("POST", "/register/", tc.body, "")
				want(t, r, http.StatusBadRequest)
				msgs, _ := r.details()[tc.field].([]any)
				if !slices.Contains(msgs, any(tc.msg)) {
					t.Fatalf("details = %s; want %q under %s", r.Body, tc.msg, tc.field)
				}
			})
		}
	})
}

func TestSignIn(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		e.signUp("alice")
		for _, login := range []string{"alice", "alice@example.com", "ALICE@example.com"} {
			r := e.do("POST", "/token", map[string]string{"username": login, "password": testPassword}, "")
			want(t, r, http.StatusOK)
			if r.Str("access") == "" || r.Str("refresh") == "" {
				t.Fatalf("sign-in with %q answered %s", login, r.Body)
			}
		}
		r := e.do("POST", "/api/token/", map[string]string{"username": "alice", "password": "wrong-password"}, "")
		want(t, r, http.StatusUnauthorized)
		if r.errorMessage() != "No active account found with the given credentials" || r.Header.Get("WWW-Authenticate") != `Bearer realm="api"` {
			t.Fatalf("wrong password answered %s (WWW-Authenticate %q)", r.Body, r.Header.Get("WWW-Authenticate"))
		}
		// A stale Authorization header is ignored by token endpoints (conventions S34).
		req, _ := http.NewRequest("POST", e.srv.URL+"/token", strings.NewReader(`{"username":"alice","password":"`+testPassword+`"}`))
		req.Header.Set("Content-Type", "application/json")
		want(t, e.send(req, "None"), http.StatusOK)

		r = e.do("POST", "/api/token/", map[string]string{}, "")
		want(t, r, http.StatusBadRequest)
		if r.details()["username"] == nil || r.details()["password"] == nil {
			t.Fatalf("missing fields answered %s", r.Body)
		}
	})
}

func TestInactiveUserLosesTokensAtOnce(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		uid, access := e.signUp("alice")
		want(t, e.do("GET", "/me", nil, access), http.StatusOK)
		u, err := e.db.UserByID(context.Background(), uid)
		if err != nil {
			t.Fatal(err)
		}
		u.IsActive = false
		if err := e.db.UpdateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		want(t, e.do("GET", "/me", nil, access), http.StatusUnauthorized)
		want(t, e.do("POST", "/api/token/", map[string]string{"username": "alice", "password": testPassword}, ""), http.StatusUnauthorized)
	})
}

func TestRefreshRotationAndReuse(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		e.signUp("alice")
		first := e.signIn("alice")
		r := e.do("POST", "/api/token/refresh/", map[string]string{"refresh": first.Refresh}, "")
		want(t, r, http.StatusOK)
		second := auth.Pair{Access: r.Str("access"), Refresh: r.Str("refresh")}
		if second.Refresh == "" || second.Refresh == first.Refresh {
			t.Fatalf("refresh answered %s; want a new refresh token", r.Body)
		}
		want(t, e.do("GET", "/me", nil, second.Access), http.StatusOK)
		// Reusing the rotated token ends the whole session: its descendants and access tokens too.
		r = e.do("POST", "/token/refresh", map[string]string{"refresh": first.Refresh}, "")
		want(t, r, http.StatusUnauthorized)
		if r.JSON()["error"].(map[string]any)["code"] != "token_not_valid" {
			t.Fatalf("reuse answered %s; want code token_not_valid", r.Body)
		}
		want(t, e.do("POST", "/token/refresh", map[string]string{"refresh": second.Refresh}, ""), http.StatusUnauthorized)
		want(t, e.do("GET", "/me", nil, second.Access), http.StatusUnauthorized)
		want(t, e.do("GET", "/me", nil, first.Access), http.StatusUnauthorized)
		// Another sign-in is unaffected.
		other := e.signIn("alice")
		want(t, e.do("GET", "/me", nil, other.Access), http.StatusOK)
		// An access token is not a refresh token.
		r = e.do("POST", "/api/token/refresh/", map[string]string{"refresh": other.Access}, "")
		want(t, r, http.StatusUnauthorized)
		if r.errorMessage() != "Token has wrong type" {
			t.Fatalf("access as refresh answered %s", r.Body)
		}
	})
}

func TestRefreshWithoutRotation(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		e := newTestEnv(t, db, func(c *auth.Config) { c.Rotation = false })
		e.signUp("alice")
		p := e.signIn("alice")
		for i := 0; i < 2; i++ {
			r := e.do("POST", "/api/token/refresh/", map[string]string{"refresh": p.Refresh}, "")
			want(t, r, http.StatusOK)
			if r.Str("refresh") != p.Refresh || r.Str("access") == "" {
				t.Fatalf("refresh %d answered %s; want the same refresh token back", i, r.Body)
			}
		}
	})
}

func TestVerifyAndSignOut(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		uid, _ := e.signUp("alice")
		p := e.signIn("alice")
		for _, tok := range []string{p.Access, p.Refresh} {
			r := e.do("POST", "/api/token/verify/", map[string]string{"token": tok}, "")
			want(t, r, http.StatusOK)
			if string(r.Body) != "{}" {
				t.Fatalf("verify answered %s, want {}", r.Body)
			}
		}
		secret := []byte(strings.Repeat("k", 32))
		forged := func(method jwt.SigningMethod, key any, exp time.Time) string {
			c := jwt.MapClaims{"token_type": "access", "user_id": uid, "sid": "x", "jti": "y",
				"iat": time.Now().Add(-2 * time.Hour).Unix(), "exp": exp.Unix()}
			s, err := jwt.NewWithClaims(method, c).SignedString(key)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		bad := map[string]string{
			"tampered":                p.Access[:len(p.Access)-2] + "xx",
			"alg none":                forged(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, time.Now().Add(time.Hour)),
			"other secret":            forged(jwt.SigningMethodHS256, []byte(strings.Repeat("z", 32)), time.Now().Add(time.Hour)),
			"expired":                 forged(jwt.SigningMethodHS256, secret, time.Now().Add(-time.Hour)),
			"garbage":                 "abc",
			"RS256 (HS/RS confusion)": forged(jwt.SigningMethodRS256, rsaKey(t), time.Now().Add(time.Hour)),
			"HS512, same secret":      forged(jwt.SigningMethodHS512, secret, time.Now().Add(time.Hour)),
		}
		for name, tok := range bad {
			t.Run(name, func(t *testing.T) {
				want(t, e.do("POST", "/api/token/verify/", map[string]string{"token": tok}, ""), http.StatusUnauthorized)
				r := e.do("GET", "/me", nil, tok)
				want(t, r, http.StatusUnauthorized)
				if r.errorMessage() != "Given token not valid for any token type" {
					t.Fatalf("/me answered %s", r.Body)
				}
			})
		}
		// A refresh token verifies (it is valid), but is no access token.
		if r := e.do("GET", "/me", nil, p.Refresh); r.Status != http.StatusUnauthorized || r.errorMessage() != "Given token not valid for any token type" {
			t.Fatalf("/me with the refresh token answered %d %s", r.Status, r.Body)
		}
		// Sign-out revokes the refresh token, its session's access tokens, and nothing else.
		other := e.signIn("alice")
		r := e.do("POST", "/api/token/blacklist/", map[string]string{"refresh": p.Refresh}, "")
		want(t, r, http.StatusOK)
		want(t, e.do("POST", "/api/token/refresh/", map[string]string{"refresh": p.Refresh}, ""), http.StatusUnauthorized)
		want(t, e.do("POST", "/api/token/verify/", map[string]string{"token": p.Refresh}, ""), http.StatusUnauthorized)
		want(t, e.do("GET", "/me", nil, p.Access), http.StatusUnauthorized)
		want(t, e.do("GET", "/me", nil, other.Access), http.StatusOK)
		want(t, e.do("POST", "/token/blacklist", map[string]string{"refresh": other.Refresh}, ""), http.StatusOK)
		want(t, e.do("GET", "/me", nil, other.Access), http.StatusUnauthorized)
	})
}

func TestDjangoHashUpgradedAtSignIn(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		// conventions S32: a migrated user with a Django hash of "Plenty-of-42-entropy".
		name := "legacy"
		hash := "pbkdf2_sha256$260000$c2FsdHNhbHQ$" + djangoHash(t, testPassword, "c2FsdHNhbHQ", 260000)
		u := &auth.User{ID: id.New(), Username: &name, PasswordHash: hash, IsActive: true, CreatedAt: time.Now()}
		if err := e.db.CreateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		want(t, e.do("POST", "/api/token/", map[string]string{"username": "legacy", "password": "wrong-one-here"}, ""), http.StatusUnauthorized)
		e.signIn("legacy")
		got, err := e.db.UserByID(context.Background(), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(got.PasswordHash, "$argon2id$") {
			t.Fatalf("hash after sign-in = %.20s…, want argon2id", got.PasswordHash)
		}
		e.signIn("legacy")
	})
}

func TestMeAndAccount(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		uid, access := e.signUp("alice")
		r := e.do("GET", "/me/", nil, access)
		want(t, r, http.StatusOK)
		user, _ := r.JSON()["user"].(map[string]any)
		keys := make([]string, 0, len(user))
		for k := range user {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		wantKeys := []string{"date_joined", "email", "id", "is_active", "is_staff", "last_login", "name", "username"}
		if !slices.Equal(keys, wantKeys) || user["id"] != uid || user["is_staff"] != false || user["name"] != "" {
			t.Fatalf("/me answered %s; want exactly the keys %v (conventions S33)", r.Body, wantKeys)
		}

		r = e.do("GET", "/me/preferences", nil, access)
		want(t, r, http.StatusOK)
		if string(r.Body) != `{"preferences":{"get_notification":false,"premium_account":false}}` {
			t.Fatalf("preferences = %s", r.Body)
		}
		r = e.do("PATCH", "/me/preferences", map[string]any{"get_notification": "True", "premium_account": true}, access)
		want(t, r, http.StatusOK)
		if string(r.Body) != `{"preferences":{"get_notification":true,"premium_account":false}}` {
			t.Fatalf("patched preferences = %s; premium_account must stay read-only", r.Body)
		}

		r = e.do("PATCH", "/accounts", map[string]any{"name": " Alice Liddell ", "get_notification": false, "id": "ignored"}, access)
		want(t, r, http.StatusOK)
		if u := r.JSON()["user"].(map[string]any); u["name"] != "Alice Liddell" || u["id"] != uid {
			t.Fatalf("PATCH /accounts answered %s", r.Body)
		}
		// Every Business read-only key a client may echo back is ignored, never a 400.
		echo := map[string]any{"name": "Alice Liddell"}
		for _, k := range bizReadOnly {
			echo[k] = "echoed"
		}
		r = e.do("PATCH", "/accounts", echo, access)
		want(t, r, http.StatusOK)
		if u := r.JSON()["user"].(map[string]any); u["id"] != uid {
			t.Fatalf("PATCH /accounts with read-only keys answered %s", r.Body)
		}
		r = e.do("PATCH", "/accounts", map[string]any{"password": "x"}, access)
		want(t, r, http.StatusBadRequest)
		if r.errorMessage() != "Unable to update the password through this endpoint." {
			t.Fatalf("password patch answered %s", r.Body)
		}
		r = e.do("PATCH", "/accounts", map[string]any{"nickname": "x"}, access)
		want(t, r, http.StatusBadRequest)
		if r.errorMessage() != "Required parameter missing or invalid." || !strings.Contains(string(r.Body), `"invalid":["nickname"]`) {
			t.Fatalf("unknown key answered %s", r.Body)
		}
		e.signUp("bob")
		r = e.do("PATCH", "/accounts", map[string]any{"email": "BOB@example.com"}, access)
		want(t, r, http.StatusBadRequest)
		if r.details()["email"] == nil {
			t.Fatalf("taking bob's e-mail answered %s", r.Body)
		}
		want(t, e.do("PATCH", "/accounts", map[string]any{"name": "x"}, ""), http.StatusUnauthorized)

		// A user keeps at least one login name.
		r = e.form("POST", "/register/", url.Values{"username": {"carol"}, "password": {testPassword}}, "")
		want(t, r, http.StatusCreated)
		carol := e.signIn("carol")
		r = e.do("PATCH", "/accounts", map[string]any{"username": nil}, carol.Access)
		want(t, r, http.StatusBadRequest)
		if r.details()["username"] == nil {
			t.Fatalf("removing the only login answered %s", r.Body)
		}
		r = e.do("PATCH", "/accounts", map[string]any{"email": nil}, carol.Access)
		if msgs, _ := r.details()["email"].([]any); len(msgs) != 1 || msgs[0] != "This field may not be null." {
			t.Fatalf("email null answered %s", r.Body)
		}
	})
}

func TestAuthorizationHeader(t *testing.T) {
	eachServer(t, func(t *testing.T, e *testEnv) {
		cases := []struct{ header, msg string }{
			{"", "Authentication credentials were not provided."},
			{"Basic dXNlcjpwYXNz", "Authentication credentials were not provided."},
			{"Bearer", "Authorization header must contain two space-delimited values"},
			{"Bearer a b", "Authorization header must contain two space-delimited values"},
			{"Bearer abc", "Given token not valid for any token type"},
		}
		for _, tc := range cases {
			req, _ := http.NewRequest("GET", e.srv.URL+"/me/", nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			r := e.send(req, "")
			want(t, r, http.StatusUnauthorized)
			if r.errorMessage() != tc.msg || r.Header.Get("WWW-Authenticate") != `Bearer realm="api"` {
				t.Errorf("Authorization %q answered %s", tc.header, r.Body)
			}
		}
	})
}

// rsaKey returns a throwaway RSA key, to forge RS256 tokens.
func rsaKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
