package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/bursar/bursar/internal/id"
)

// Fuzz targets of what arrives outside the body: list query strings (page, search, date
// filters, the budget filter), ids in paths, and the Authorization header.

// buildAll is the Budgets world and the Business world in one database.
func buildAll(e *fuzzEnv) {
	buildBudgets(e)
	buildBusiness(e)
}

// fuzzLists are the list routes and who lists (query parameters are the fuzzed part).
var fuzzLists = []fuzzRoute{
	{pattern: "GET /budgets", path: "/budgets", caller: "creator"},
	{pattern: "GET /categories", path: "/categories", caller: "creator"},
	{pattern: "GET /cash-flows", path: "/cash-flows/", caller: "creator"},
	{pattern: "GET /budget-share", path: "/budget-share", caller: "creator"},
	{pattern: "GET /members", path: "/members", caller: "owner"},
	{pattern: "GET /contacts", path: "/contacts", caller: "owner"},
	{pattern: "GET /contacts/customers", path: "/contacts/customers", caller: "owner"},
	{pattern: "GET /contacts/suppliers", path: "/contacts/suppliers", caller: "owner"},
	{pattern: "GET /finance/accounts", path: "/finance/accounts", caller: "owner"},
	{pattern: "GET /finance/categories", path: "/finance/categories", caller: "owner"},
	{pattern: "GET /finance/transactions", path: "/finance/transactions", caller: "owner"},
	{pattern: "GET /receivables", path: "/receivables", caller: "owner"},
	{pattern: "GET /payables", path: "/payables/", caller: "owner"},
	{pattern: "GET /products", path: "/products", caller: "owner"},
	{pattern: "GET /products/categories", path: "/products/categories", caller: "owner"},
	{pattern: "GET /products/{product_id}/costs", path: "/products/$PRODUCT/costs", caller: "owner"},
	{pattern: "GET /products/inventory", path: "/products/inventory", caller: "owner"},
	{pattern: "GET /products/inventory/{inventory_id}/transactions", path: "/products/inventory/$INVENTORY/transactions", caller: "owner"},
}

// FuzzListQueries: any query string on any list is a page (at most PageSize results, count at
// least as many) or a 400/404 envelope whose fields are parameters that were sent; never a 5xx.
func FuzzListQueries(f *testing.F) {
	for _, rt := range fuzzLists {
		f.Add(rt.pattern, "")
		f.Add(rt.pattern, "page=2")
	}
	for _, q := range []string{"budget=$BUDGET", "budget=nope&page=1", "budget=", "search=Maria", "search=", "search=%00",
		"date=today", "date=week&search=x", "start_date=2025-01-01&end_date=2025-12-31", "date=2026-02-30",
		"start_date=2025-12-31&end_date=2025-01-01", "bank=$ACCOUNT", "page=0", "page=99999999999999999999", "page=1&page=2"} {
		f.Add("GET /finance/transactions", q)
		f.Add("GET /cash-flows", q)
	}
	e := newFuzzEnv(f, buildAll)
	f.Fuzz(func(t *testing.T, route, query string) {
		e.next(t)
		rt := pickRoute(fuzzLists, route)
		query = e.expand(query)
		r := e.send("GET", e.expand(rt.path), query, "", "", e.tokens[rt.caller])
		what := fmt.Sprintf("GET %s?%s", rt.path, query)
		checkAnswer(t, what, r)
		switch r.Status {
		case http.StatusOK:
			var page struct {
				Count   *int              `json:"count"`
				Results []json.RawMessage `json:"results"`
			}
			if err := json.Unmarshal(r.Body, &page); err != nil || page.Count == nil || page.Results == nil {
				t.Fatalf("%s: 200 but not a page: %s", what, r.Body)
			}
			if len(page.Results) > PageSize || *page.Count < len(page.Results) {
				t.Fatalf("%s: %d results of count %d (page size %d)", what, len(page.Results), *page.Count, PageSize)
			}
		case http.StatusBadRequest, http.StatusNotFound:
			vals, _ := url.ParseQuery(query)
			var names []string
			for k := range vals {
				names = append(names, k)
			}
			checkErrorNames(t, what, r, append(names, "non_field_errors"), nil)
		default:
			t.Fatalf("%s: status %d, want 200, 400 or 404; body %s", what, r.Status, r.Body)
		}
	})
}

// fuzzObjects are the routes of one object: {} is where the id goes, want the placeholder of the
// one object of the world it finds.
var fuzzObjects = []struct{ path, caller, want string }{
	{"/budgets/{}", "creator", "$BUDGET"},
	{"/categories/{}", "creator", "$CATEGORY"},
	{"/cash-flows/{}/", "creator", "$FLOW"},
	{"/budget-share/{}", "creator", "$SHARE"},
	{"/members/{}", "owner", "$MEMBER"},
	{"/contacts/customers/{}", "owner", "$CUSTOMER"},
	{"/contacts/suppliers/{}", "owner", "$SUPPLIER"},
	{"/finance/accounts/{}", "owner", "$ACCOUNT"},
	{"/finance/categories/{}", "owner", "$FINCAT"},
	{"/finance/transactions/{}", "owner", "$TRANSACTION"},
	{"/receivables/{}", "owner", "$RECEIVABLE"},
	{"/payables/{}", "owner", "$PAYABLE"},
	{"/products/{}", "owner", "$PRODUCT"},
	{"/products/categories/{}", "owner", "$PRODCAT"},
	{"/products/$PRODUCT/costs/{}", "owner", "$COST"},
	{"/products/inventory/{}", "owner", "$INVENTORY"},
	{"/products/inventory/transactions/{}", "owner", "$MOVEMENT"},
}

// FuzzPathIDs: an id in a path finds its object when it is that object's ULID in either case,
// and is 404 otherwise: malformed, another object's, or an escape-laden string; never a 5xx.
func FuzzPathIDs(f *testing.F) {
	for i, o := range fuzzObjects {
		f.Add(uint8(i), o.want, false)
		f.Add(uint8(i), o.want, true)
	}
	for _, s := range []string{"", "x", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "01arz3ndektsv4rrffq69g5fav", "81ARZ3NDEKTSV4RRFFQ69G5FAV",
		"01ARZ3NDEKTSV4RRFFQ69G5FA", "01ARZ3NDEKTSV4RRFFQ69G5FAVV", "01ARZ3NDEKTSV4RRFFQ69G5FAU", "1", "-1", "%", "ＡＢＣ",
		"$CATEGORY", "..", "a/b", "inventory", "categories", "$BUDGET\x00"} {
		f.Add(uint8(0), s, false)
		f.Add(uint8(12), s, false)
	}
	e := newFuzzEnv(f, buildAll)
	f.Fuzz(func(t *testing.T, which uint8, raw string, lower bool) {
		e.next(t)
		o := fuzzObjects[int(which)%len(fuzzObjects)]
		v := e.expand(raw)
		if lower {
			v = strings.ToLower(v)
		}
		if v == "" || v == "." || v == ".." || (strings.HasPrefix(o.path, "/products/{}") && slices.Contains([]string{"inventory", "categories"}, v)) {
			return // another route: the list, a cleaned path, a products literal
		}
		path := e.expand(strings.Replace(o.path, "{}", url.PathEscape(v), 1))
		r := e.send("GET", path, "", "", "", e.tokens[o.caller])
		what := fmt.Sprintf("GET %s", path)
		checkAnswer(t, what, r)
		canon, ok := id.Normalize(v)
		wantID := e.ids[o.want]
		switch {
		case ok && canon == wantID:
			if r.Status != http.StatusOK || fuzzObject(r.JSON())["id"] != wantID {
				t.Fatalf("%s: %d %s; want 200 with id %s", what, r.Status, r.Body, wantID)
			}
		case r.Status != http.StatusNotFound:
			t.Fatalf("%s: %d %s; want 404 for an id naming nothing", what, r.Status, r.Body)
		}
	})
}

// FuzzBearerHeader: only an Authorization header carrying the exact access token as the one
// credential after the Bearer scheme authenticates; anything else is 401 with
// WWW-Authenticate, never a 5xx.
func FuzzBearerHeader(f *testing.F) {
	for _, s := range []string{"Bearer $ACCESS", "bearer $ACCESS", "Bearer  $ACCESS ", "Bearer $ACCESS x", "Bearer $REFRESH",
		"Token $ACCESS", "Bearer", "Bearer ", "", "Basic dXNlcjpwYXNz", "Bearer $ACCESSx", "Bearer\t$ACCESS",
		"Bearer eyJhbGciOiJub25lIn0.eyJ1c2VyX2lkIjoiMSJ9."} {
		f.Add(s)
	}
	e := newFuzzEnv(f, buildIdentity)
	f.Fuzz(func(t *testing.T, header string) {
		e.next(t)
		h := e.expand(header)
		req := "GET /me with Authorization " + fmt.Sprintf("%q", h)
		r := e.sendHeader("/me", h)
		checkAnswer(t, req, r)
		_, rest, _ := strings.Cut(h, " ")
		switch r.Status {
		case http.StatusOK:
			if f := strings.Fields(rest); len(f) != 1 || f[0] != e.ids["$ACCESS"] {
				t.Fatalf("%s: authenticated", req)
			}
		case http.StatusUnauthorized:
			if r.Header.Get("WWW-Authenticate") == "" {
				t.Fatalf("%s: 401 without WWW-Authenticate", req)
			}
		default:
			t.Fatalf("%s: status %d, want 200 or 401; body %s", req, r.Status, r.Body)
		}
	})
}
