package httpapi

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestProductRoutesPrecedence: every path under /products reaches the handler the spec's
// routing precedence names (business-api.md §2: inventory…, then categories…, then
// {id}/costs…, then the products; inventory/transactions/{id} before {id}/transactions; the
// literals inventory and categories are never product ids), or 404/405 with Allow before
// authentication (S3). Each handler is told apart by its answer: the list's wrapper key or the
// resource's own 404 message. Both path forms (with and without a trailing slash) answer.
func TestProductRoutesPrecedence(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		p := w.prodNew(w.owner, "Caneta", nil)["id"].(string)
		inv := w.prodInventory(w.owner, p)
		const fake = prodFake
		cases := []struct {
			method, path string
			status       int
			want         string // a list's wrapper key, an error message, or Allow for 405
		}{
			// Lists, told apart by their items' wrapper key.
			{"GET", "/products", 200, "product"},
			{"GET", "/products?search=caneta", 200, "product"},
			{"GET", "/products/inventory", 200, "inventory"},
			{"GET", "/products/categories", 200, "category"},
			{"GET", "/products/" + p + "/costs", 200, "cost"},
			{"GET", "/products/inventory/" + inv + "/transactions", 200, "transaction"},
			// Objects, told apart by their 404 message.
			{"GET", "/products/" + fake, 404, "Product not found."},
			{"GET", "/products/not-an-id", 404, "Product not found."},
			{"GET", "/products/categories/" + fake, 404, "Category not found."},
			{"GET", "/products/" + fake + "/costs", 404, "Product not found."},
			{"GET", "/products/" + fake + "/costs/" + fake, 404, "Product not found."},
			{"GET", "/products/" + p + "/costs/" + fake, 404, "Cost not found."},
			{"GET", "/products/inventory/" + fake, 404, "Inventory not found."},
			{"GET", "/products/inventory/" + fake + "/transactions", 404, "Inventory not found."},
			{"GET", "/products/inventory/transactions/" + fake, 404, "Transaction not found."},
			// transactions/{id} wins over {id}/transactions; a lone "transactions" is an
			// inventory id.
			{"GET", "/products/inventory/transactions/transactions", 404, "Transaction not found."},
			{"GET", "/products/inventory/transactions", 404, "Inventory not found."},
			{"PATCH", "/products/inventory/transactions/transactions", 404, "Transaction not found."},
			// inventory and categories are never product ids.
			{"GET", "/products/inventory/costs", 404, "Inventory not found."},
			{"GET", "/products/categories/costs", 404, "Category not found."},
			{"DELETE", "/products/categories", 405, "GET, HEAD, POST"},
			{"DELETE", "/products/inventory", 405, "GET, HEAD"},
			{"PATCH", "/products/inventory", 405, "GET, HEAD"},
			// Paths no route has.
			{"GET", "/products/inventory/costs/" + fake, 404, "Not found."},
			{"GET", "/products/categories/" + fake + "/costs", 404, "Not found."},
			{"GET", "/products/" + fake + "/stock", 404, "Not found."},
			{"GET", "/products/" + fake + "/costs/" + fake + "/x", 404, "Not found."},
			{"GET", "/products/inventory/" + fake + "/transactions/" + fake, 404, "Not found."},
			{"GET", "/products/inventory/transactions/" + fake + "/x", 404, "Not found."},
			{"GET", "/productsx", 404, "Not found."},
			// Wrong methods: 405 with the route's Allow.
			{"PUT", "/products", 405, "GET, HEAD, POST"},
			{"DELETE", "/products", 405, "GET, HEAD, POST"},
			{"PUT", "/products/" + fake, 405, "DELETE, GET, HEAD, PATCH"},
			{"POST", "/products/" + fake, 405, "DELETE, GET, HEAD, PATCH"},
			{"PATCH", "/products/categories", 405, "GET, HEAD, POST"},
			{"POST", "/products/categories/" + fake, 405, "DELETE, GET, HEAD, PATCH"},
			{"DELETE", "/products/" + fake + "/costs", 405, "GET, HEAD, POST"},
			{"POST", "/products/" + fake + "/costs/" + fake, 405, "DELETE, GET, HEAD, PATCH"},
			{"POST", "/products/inventory/" + fake, 405, "GET, HEAD, PATCH"},
			{"DELETE", "/products/inventory/" + fake, 405, "GET, HEAD, PATCH"},
			{"PATCH", "/products/inventory/" + fake + "/transactions", 405, "GET, HEAD, POST"},
			{"POST", "/products/inventory/transactions/" + fake, 405, "DELETE, GET, HEAD, PATCH"},
		}
		for _, tc := range cases {
			for _, path := range []string{tc.path, prodWithSlash(tc.path)} {
				t.Run(tc.method+" "+path, func(t *testing.T) {
					var body any
					if tc.method == "POST" || tc.method == "PATCH" || tc.method == "PUT" {
						body = map[string]any{"quantity": 1}
					}
					r := e.do(tc.method, path, body, w.owner)
					switch tc.status {
					case 200:
						bizResults(t, r, tc.want)
					case 404:
						bizWantError(t, r, 404, tc.want)
					case 405:
						bizWantError(t, r, 405, `Method "`+tc.method+`" not allowed.`)
						if got := r.Header.Get("Allow"); got != tc.want {
							t.Fatalf("Allow %q, want %q", got, tc.want)
						}
						// 405 comes before authentication (S3).
						if a := e.do(tc.method, path, body, ""); a.Status != 405 || a.Header.Get("Allow") != tc.want {
							t.Fatalf("anonymous: %d, Allow %q", a.Status, a.Header.Get("Allow"))
						}
					}
				})
			}
		}

		// HEAD is GET without a body; unknown paths are 404 before authentication.
		r := e.do("HEAD", "/products", nil, w.owner)
		if r.Status != 200 || len(r.Body) != 0 {
			t.Fatalf("HEAD /products: %d %q", r.Status, r.Body)
		}
		bizWantError(t, e.do("GET", "/products/a/b/c/d", nil, ""), 404, "Not found.")
		bizWantError(t, e.do("GET", "/products/"+fake, nil, ""), 401, "Authentication credentials were not provided.")
	})
}

// prodWithSlash returns path with a trailing slash before its query.
func prodWithSlash(path string) string {
	p, q, ok := strings.Cut(path, "?")
	if ok {
		return p + "/?" + q
	}
	return p + "/"
}

// TestProductRoutesCallers: every route and method for every caller kind — owner, member with
// access, owner of another business, a user who is neither, anonymous (business-api.md §1.2,
// §5; defect 6: inventory is the owner's). Objects of the other business are 404, never 403.
func TestProductRoutesCallers(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		p := w.prodNew(w.owner, "Caneta", map[string]any{"stock": 10})["id"].(string)
		inv := w.prodInventory(w.owner, p)
		cat := w.prodCategory(w.owner, "Papelaria", "")
		r := e.do("POST", "/products/"+p+"/costs", map[string]any{"quantity": 1, "effective_date": "2025-06-01",
			"cost_price": "1", "retail_price": "2"}, w.owner)
		want(t, r, http.StatusCreated)
		cost := bizObj(r, "cost")["id"].(string)
		r = w.prodMove(w.owner, inv, map[string]any{"type": "inbound", "quantity": 1})
		want(t, r, http.StatusCreated)
		mov := bizObj(r, "transaction")["id"].(string)

		type call struct {
			method, path string
			body         map[string]any
			owner        bool // owner only (inventory)
			object       bool // names an object of the first business (404 for the other owner)
			once         bool // a hard delete: only the first allowed caller succeeds
		}
		calls := []call{
			{"GET", "/products", nil, false, false, false},
			{"GET", "/products?search=can", nil, false, false, false},
			{"POST", "/products", map[string]any{"name": "Lápis"}, false, false, false},
			{"GET", "/products/" + p, nil, false, true, false},
			{"PATCH", "/products/" + p, map[string]any{"brand": "Bic"}, false, true, false},
			{"GET", "/products/categories", nil, false, false, false},
			{"POST", "/products/categories", map[string]any{"name": "Cat " + bizUniq()}, false, false, false},
			{"GET", "/products/categories/" + cat, nil, false, true, false},
			{"PATCH", "/products/categories/" + cat, map[string]any{"is_active": true}, false, true, false},
			{"GET", "/products/" + p + "/costs", nil, false, true, false},
			{"POST", "/products/" + p + "/costs", map[string]any{"quantity": 1, "effective_date": "2025-06-02",
				"cost_price": "1", "retail_price": "2"}, false, true, false},
			{"GET", "/products/" + p + "/costs/" + cost, nil, false, true, false},
			{"PATCH", "/products/" + p + "/costs/" + cost, map[string]any{"quantity": 2}, false, true, false},
			{"GET", "/products/inventory", nil, true, false, false},
			{"GET", "/products/inventory/" + inv, nil, true, true, false},
			{"PATCH", "/products/inventory/" + inv, map[string]any{"location": "A1"}, true, true, false},
			{"GET", "/products/inventory/" + inv + "/transactions", nil, true, true, false},
			{"POST", "/products/inventory/" + inv + "/transactions", map[string]any{"type": "inbound", "quantity": 1}, true, true, false},
			{"GET", "/products/inventory/transactions/" + mov, nil, true, true, false},
			{"PATCH", "/products/inventory/transactions/" + mov, map[string]any{"quantity": 2}, true, true, false},
			// Deletes last: they remove or deactivate what the calls above use.
			{"DELETE", "/products/inventory/transactions/" + mov, nil, true, true, true},
			{"DELETE", "/products/" + p + "/costs/" + cost, nil, false, true, true},
			{"DELETE", "/products/categories/" + cat, nil, false, true, false},
			{"DELETE", "/products/" + p, nil, false, true, false},
		}
		for _, c := range calls {
			t.Run(c.method+" "+c.path, func(t *testing.T) {
				// A fresh body per request: created names must not collide.
				body := func() any {
					if c.body == nil {
						return nil
					}
					b := map[string]any{}
					for k, v := range c.body {
						b[k] = v
					}
					if _, ok := b["name"]; ok && c.method == "POST" {
						b["name"] = "Name " + bizUniq()
					}
					return b
				}
				bizWantError(t, e.do(c.method, c.path, body(), ""), 401, "Authentication credentials were not provided.")
				bizWantError(t, e.do(c.method, c.path, body(), w.plain), 403, "You do not have permission to perform this action.")
				bizWantError(t, e.do(c.method, c.path, body(), w.idle), 404, "Owner does not have a business.")
				if c.owner {
					bizWantError(t, e.do(c.method, c.path, body(), w.member), 403, "You do not have permission to perform this action.")
				}
				r := e.do(c.method, c.path, body(), w.other)
				switch {
				case c.object:
					if r.Status != 404 {
						t.Fatalf("other business: %d %s", r.Status, r.Body)
					}
				case c.method == "GET":
					want(t, r, http.StatusOK)
					for _, mine := range []string{p, inv, cat, cost, mov} {
						if strings.Contains(string(r.Body), mine) {
							t.Fatalf("other business sees %s: %s", mine, r.Body)
						}
					}
				}
				okStatus := http.StatusOK
				if c.method == "POST" {
					okStatus = http.StatusCreated
				}
				if !c.owner {
					want(t, e.do(c.method, c.path, body(), w.member), okStatus)
				}
				if !c.once || c.owner {
					want(t, e.do(c.method, c.path, body(), w.owner), okStatus)
				}
			})
		}
	})
}

// FuzzProductRouteMatch: any path under /products matches at most one route without
// panicking, the literals inventory and categories are never product ids, and every path value
// is one segment of the path.
func FuzzProductRouteMatch(f *testing.F) {
	for _, p := range []string{"", "inventory", "inventory/transactions/x", "inventory/x/transactions",
		"categories/x", "x/costs/y", "inventory/costs", "a%2Fb/costs", "//", "%zz"} {
		f.Add(p)
	}
	routes := (&Server{}).newProdRoutes()
	f.Fuzz(func(t *testing.T, rest string) {
		r, err := http.NewRequest("GET", "http://x/products/"+rest, nil)
		if err != nil {
			return
		}
		segs, ok := prodSegments(r)
		if !ok {
			return
		}
		route, vals := routes.match(segs)
		if route == nil {
			return
		}
		if pid, ok := vals["product_id"]; ok && (pid == "inventory" || pid == "categories") {
			t.Fatalf("%q: %q taken as a product id by %s", rest, pid, route.pattern)
		}
		for k, v := range vals {
			if !slices.Contains(segs, v) {
				t.Fatalf("%q: %s = %q is not a segment of %q", rest, k, v, segs)
			}
		}
	})
}
