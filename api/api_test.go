package api_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/bursar/bursar/api"
)

func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.Spec)
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	return doc
}

// TestSpecValid loads the embedded document and validates it as OpenAPI 3.0.
func TestSpecValid(t *testing.T) {
	doc := loadSpec(t)
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
}

// specRoutes is every documented path with exactly its methods, so the document cannot silently
// lose (or grow) a route.
var specRoutes = map[string][]string{
	// identity, Budgets-style paths
	"/register/":            {"POST"},
	"/api/token/":           {"POST"},
	"/api/token/refresh/":   {"POST"},
	"/api/token/verify/":    {"POST"},
	"/api/token/blacklist/": {"POST"},
	// identity, Business-style paths
	"/token":           {"POST"},
	"/token/refresh":   {"POST"},
	"/token/blacklist": {"POST"},
	"/me":              {"GET"},
	"/me/preferences":  {"GET", "PATCH"},
	"/accounts":        {"POST", "PATCH", "DELETE"},
	// Budgets family
	"/budgets/":           {"GET", "POST"},
	"/budgets/{id}/":      {"GET", "PUT", "PATCH", "DELETE"},
	"/categories/":        {"GET", "POST"},
	"/categories/{id}/":   {"GET", "PUT", "PATCH", "DELETE"},
	"/cash-flows/":        {"GET", "POST"},
	"/cash-flows/{id}/":   {"GET", "PUT", "PATCH", "DELETE"},
	"/budget-share/":      {"GET", "POST"},
	"/budget-share/{id}/": {"GET", "PUT", "PATCH", "DELETE"},
	// Business family (business-api.md §2, routes 7–22; /business/settings is S26)
	"/owner":                                 {"GET", "PATCH"},
	"/business":                              {"GET", "POST", "PATCH", "DELETE"},
	"/business/settings":                     {"GET", "PATCH"},
	"/members":                               {"GET", "POST"},
	"/members/{member_id}":                   {"GET", "PATCH", "DELETE"},
	"/contacts":                              {"GET"},
	"/contacts/customers":                    {"GET", "POST"},
	"/contacts/customers/{customer_id}":      {"GET", "PATCH", "DELETE"},
	"/contacts/suppliers":                    {"GET", "POST"},
	"/contacts/suppliers/{supplier_id}":      {"GET", "PATCH", "DELETE"},
	"/finance/accounts":                      {"GET", "POST"},
	"/finance/accounts/{account_id}":         {"GET", "PATCH", "DELETE"},
	"/finance/categories":                    {"GET", "POST"},
	"/finance/categories/{category_id}":      {"GET", "PATCH", "DELETE"},
	"/finance/transactions":                  {"GET", "POST"},
	"/finance/transactions/{transaction_id}": {"GET", "DELETE"},
	// Business family, billing (§2.6, routes 23–30)
	"/receivables":                        {"GET", "POST"},
	"/receivables/{receivable_id}":        {"GET", "PATCH", "DELETE"},
	"/receivables/{receivable_id}/settle": {"POST"},
	"/payables":                           {"GET", "POST"},
	"/payables/{payable_id}":              {"GET", "PATCH", "DELETE"},
	"/payables/{payable_id}/settle":       {"POST"},
	// Business family, products and inventory (§2.7–§2.10, routes 31–41)
	"/products":                                         {"GET", "POST"},
	"/products/{product_id}":                            {"GET", "PATCH", "DELETE"},
	"/products/categories":                              {"GET", "POST"},
	"/products/categories/{category_id}":                {"GET", "PATCH", "DELETE"},
	"/products/{product_id}/costs":                      {"GET", "POST"},
	"/products/{product_id}/costs/{cost_id}":            {"GET", "PATCH", "DELETE"},
	"/products/inventory":                               {"GET"},
	"/products/inventory/{inventory_id}":                {"GET", "PATCH"},
	"/products/inventory/{inventory_id}/transactions":   {"GET", "POST"},
	"/products/inventory/transactions/{transaction_id}": {"GET", "PATCH", "DELETE"},
	// system
	"/healthz":      {"GET"},
	"/readyz":       {"GET"},
	"/metrics":      {"GET"},
	"/openapi.yaml": {"GET"},
}

func TestSpecRoutes(t *testing.T) {
	doc := loadSpec(t)
	for path, want := range specRoutes {
		item := doc.Paths.Value(path)
		if item == nil {
			t.Errorf("%s: missing from openapi.yaml", path)
			continue
		}
		var got []string
		for m := range item.Operations() {
			got = append(got, m)
		}
		slices.Sort(got)
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			t.Errorf("%s: methods %v, want %v", path, got, want)
		}
	}
	for _, path := range doc.Paths.InMatchingOrder() {
		if _, ok := specRoutes[path]; !ok {
			t.Errorf("%s: documented but not in the route table of this test", path)
		}
	}
}

// TestSpecOperations checks what every operation must carry: a unique operationId, the error
// envelope on every error response, the security rule, and both request body media types.
func TestSpecOperations(t *testing.T) {
	doc := loadSpec(t)
	errorSchema := doc.Components.Schemas["Error"]
	if errorSchema == nil || errorSchema.Value == nil {
		t.Fatal("components.schemas.Error is missing")
	}
	public := map[string]bool{
		"/register/": true, "/api/token/": true, "/api/token/refresh/": true, "/api/token/verify/": true,
		"/api/token/blacklist/": true, "/token": true, "/token/refresh": true, "/token/blacklist": true,
		"/healthz": true, "/readyz": true, "/metrics": true, "/openapi.yaml": true,
	}
	publicOps := map[string]bool{"POST /accounts": true} // sign-up; the other methods need a token
	ids := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s: no operationId", where)
			} else if prev, dup := ids[op.OperationID]; dup {
				t.Errorf("%s: operationId %q also used by %s", where, op.OperationID, prev)
			}
			ids[op.OperationID] = where

			isPublic := op.Security != nil && len(*op.Security) == 0
			wantPublic := public[path] || publicOps[where]
			if isPublic != wantPublic {
				t.Errorf("%s: public = %v, want %v", where, isPublic, wantPublic)
			}
			if !wantPublic && op.Responses.Status(http.StatusUnauthorized) == nil {
				t.Errorf("%s: authenticated operation without a 401 response", where)
			}
			if op.Responses.Status(http.StatusInternalServerError) == nil && path != "/metrics" {
				t.Errorf("%s: no 500 response", where)
			}

			for code, ref := range op.Responses.Map() {
				if code == "" || code[0] < '4' {
					continue
				}
				mt := ref.Value.Content.Get("application/json")
				if mt == nil || mt.Schema == nil || mt.Schema.Value != errorSchema.Value {
					t.Errorf("%s: response %s does not use the error envelope", where, code)
				}
			}

			if op.RequestBody != nil {
				c := op.RequestBody.Value.Content
				for _, ct := range []string{"application/json", "application/x-www-form-urlencoded"} {
					if c[ct] == nil {
						t.Errorf("%s: request body lacks %s", where, ct)
					}
				}
				if op.Responses.Status(http.StatusUnsupportedMediaType) == nil || op.Responses.Status(http.StatusRequestEntityTooLarge) == nil {
					t.Errorf("%s: takes a body but documents no 413/415", where)
				}
			}
		}
	}
}

// TestSpecResponseObjectsClosed checks that every object schema reachable from a response
// forbids extra keys (additionalProperties: false), so the conformance test catches them.
func TestSpecResponseObjectsClosed(t *testing.T) {
	doc := loadSpec(t)
	seen := map[*openapi3.Schema]bool{}
	var walk func(where string, s *openapi3.SchemaRef)
	walk = func(where string, ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if s.Type.Is("object") && !strings.Contains(where, "/openapi.yaml") { // the document itself is open
			closed := s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has
			if !closed && s.AdditionalProperties.Schema == nil {
				t.Errorf("%s: response object schema without additionalProperties: false", where)
			}
		}
		for name, p := range s.Properties {
			walk(where+"."+name, p)
		}
		if s.Items != nil {
			walk(where+"[]", s.Items)
		}
		if s.AdditionalProperties.Schema != nil {
			walk(where+"{}", s.AdditionalProperties.Schema)
		}
		for _, group := range [][]*openapi3.SchemaRef{s.AllOf, s.OneOf, s.AnyOf} {
			for _, sub := range group {
				walk(where, sub)
			}
		}
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for code, ref := range op.Responses.Map() {
				for ct, mt := range ref.Value.Content {
					walk(method+" "+path+" "+code+" "+ct, mt.Schema)
				}
			}
		}
	}
}

// TestSpecServedAsIs guards the embed: the served document is the file.
func TestSpecServedAsIs(t *testing.T) {
	if !strings.HasPrefix(string(api.Spec), "openapi: 3.0.3\n") {
		t.Errorf("api.Spec does not start with the OpenAPI version line")
	}
}

// businessPrefixes are the paths of the Business family's business-scoped routes.
var businessPrefixes = []string{"/owner", "/business", "/members", "/contacts", "/finance", "/receivables",
	"/payables", "/products"}

func isBusinessPath(path string) bool {
	for _, p := range businessPrefixes {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// TestSpecBusinessOperations checks the Business family's shape rules on every business-scoped
// operation: a JSON body on every success, never 204 (S38); each object wrapped in exactly one
// key naming it, list items too (business-api.md §1.9); a list takes ?page=; a 403 for callers
// without the role and a 404 for an owner without a business (§1.2, defects 24, 27); a 400 for
// every body (the unknown-key rule, §1.11).
func TestSpecBusinessOperations(t *testing.T) {
	doc := loadSpec(t)
	noBusiness404 := map[string]bool{"GET /owner": true, "PATCH /owner": true, "POST /business": true}
	n := 0
	for path, item := range doc.Paths.Map() {
		if !isBusinessPath(path) {
			continue
		}
		for method, op := range item.Operations() {
			n++
			where := method + " " + path
			if op.Responses.Status(http.StatusForbidden) == nil {
				t.Errorf("%s: no 403 response", where)
			}
			if !noBusiness404[where] && op.Responses.Status(http.StatusNotFound) == nil {
				t.Errorf("%s: no 404 response", where)
			}
			if op.RequestBody != nil && op.Responses.Status(http.StatusBadRequest) == nil {
				t.Errorf("%s: takes a body but documents no 400", where)
			}
			var successes int
			for code, ref := range op.Responses.Map() {
				if code == "" || code[0] != '2' {
					continue
				}
				successes++
				if code == "204" {
					t.Errorf("%s: 204 in the Business family (S38)", where)
				}
				mt := ref.Value.Content.Get("application/json")
				if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
					t.Errorf("%s: response %s has no JSON body", where, code)
					continue
				}
				s := mt.Schema.Value
				if results := s.Properties["results"]; results != nil {
					if method != "GET" {
						t.Errorf("%s: a page answered to %s", where, method)
					}
					if !hasParam(op, item, "page") {
						t.Errorf("%s: a list without the page parameter", where)
					}
					items := results.Value.Items
					if items == nil || items.Value == nil {
						t.Errorf("%s: response %s: results without items", where, code)
						continue
					}
					alts := items.Value.OneOf
					if len(alts) == 0 {
						alts = openapi3.SchemaRefs{items}
					}
					for _, alt := range alts {
						checkWrapped(t, where+" "+code+" results[]", alt.Value)
					}
					continue
				}
				checkWrapped(t, where+" "+code, s)
			}
			if successes != 1 {
				t.Errorf("%s: %d success responses, want 1", where, successes)
			}
		}
	}
	if n == 0 {
		t.Fatal("no Business-family operation documented")
	}
}

// checkWrapped fails unless s is a closed object with exactly one, required, property whose
// value is a closed object: {"<resource>": {...}}.
func checkWrapped(t *testing.T, where string, s *openapi3.Schema) {
	t.Helper()
	closed := s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has
	if !s.Type.Is("object") || !closed || len(s.Properties) != 1 || len(s.Required) != 1 {
		t.Errorf("%s: not an object wrapped in one key", where)
		return
	}
	inner := s.Properties[s.Required[0]]
	if inner == nil || inner.Value == nil || !inner.Value.Type.Is("object") {
		t.Errorf("%s: the wrapper key %q does not hold an object", where, s.Required[0])
	}
}

// hasParam reports whether op (or its path item) declares the parameter name.
func hasParam(op *openapi3.Operation, item *openapi3.PathItem, name string) bool {
	for _, ps := range []openapi3.Parameters{op.Parameters, item.Parameters} {
		if ps.GetByInAndName("query", name) != nil {
			return true
		}
	}
	return false
}
