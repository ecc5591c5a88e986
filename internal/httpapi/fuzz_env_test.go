package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/bursar/bursar/internal/auth"
	"github.com/bursar/bursar/internal/budgets"
	"github.com/bursar/bursar/internal/clock"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// The fuzz targets of the HTTP layer drive the real server in process (ServeHTTP, no socket)
// over a SQLite file, so each input goes through the same decode and validate path as a
// client's request. Inputs name the objects of a small world with placeholders ($BUDGET,
// $PRODUCT, $ACCESS, …) that are replaced before sending, so committed seeds reach past "no such
// object" into the domain's rules. A write that changes the world's shape (a token spent, the
// business edited) rebuilds the world before the next input.

// fuzzEnv is a server and one world of objects, rebuilt on demand.
type fuzzEnv struct {
	tb     testing.TB
	srv    *Server
	build  func(e *fuzzEnv)
	ids    map[string]string // placeholder ("$BUDGET") → value
	tokens map[string]string // caller ("creator", "owner", …) → access token
	repl   *strings.Replacer
	stale  bool // rebuild the world before the next input
	execs  int
}

// fuzzRebuildEvery bounds how long one world lives, so drift (a deactivated category, a
// settled payment) does not hide the rules behind it for a whole run.
const fuzzRebuildEvery = 2000

// newFuzzEnv starts a server on a fresh SQLite file and builds the world with build.
func newFuzzEnv(tb testing.TB, build func(e *fuzzEnv)) *fuzzEnv {
	tb.Helper()
	db := sqlstoretest.SQLite(tb)
	log := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := auth.NewService(db, auth.Config{Secret: bytes.Repeat([]byte("f"), 32), AccessTTL: time.Hour,
		RefreshTTL: 24 * time.Hour, Rotation: true, Argon: testArgon}, clock.Real{}, log)
	if err != nil {
		tb.Fatal(err)
	}
	s := New(Config{MaxBody: 1 << 16, Location: time.UTC, RequestTimeout: 10 * time.Second},
		Deps{DB: db, Auth: a, Budgets: budgets.NewService(db, clock.Real{}), Business: testBusinessServices(tb, db, a),
			Products: testProductServices(tb, db, a), Billing: testBillingServices(tb, db, a), Log: log,
			Registry: prometheus.NewRegistry()})
	e := &fuzzEnv{tb: tb, srv: s, build: build}
	e.rebuild()
	return e
}

// rebuild makes a new world in the same database (unique names, new ids and tokens).
func (e *fuzzEnv) rebuild() {
	e.ids, e.tokens = map[string]string{}, map[string]string{}
	e.build(e)
	var pairs []string
	for k, v := range e.ids {
		pairs = append(pairs, k, v)
	}
	for k, v := range e.tokens {
		pairs = append(pairs, "$"+strings.ToUpper(k)+"_TOKEN", v)
	}
	e.repl = strings.NewReplacer(pairs...)
	e.stale, e.execs = false, 0
}

// next is called before each input, with its t: it rebuilds a stale or old world.
func (e *fuzzEnv) next(t *testing.T) {
	e.tb = t // the world is built, and fails, within the input's test from now on
	e.execs++
	if e.stale || e.execs > fuzzRebuildEvery {
		e.rebuild()
	}
}

// expand replaces the placeholders in s.
func (e *fuzzEnv) expand(s string) string { return e.repl.Replace(s) }

// send serves one request in process; ctype "" sends no Content-Type.
func (e *fuzzEnv) send(method, target, rawQuery, ctype, body, token string) *resp {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.URL.RawQuery = rawQuery
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return &resp{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// sendHeader serves a GET of target with authz as the whole Authorization header.
func (e *fuzzEnv) sendHeader(target, authz string) *resp {
	req := httptest.NewRequest("GET", target, nil)
	req.Header.Set("Authorization", authz)
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	return &resp{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// mustJSON sends a JSON body while building the world and fails unless the status is status;
// it returns the answer's object (unwrapped from its one key in the Business family).
func (e *fuzzEnv) mustJSON(method, path string, body any, token string, status int) map[string]any {
	e.tb.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		e.tb.Fatal(err)
	}
	r := e.send(method, path, "", "application/json", string(data), token)
	if r.Status != status {
		e.tb.Fatalf("world: %s %s: status %d, want %d; body %s", method, path, r.Status, status, r.Body)
	}
	return fuzzObject(r.JSON())
}

// fuzzObject returns m, or the object m wraps under its only key.
func fuzzObject(m map[string]any) map[string]any {
	if _, ok := m["id"]; ok || len(m) != 1 {
		return m
	}
	for _, v := range m {
		if o, ok := v.(map[string]any); ok {
			return o
		}
	}
	return m
}

// signUpUser registers a Budgets-family user and returns its id and access token.
func (e *fuzzEnv) signUpUser(name string) (string, string) {
	u := e.mustJSON("POST", "/register", map[string]any{"username": name, "password": testPassword,
		"email": name + "@example.com"}, "", http.StatusCreated)
	p := e.mustJSON("POST", "/api/token", map[string]any{"username": name, "password": testPassword}, "", http.StatusOK)
	return u["id"].(string), p["access"].(string)
}

// signUpOwner signs a Business-family owner up and returns its access token.
func (e *fuzzEnv) signUpOwner(name string) string {
	e.mustJSON("POST", "/accounts", map[string]any{"name": name, "email": name + "@example.com", "username": name,
		"password": testPassword}, "", http.StatusCreated)
	return e.mustJSON("POST", "/token", map[string]any{"username": name, "password": testPassword}, "", http.StatusOK)["access"].(string)
}

// buildBudgets: a creator with a budget, a category, a cash flow and a share.
func buildBudgets(e *fuzzEnv) {
	n := bizUniq()
	_, creator := e.signUpUser("fzc" + n)
	shareeID, _ := e.signUpUser("fzs" + n)
	otherID, _ := e.signUpUser("fzo" + n)
	e.tokens["creator"] = creator
	e.ids["$SHAREE"], e.ids["$OTHER_USER"], e.ids["$OTHER_NAME"] = shareeID, otherID, "fzo"+n
	e.ids["$BUDGET"] = e.mustJSON("POST", "/budgets", map[string]any{"name": "Home"}, creator, 201)["id"].(string)
	e.ids["$CATEGORY"] = e.mustJSON("POST", "/categories", map[string]any{"budget": e.ids["$BUDGET"], "name": "Food"},
		creator, 201)["id"].(string)
	e.ids["$FLOW"] = e.mustJSON("POST", "/cash-flows", map[string]any{"budget": e.ids["$BUDGET"], "name": "Pay",
		"amount": "10.00", "type": 1, "category": e.ids["$CATEGORY"]}, creator, 201)["id"].(string)
	e.ids["$SHARE"] = e.mustJSON("POST", "/budget-share", map[string]any{"budget": e.ids["$BUDGET"],
		"shared_with": shareeID, "role": 1}, creator, 201)["id"].(string)
}

// buildIdentity: a user with a fresh token pair.
func buildIdentity(e *fuzzEnv) {
	n := "fzi" + bizUniq()
	e.signUpUser(n)
	p := e.mustJSON("POST", "/api/token", map[string]any{"username": n, "password": testPassword}, "", http.StatusOK)
	e.tokens["user"] = p["access"].(string)
	e.ids["$ACCESS"], e.ids["$REFRESH"], e.ids["$USERNAME"], e.ids["$PASSWORD"] = p["access"].(string),
		p["refresh"].(string), n, testPassword
}

// buildBusiness: an owner with a business and one object of every kind in it, and an owner
// without a business.
func buildBusiness(e *fuzzEnv) {
	n := bizUniq()
	owner := e.signUpOwner("fzb" + n)
	e.tokens["owner"], e.tokens["idle"] = owner, e.signUpOwner("fzn"+n)
	e.ids["$BUSINESS"] = e.mustJSON("POST", "/business", map[string]any{"legal_name": "Acme " + n, "trade_name": "Acme",
		"cnpj": n}, owner, 201)["id"].(string)
	e.ids["$MEMBER"] = e.mustJSON("POST", "/members", map[string]any{"name": "Mark", "phone": "9" + n,
		"email": "fzm" + n + "@example.com", "has_access": true, "password": testPassword}, owner, 201)["id"].(string)
	e.ids["$CUSTOMER"] = e.mustJSON("POST", "/contacts/customers", map[string]any{"name": "Maria"}, owner, 201)["id"].(string)
	e.ids["$SUPPLIER"] = e.mustJSON("POST", "/contacts/suppliers", map[string]any{"legal_name": "Forn " + n}, owner, 201)["id"].(string)
	e.ids["$ACCOUNT"] = e.mustJSON("POST", "/finance/accounts", map[string]any{"name": "Bank"}, owner, 201)["id"].(string)
	e.ids["$ACCOUNT2"] = e.mustJSON("POST", "/finance/accounts", map[string]any{"name": "Cash"}, owner, 201)["id"].(string)
	e.ids["$FINCAT"] = e.mustJSON("POST", "/finance/categories", map[string]any{"name": "Sales"}, owner, 201)["id"].(string)
	e.ids["$TRANSACTION"] = e.mustJSON("POST", "/finance/transactions", map[string]any{"type": "credit", "amount": "500.00",
		"account": e.ids["$ACCOUNT"], "description": "Sale"}, owner, 201)["id"].(string)
	e.ids["$PRODCAT"] = e.mustJSON("POST", "/products/categories", map[string]any{"name": "Office " + n}, owner, 201)["id"].(string)
	e.ids["$PRODUCT"] = e.mustJSON("POST", "/products", map[string]any{"name": "Pen " + n, "stock": 10,
		"category": e.ids["$PRODCAT"], "supplier": e.ids["$SUPPLIER"]}, owner, 201)["id"].(string)
	e.ids["$COST"] = e.mustJSON("POST", "/products/"+e.ids["$PRODUCT"]+"/costs", map[string]any{"quantity": 1,
		"effective_date": "2025-06-01", "cost_price": "1", "retail_price": "2"}, owner, 201)["id"].(string)
	r := e.send("GET", "/products/inventory", "", "", "", owner)
	for _, it := range r.JSON()["results"].([]any) {
		inv := it.(map[string]any)["inventory"].(map[string]any)
		if inv["product"].(map[string]any)["id"] == e.ids["$PRODUCT"] {
			e.ids["$INVENTORY"] = inv["id"].(string)
		}
	}
	if e.ids["$INVENTORY"] == "" {
		e.tb.Fatalf("world: no inventory for the product: %s", r.Body)
	}
	e.ids["$MOVEMENT"] = e.mustJSON("POST", "/products/inventory/"+e.ids["$INVENTORY"]+"/transactions",
		map[string]any{"type": "inbound", "quantity": 1}, owner, 201)["id"].(string)
	e.ids["$RECEIVABLE"] = e.mustJSON("POST", "/receivables", payBody(e.ids["$CUSTOMER"], "2030-01-10", nil), owner, 201)["id"].(string)
	e.ids["$PAYABLE"] = e.mustJSON("POST", "/payables", payBody(e.ids["$SUPPLIER"], "2030-01-10", nil), owner, 201)["id"].(string)
}

// fuzzRoute is one route a fuzz target sends bodies to.
type fuzzRoute struct {
	pattern string   // as in the route table: "PATCH /budgets/{id}"
	path    string   // with placeholders: "/budgets/$BUDGET"
	caller  string   // whose token ("" anonymous)
	keys    []string // the body keys an error may name (besides non_field_errors)
	get     string   // where the written object reads back ("{id}" is its id; "" no check)
	// tokenRoute: 401 is a possible answer; unknownInDetails: unknown keys are named in details.
	tokenRoute, unknownInDetails bool
	drift                        bool // a 2xx changes the world's shape: rebuild it
}

// pick returns the route whose pattern is key, or for a mutated key one chosen from its bytes,
// so that every input reaches some route.
func pickRoute(routes []fuzzRoute, key string) fuzzRoute {
	for i := range routes {
		if routes[i].pattern == key {
			return routes[i]
		}
	}
	sum := 0
	for _, c := range []byte(key) {
		sum += int(c)
	}
	return routes[sum%len(routes)]
}

// fuzzBody runs one body fuzz input: it sends body to the route and checks the answer.
func (e *fuzzEnv) fuzzBody(t *testing.T, routes []fuzzRoute, key string, form bool, body string) {
	e.next(t)
	rt := pickRoute(routes, key)
	method, _, _ := strings.Cut(rt.pattern, " ")
	path, body := e.expand(rt.path), e.expand(body)
	ctype := "application/json"
	if form {
		ctype = "application/x-www-form-urlencoded"
	}
	r := e.send(method, path, "", ctype, body, e.tokens[rt.caller])
	what := fmt.Sprintf("%s %s %q", method, path, body)
	checkAnswer(t, what, r)
	if r.Status == http.StatusUnauthorized && !rt.tokenRoute {
		t.Fatalf("%s: 401 with a valid token; body %s", what, r.Body)
	}
	if r.Status >= 400 {
		allowed := append([]string{"non_field_errors"}, rt.keys...)
		sent := sentKeys(form, body)
		if rt.unknownInDetails {
			allowed = append(allowed, sent...)
		}
		checkErrorNames(t, what, r, allowed, sent)
		return
	}
	if rt.drift {
		e.stale = true
	}
	if rt.get != "" {
		e.checkReadBack(t, what, rt, r)
	}
}

// checkAnswer: never a 5xx; a JSON body (but for 204); an error is the envelope with its status.
func checkAnswer(t *testing.T, what string, r *resp) {
	t.Helper()
	if r.Status >= 500 || r.Status < 200 {
		t.Fatalf("%s: status %d, want 2xx or 4xx; body %s", what, r.Status, r.Body)
	}
	if r.Status == http.StatusNoContent {
		if len(r.Body) != 0 {
			t.Fatalf("%s: 204 with body %s", what, r.Body)
		}
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" || !json.Valid(r.Body) {
		t.Fatalf("%s: Content-Type %q, body %s; want JSON", what, ct, r.Body)
	}
	if r.Status < 400 {
		return
	}
	var env struct {
		Error struct {
			Status  int                 `json:"status"`
			Message string              `json:"message"`
			Details map[string][]string `json:"details"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil || env.Error.Status != r.Status || env.Error.Message == "" {
		t.Fatalf("%s: status %d body %s; want the error envelope", what, r.Status, r.Body)
	}
	if r.Status == http.StatusMethodNotAllowed {
		t.Fatalf("%s: 405 on a registered route", what)
	}
}

// checkErrorNames: every field an error names is one the route reads (or non_field_errors), with
// at least one non-empty message; the invalid list names only keys that were sent.
func checkErrorNames(t *testing.T, what string, r *resp, allowed, sent []string) {
	t.Helper()
	var env struct {
		Error struct {
			Details map[string][]string `json:"details"`
			Invalid []string            `json:"invalid"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	for k, msgs := range env.Error.Details {
		if !slices.Contains(allowed, k) {
			t.Fatalf("%s: error names field %q, not one the route reads (%v); body %s", what, k, allowed, r.Body)
		}
		if len(msgs) == 0 || slices.Contains(msgs, "") {
			t.Fatalf("%s: field %q without a message; body %s", what, k, r.Body)
		}
	}
	if sent == nil {
		return
	}
	for _, k := range env.Error.Invalid {
		if !slices.Contains(sent, k) {
			t.Fatalf("%s: invalid lists %q, which was not sent (%v)", what, k, sent)
		}
	}
}

// sentKeys returns the top-level keys of a JSON object or form body, or nil when it is neither,
// as JSON renders them (a form key's invalid UTF-8 comes back as U+FFFD).
func sentKeys(form bool, body string) []string {
	var keys []string
	if form {
		vals, err := url.ParseQuery(body)
		if err != nil {
			return nil
		}
		for k := range vals {
			var back string
			_ = json.Unmarshal([]byte(mustMarshal(k)), &back)
			keys = append(keys, back)
		}
		return keys
	}
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(body), &m) != nil {
		return nil
	}
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// checkReadBack: what a write answered is what a read of the object answers, key by key.
func (e *fuzzEnv) checkReadBack(t *testing.T, what string, rt fuzzRoute, r *resp) {
	t.Helper()
	wrote := fuzzObject(r.JSON())
	id, _ := wrote["id"].(string)
	g := e.send("GET", e.expand(strings.ReplaceAll(rt.get, "{id}", id)), "", "", "", e.tokens[rt.caller])
	if g.Status != http.StatusOK {
		t.Fatalf("%s: answered %s, but reading it back is %d %s", what, r.Body, g.Status, g.Body)
	}
	read := fuzzObject(g.JSON())
	for k, v := range wrote {
		got, ok := read[k]
		if !ok {
			continue // the detail has other keys than the write's answer (budgets-api.md §3.3)
		}
		if a, b := mustMarshal(v), mustMarshal(got); a != b {
			t.Fatalf("%s: wrote %s = %s, read back %s", what, k, a, b)
		}
	}
}

func mustMarshal(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
