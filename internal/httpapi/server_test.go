package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/password"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// testEnv is a real Bursar server on httptest over a fresh database.
type testEnv struct {
	t    *testing.T
	srv  *httptest.Server
	db   *sqlstore.DB
	auth *auth.Service
}

// testArgon keeps password hashing cheap in tests (conventions S13).
var testArgon = password.Params{MemoryKiB: 64, Time: 1, Threads: 1}

// eachServer runs fn against a server on SQLite, and on PostgreSQL when configured.
func eachServer(t *testing.T, fn func(t *testing.T, e *testEnv)) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) { fn(t, newTestEnv(t, db, nil)) })
}

// newTestEnv starts a server on db; tweak may change the auth config.
func newTestEnv(t *testing.T, db *sqlstore.DB, tweak func(*auth.Config)) *testEnv {
	t.Helper()
	return newTestEnvWith(t, db, tweak, Config{})
}

// newTestEnvWith is newTestEnv with HTTP settings: fields left zero get the test defaults (no
// rate limits).
func newTestEnvWith(t *testing.T, db *sqlstore.DB, tweak func(*auth.Config), hc Config) *testEnv {
	t.Helper()
	log := suiteLogger() // every test server logs at debug level into the suite's log (logscan_test.go)
	cfg := auth.Config{Secret: bytes.Repeat([]byte("k"), 32), AccessTTL: time.Hour, RefreshTTL: 24 * time.Hour,
		Rotation: true, Argon: testArgon}
	if tweak != nil {
		tweak(&cfg)
	}
	a, err := auth.NewService(db, cfg, clock.Real{}, log)
	if err != nil {
		t.Fatal(err)
	}
	if hc.MaxBody == 0 {
		hc.MaxBody = 1 << 20
	}
	if hc.Location == nil {
		hc.Location = time.UTC
	}
	if hc.RequestTimeout == 0 {
		hc.RequestTimeout = 10 * time.Second
	}
	s := New(hc,
		Deps{DB: db, Auth: a, Budgets: budgets.NewService(db, clock.Real{}), Business: testBusinessServices(t, db, a),
			Products: testProductServices(t, db, a),
			Billing:  testBillingServices(t, db, a), Log: log, Registry: prometheus.NewRegistry()})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return &testEnv{t: t, srv: srv, db: db, auth: a}
}

// resp is a response read whole.
type resp struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic value.
func (r *resp) JSON() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

// Str returns a top-level string field of the JSON body.
func (r *resp) Str(key string) string {
	s, _ := r.JSON()[key].(string)
	return s
}

// errorMessage returns error.message of an envelope.
func (r *resp) errorMessage() string {
	e, _ := r.JSON()["error"].(map[string]any)
	s, _ := e["message"].(string)
	return s
}

// details returns error.details of an envelope.
func (r *resp) details() map[string]any {
	e, _ := r.JSON()["error"].(map[string]any)
	d, _ := e["details"].(map[string]any)
	return d
}

// do sends a JSON request; body may be nil, a string (sent as is) or a value to marshal.
func (e *testEnv) do(method, path string, body any, token string) *resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.send(req, token)
}

// form sends a form-encoded request.
func (e *testEnv) form(method, path string, vals url.Values, token string) *resp {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(vals.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.send(req, token)
}

func (e *testEnv) send(req *http.Request, token string) *resp {
	e.t.Helper()
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &resp{Status: res.StatusCode, Header: res.Header, Body: b}
}

// want fails the test unless r has the status.
func want(t *testing.T, r *resp, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
}

// testPassword passes the password policy.
const testPassword = "Plenty-of-42-entropy"

// signUp registers username through /register/ and signs in; it returns the user id and an
// access token.
func (e *testEnv) signUp(username string) (userID, access string) {
	e.t.Helper()
	r := e.do("POST", "/register/", map[string]string{"username": username, "password": testPassword,
		"email": username + "@example.com"}, "")
	want(e.t, r, http.StatusCreated)
	userID = r.Str("id")
	r = e.do("POST", "/api/token/", map[string]string{"username": username, "password": testPassword}, "")
	want(e.t, r, http.StatusOK)
	return userID, r.Str("access")
}

// signIn returns a fresh token pair for a registered user.
func (e *testEnv) signIn(login string) auth.Pair {
	e.t.Helper()
	r := e.do("POST", "/api/token/", map[string]string{"username": login, "password": testPassword}, "")
	want(e.t, r, http.StatusOK)
	return auth.Pair{Access: r.Str("access"), Refresh: r.Str("refresh")}
}
