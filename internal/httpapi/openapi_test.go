package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/bursar/bursar/api"
	"github.com/bursar/bursar/internal/ratelimit"
	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// The OpenAPI document, loaded once per test binary.
var openAPI struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

func loadOpenAPI(t testing.TB) (*openapi3.T, routers.Router) {
	t.Helper()
	openAPI.once.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(api.Spec)
		if err != nil {
			openAPI.err = err
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			openAPI.err = err
			return
		}
		doc.Servers = nil // match on the path only, whatever the test server's address
		openAPI.doc = doc
		openAPI.router, openAPI.err = gorillamux.NewRouter(doc)
	})
	if openAPI.err != nil {
		t.Fatalf("openapi.yaml: %v", openAPI.err)
	}
	return openAPI.doc, openAPI.router
}

// findRoute finds the documented operation of req, trying the other trailing-slash form of the
// path when the written one is not documented (every path answers in both forms).
func findRoute(rt routers.Router, req *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := rt.FindRoute(req)
	if !errors.Is(err, routers.ErrPathNotFound) {
		return route, params, err
	}
	p := req.URL.Path
	switch {
	case p == "/":
		return route, params, err
	case strings.HasSuffix(p, "/"):
		p = strings.TrimSuffix(p, "/")
	default:
		p += "/"
	}
	alt := req.Clone(req.Context())
	alt.URL.Path, alt.URL.RawPath = p, ""
	return rt.FindRoute(alt)
}

// documentedMethods returns the methods the document lists for req's path.
func documentedMethods(rt routers.Router, req *http.Request) []string {
	var out []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		r := req.Clone(req.Context())
		r.Method = m
		if _, _, err := findRoute(rt, r); err == nil {
			out = append(out, m)
		}
	}
	return out
}

// checkOpenAPI validates a real response against openapi.yaml: the status must be documented
// for the operation, the body must match its schema (response objects are closed, so extra keys
// fail) and documented headers must be present. A 405 must list in Allow exactly the documented
// methods (plus HEAD with GET); a 404 on an undocumented path must still be the envelope. Every
// error body's status must equal the HTTP status, and every response carries X-Request-ID.
func checkOpenAPI(t *testing.T, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	doc, rt := loadOpenAPI(t)
	where := req.Method + " " + req.URL.RequestURI()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf("%s → %d: "+format+"\nbody: %s", append([]any{where, status}, append(args, body)...)...)
	}

	if header.Get("X-Request-ID") == "" {
		fail("no X-Request-ID header")
	}
	if status >= 400 && req.Method != http.MethodHead {
		var env struct {
			Error struct {
				Status int `json:"status"`
			} `json:"error"`
		}
		if err := json.Unmarshal(body, &env); err != nil || env.Error.Status != status {
			fail("error.status is not the HTTP status")
		}
	}

	// HEAD is served by every GET operation, without a body.
	lookup := req
	if req.Method == http.MethodHead {
		lookup = req.Clone(req.Context())
		lookup.Method = http.MethodGet
	}
	route, params, err := findRoute(rt, lookup)
	switch {
	case errors.Is(err, routers.ErrMethodNotAllowed):
		if status != http.StatusMethodNotAllowed {
			fail("method not documented for this path, yet answered %d", status)
			return
		}
		wantAllow := documentedMethods(rt, req)
		if slices.Contains(wantAllow, "GET") {
			wantAllow = append(wantAllow, "HEAD")
		}
		var gotAllow []string
		for _, m := range strings.Split(header.Get("Allow"), ",") {
			if m = strings.TrimSpace(m); m != "" {
				gotAllow = append(gotAllow, m)
			}
		}
		slices.Sort(gotAllow)
		slices.Sort(wantAllow)
		if !slices.Equal(gotAllow, wantAllow) {
			fail("Allow %q, documented %v", header.Get("Allow"), wantAllow)
		}
		validateComponentResponse(t, doc, "MethodNotAllowed", header, body, fail)
		return
	case errors.Is(err, routers.ErrPathNotFound):
		if status != http.StatusNotFound {
			fail("path not documented, yet answered %d", status)
			return
		}
		validateComponentResponse(t, doc, "NotFound", header, body, fail)
		return
	case err != nil:
		fail("find route: %v", err)
		return
	}

	if req.Method == http.MethodHead {
		if route.Operation.Responses.Status(status) == nil {
			fail("status not documented for GET %s", route.Path)
		}
		if len(body) != 0 {
			fail("HEAD answered with a body")
		}
		return
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	opts.WithCustomSchemaErrorFunc(schemaErrorText)
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    req,
			PathParams: params,
			Route:      route,
		},
		Status:  status,
		Header:  header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: opts,
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		fail("does not conform to openapi.yaml (%s %s): %v", route.Method, route.Path, err)
	}
}

// validateComponentResponse validates a response against components.responses[name]: its
// required headers and its JSON schema.
func validateComponentResponse(t *testing.T, doc *openapi3.T, name string, header http.Header, body []byte, fail func(string, ...any)) {
	t.Helper()
	ref := doc.Components.Responses[name]
	if ref == nil || ref.Value == nil {
		fail("components.responses.%s is missing", name)
		return
	}
	for h, hv := range ref.Value.Headers {
		if hv.Value.Required && header.Get(h) == "" {
			fail("no %s header", h)
		}
	}
	if ct := header.Get("Content-Type"); ct != "application/json" {
		fail("Content-Type %q", ct)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		fail("body is not JSON: %v", err)
		return
	}
	if err := ref.Value.Content.Get("application/json").Schema.Value.VisitJSON(v, openapi3.MultiErrors(),
		openapi3.VisitAsResponse(), openapi3.SetSchemaErrorMessageCustomizer(schemaErrorText)); err != nil {
		fail("body does not match components.responses.%s: %v", name, err)
	}
}

// schemaErrorText is a schema error without the schema dump: where, and why.
func schemaErrorText(err *openapi3.SchemaError) string {
	return "at /" + strings.Join(err.JSONPointer(), "/") + ": " + err.Reason
}

// oaClient sends requests to a test server and validates every response with checkOpenAPI.
type oaClient struct {
	t *testing.T
	e *testEnv
}

type oaResp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r *oaResp) json() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.Body, &m)
	return m
}

func (r *oaResp) str(key string) string { s, _ := r.json()[key].(string); return s }

// call sends body (nil, a string sent as is, url.Values sent as a form, or a value sent as
// JSON) and fails unless the status is wantStatus and the response conforms to openapi.yaml.
func (c *oaClient) call(method, path string, body any, token string, wantStatus int) *oaResp {
	c.t.Helper()
	return c.callCT(method, path, body, "", token, wantStatus)
}

func (c *oaClient) callCT(method, path string, body any, ctype, token string, wantStatus int) *oaResp {
	c.t.Helper()
	var data []byte
	switch b := body.(type) {
	case nil:
	case string:
		data = []byte(b)
	case url.Values:
		data = []byte(b.Encode())
		if ctype == "" {
			ctype = "application/x-www-form-urlencoded"
		}
	default:
		var err error
		if data, err = json.Marshal(b); err != nil {
			c.t.Fatal(err)
		}
	}
	if body != nil && ctype == "" {
		ctype = "application/json"
	}
	req, err := http.NewRequest(method, c.e.srv.URL+path, bytes.NewReader(data))
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := c.e.srv.Client().Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	if res.StatusCode != wantStatus {
		c.t.Errorf("%s %s: status %d, want %d; body %s", method, path, res.StatusCode, wantStatus, got)
	}
	checkOpenAPI(c.t, req, res.StatusCode, res.Header, got)
	return &oaResp{Status: res.StatusCode, Header: res.Header, Body: got}
}

// TestOpenAPIConformance drives the real server through the documented operations, successes
// and errors, and validates every response against openapi.yaml.
func TestOpenAPIConformance(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		c := &oaClient{t: t, e: newTestEnv(t, db, nil)}

		// System.
		c.call("GET", "/healthz", nil, "", 200)
		c.call("GET", "/readyz", nil, "", 200)
		c.call("GET", "/metrics", nil, "", 200)
		c.call("GET", "/openapi.yaml", nil, "", 200)

		// Sign-up: form-encoded (as the predecessor's tests) and JSON.
		c.call("POST", "/register/", url.Values{"username": {"alice"}, "password": {testPassword},
			"email": {"alice@example.com"}}, "", 201)
		bob := c.call("POST", "/register", map[string]string{"username": "bob", "password": testPassword}, "", 201)
		bobID := bob.str("id")
		c.call("POST", "/register/", map[string]string{"username": "carol", "password": testPassword,
			"email": "carol@example.com"}, "", 201)
		c.call("POST", "/register/", map[string]string{"username": "alice", "password": testPassword}, "", 400)
		c.call("POST", "/register/", map[string]string{"username": "dave", "password": "123"}, "", 400)

		// Tokens, both path families.
		c.call("POST", "/api/token/", map[string]string{"username": "alice", "password": "wrong-password"}, "", 401)
		c.call("POST", "/api/token/", map[string]string{"username": "alice"}, "", 400)
		pair := c.call("POST", "/api/token/", map[string]string{"username": "alice", "password": testPassword}, "", 200)
		pair = c.call("POST", "/api/token/refresh/", map[string]string{"refresh": pair.str("refresh")}, "", 200)
		pair = c.call("POST", "/token/refresh", url.Values{"refresh": {pair.str("refresh")}}, "", 200)
		alice := pair.str("access")
		c.call("POST", "/api/token/verify/", map[string]string{"token": alice}, "", 200)
		c.call("POST", "/api/token/verify", map[string]string{"token": "not-a-token"}, "", 401)
		c.call("POST", "/api/token/refresh/", map[string]string{"refresh": alice}, "", 401) // wrong type
		bobPair := c.call("POST", "/token", map[string]string{"username": "bob", "password": testPassword}, "", 200)
		bobTok := bobPair.str("access")
		carol := c.call("POST", "/token/", map[string]string{"username": "carol@example.com", "password": testPassword}, "", 200).str("access")
		out := c.call("POST", "/token", map[string]string{"username": "alice", "password": testPassword}, "", 200)
		c.call("POST", "/api/token/blacklist/", map[string]string{"refresh": out.str("refresh")}, "", 200)
		c.call("POST", "/token/blacklist", map[string]string{"refresh": out.str("refresh")}, "", 401)
		c.call("GET", "/me", nil, out.str("access"), 401) // its sign-in ended

		// The caller's own account.
		c.call("GET", "/me", nil, alice, 200)
		c.call("GET", "/me/", nil, bobTok, 200)
		c.call("GET", "/me", nil, "", 401)
		c.call("GET", "/me", nil, "garbage", 401)
		c.call("GET", "/me/preferences", nil, alice, 200)
		c.call("PATCH", "/me/preferences", map[string]any{"get_notification": "true"}, alice, 200)
		c.call("PATCH", "/me/preferences/", url.Values{"get_notification": {"0"}}, alice, 200)
		c.call("PATCH", "/me/preferences", map[string]any{"get_notification": "maybe"}, alice, 400)
		c.call("PATCH", "/accounts", map[string]any{"name": "Alice A.", "get_notification": true, "id": "x"}, alice, 200)
		c.call("PATCH", "/accounts/", map[string]any{"bogus": 1}, alice, 400)
		c.call("PATCH", "/accounts", map[string]any{"password": "new-password-1"}, alice, 400)
		c.call("POST", "/register/", map[string]string{"username": "erin", "password": testPassword,
			"email": "erin@example.com"}, "", 201)
		erin := c.call("POST", "/token", map[string]string{"username": "erin", "password": testPassword}, "", 200).str("access")
		c.call("PATCH", "/accounts", map[string]any{"username": nil}, erin, 200)
		if me := c.call("GET", "/me", nil, erin, 200).json(); me["user"].(map[string]any)["username"] != nil {
			t.Errorf("/me username = %v, want null", me["user"])
		}

		// Generic errors: 404, 405 (before authentication), 413, 415.
		c.call("GET", "/nope", nil, "", 404)
		c.call("DELETE", "/me", nil, "", 405)
		c.call("GET", "/register/", nil, "", 405)
		c.call("GET", "/accounts", nil, alice, 405)
		c.call("PUT", "/budgets/", nil, "", 405)
		c.call("POST", "/budgets/01JYM6QVGZBSTGMECFQV138WAA/", nil, "", 405)
		c.call("DELETE", "/healthz", nil, "", 405)
		c.callCT("POST", "/register/", "hello", "text/plain", "", 415)
		c.callCT("POST", "/budgets/", `{"name":"x"}`, "multipart/form-data; boundary=x", alice, 415)
		c.call("POST", "/register/", `{"username":"`+strings.Repeat("x", 1<<20)+`"}`, "", 413)
		c.call("POST", "/register/", `{"username":`, "", 400)

		// Budgets.
		c.call("GET", "/budgets/", nil, "", 401)
		c.call("GET", "/budgets/", nil, alice, 200)
		budget := c.call("POST", "/budgets/", map[string]string{"name": "Home", "description": "Monthly"}, alice, 201)
		bID := budget.str("id")
		c.call("POST", "/budgets", url.Values{"name": {"Car"}}, alice, 201)
		c.call("POST", "/budgets/", map[string]string{"name": strings.Repeat("n", 21)}, alice, 400)
		c.call("POST", "/budgets/", map[string]any{"description": nil}, alice, 400)
		c.call("GET", "/budgets/", nil, alice, 200)
		c.call("GET", "/budgets", nil, alice, 200)
		c.call("HEAD", "/budgets/", nil, alice, 200)
		c.call("HEAD", "/budgets/", nil, "", 401)
		c.call("GET", "/budgets/?page=2", nil, alice, 404)
		c.call("GET", "/budgets/?page=x", nil, alice, 404)
		c.call("GET", "/budgets/"+bID+"/", nil, alice, 200)
		c.call("GET", "/budgets/"+bID, nil, alice, 200)
		c.call("GET", "/budgets/not-an-id/", nil, alice, 404)
		c.call("GET", "/budgets/"+bID+"/", nil, bobTok, 404) // not shared yet
		c.call("PATCH", "/budgets/"+bID+"/", map[string]string{"description": ""}, alice, 200)
		c.call("PUT", "/budgets/"+bID+"/", map[string]string{"name": "House", "description": "d"}, alice, 200)
		c.call("PUT", "/budgets/"+bID+"/", map[string]string{"description": "no name"}, alice, 400)

		// Categories.
		cat := c.call("POST", "/categories/", map[string]string{"budget": bID, "name": "Food"}, alice, 201)
		catID := cat.str("id")
		c.call("POST", "/categories/", url.Values{"budget": {bID}, "name": {"Rent"}, "description": {"monthly"}}, alice, 201)
		c.call("POST", "/categories/", map[string]string{"budget": "bad", "name": "X"}, alice, 400)
		c.call("POST", "/categories/", map[string]string{"budget": bID, "name": "X"}, bobTok, 404)
		c.call("GET", "/categories/?budget="+bID, nil, alice, 200)
		c.call("GET", "/categories/", nil, alice, 200)
		c.call("GET", "/categories/?budget=bad", nil, alice, 400)
		c.call("GET", "/categories/?budget="+bID, nil, bobTok, 404)
		c.call("GET", "/categories/"+catID+"/", nil, alice, 200)
		c.call("PATCH", "/categories/"+catID+"/", map[string]string{"description": "groceries"}, alice, 200)
		c.call("PUT", "/categories/"+catID, map[string]string{"name": "Groceries"}, alice, 200)

		// Cash flows.
		flow := c.call("POST", "/cash-flows/", map[string]any{"budget": bID, "name": "Salary", "amount": 5000,
			"type": 1}, alice, 201)
		flowID := flow.str("id")
		c.call("POST", "/cash-flows/", url.Values{"budget": {bID}, "name": {"Bread"}, "amount": {"3.25"},
			"type": {"2"}, "category": {catID}}, alice, 201)
		c.call("POST", "/cash-flows/", map[string]any{"budget": bID, "name": "Bad", "amount": "1.234", "type": 2}, alice, 400)
		c.call("POST", "/cash-flows/", map[string]any{"budget": bID, "name": "Bad", "amount": 1, "type": 3}, alice, 400)
		c.call("GET", "/cash-flows/?budget="+bID, nil, alice, 200)
		c.call("GET", "/cash-flows/"+flowID+"/", nil, alice, 200)
		c.call("PATCH", "/cash-flows/"+flowID+"/", map[string]any{"category": catID}, alice, 200)
		c.call("PATCH", "/cash-flows/"+flowID+"/", map[string]any{"category": nil}, alice, 200)
		c.call("PUT", "/cash-flows/"+flowID+"/", map[string]any{"budget": bID, "name": "Pay", "amount": "5100.10",
			"type": "1"}, alice, 200)
		c.call("GET", "/budgets/"+bID+"/", nil, alice, 200) // totals

		// Shares.
		share := c.call("POST", "/budget-share/", map[string]any{"budget": bID, "shared_with": "bob"}, alice, 201)
		shareID := share.str("id")
		c.call("POST", "/budget-share/", url.Values{"budget": {bID}, "shared_with": {"carol@example.com"}, "role": {"1"}}, alice, 201)
		c.call("POST", "/budget-share/", map[string]any{"budget": bID, "shared_with": bobID}, alice, 400) // twice
		c.call("POST", "/budget-share/", map[string]any{"budget": bID, "shared_with": "nobody"}, alice, 400)
		c.call("POST", "/budget-share/", map[string]any{"budget": bID, "shared_with": "ERIN@example.com"}, alice, 201)
		c.call("POST", "/budget-share/", map[string]any{"budget": bID, "shared_with": "alice"}, alice, 400) // the creator
		c.call("POST", "/budget-share/", map[string]any{"budget": bID, "shared_with": "erin@example.com"}, bobTok, 403)
		c.call("GET", "/budget-share/?budget="+bID, nil, alice, 200)
		c.call("GET", "/budget-share/", nil, bobTok, 200)
		c.call("GET", "/budget-share/"+shareID+"/", nil, bobTok, 200)
		c.call("PATCH", "/budget-share/"+shareID+"/", map[string]any{"role": 2}, alice, 200)
		c.call("PUT", "/budget-share/"+shareID+"/", map[string]any{"role": "2", "budget": bID}, alice, 200)
		c.call("PATCH", "/budget-share/"+shareID+"/", map[string]any{"role": 1}, bobTok, 403)
		c.call("GET", "/budgets/", nil, bobTok, 200)
		c.call("GET", "/budgets/"+bID+"/", nil, bobTok, 200)
		c.call("PATCH", "/budgets/"+bID+"/", map[string]string{"name": "Mine"}, bobTok, 403)
		c.call("POST", "/cash-flows/", map[string]any{"budget": bID, "name": "X", "amount": 1, "type": 2}, bobTok, 403)
		c.call("POST", "/cash-flows/", map[string]any{"budget": bID, "name": "Milk", "amount": "1.10", "type": 2}, carol, 201)

		// A list longer than a page: next and previous links.
		for i := 0; i < PageSize; i++ {
			c.call("POST", "/categories/", map[string]string{"budget": bID, "name": "c"}, alice, 201)
		}
		first := c.call("GET", "/categories/?budget="+bID, nil, alice, 200)
		if next, _ := first.json()["next"].(string); !strings.HasSuffix(next, "page=2") {
			t.Errorf("next = %q", next)
		}
		c.call("GET", "/categories/?budget="+bID+"&page=2", nil, alice, 200)

		// Deletes.
		c.call("DELETE", "/cash-flows/"+flowID+"/", nil, alice, 204)
		c.call("GET", "/cash-flows/"+flowID+"/", nil, alice, 404)
		c.call("DELETE", "/categories/"+catID+"/", nil, alice, 204)
		c.call("DELETE", "/budget-share/"+shareID+"/", nil, bobTok, 204) // bob leaves
		c.call("GET", "/budgets/"+bID+"/", nil, bobTok, 404)
		c.call("DELETE", "/budgets/"+bID+"/", nil, carol, 403)
		c.call("DELETE", "/budgets/"+bID, nil, alice, 204)
		c.call("GET", "/budgets/"+bID+"/", nil, alice, 404)
	})
}

// TestOpenAPIConformanceRateLimited validates 429 answers (sign-in and per-user limits) and the
// rate-limit headers against openapi.yaml.
func TestOpenAPIConformanceRateLimited(t *testing.T) {
	e := newTestEnvWith(t, sqlstoretest.SQLite(t), nil, Config{RateLimits: RateLimits{
		Limiter: ratelimit.NewMemory(nil), Minute: 4, Day: 1000, AuthMinute: 2, AuthHour: 50}})
	c := &oaClient{t: t, e: e}
	c.call("POST", "/register/", map[string]string{"username": "alice", "password": testPassword}, "", 201)
	access := c.call("POST", "/api/token/", map[string]string{"username": "alice", "password": testPassword}, "", 200).str("access")
	c.call("POST", "/token", map[string]string{"username": "alice", "password": testPassword}, "", 429)
	c.call("GET", "/budgets/", nil, access, 200)
	c.call("POST", "/budgets/", map[string]string{"name": "Home"}, access, 201)
	c.call("GET", "/me", nil, access, 200)
	c.call("GET", "/me", nil, access, 200)
	c.call("GET", "/budgets/", nil, access, 429)
	c.call("GET", "/healthz", nil, "", 200) // never limited
}

// TestOpenAPIConformanceDatabaseDown validates the 503 of /readyz and the 500 envelope (with
// its request id) when the database is gone.
func TestOpenAPIConformanceDatabaseDown(t *testing.T) {
	db := sqlstoretest.SQLite(t)
	c := &oaClient{t: t, e: newTestEnv(t, db, nil)}
	c.call("POST", "/register/", map[string]string{"username": "alice", "password": testPassword}, "", 201)
	access := c.call("POST", "/api/token/", map[string]string{"username": "alice", "password": testPassword}, "", 200).str("access")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	c.call("GET", "/readyz", nil, "", 503)
	r := c.call("GET", "/budgets/", nil, access, 500)
	var env struct {
		Error struct {
			RequestID string `json:"request_id"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &env); err != nil || env.Error.RequestID == "" || env.Error.RequestID != r.Header.Get("X-Request-ID") {
		t.Errorf("500 request_id %q, X-Request-ID %q", env.Error.RequestID, r.Header.Get("X-Request-ID"))
	}
	c.call("POST", "/api/token/", map[string]string{"username": "alice", "password": testPassword}, "", 500)
}
