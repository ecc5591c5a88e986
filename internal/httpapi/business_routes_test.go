package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestBusinessRoutesShape: every Business route answers with and without a trailing slash, a
// wrong method is 405 with Allow before authentication (S3, defect 33), and every answer is
// JSON (S38, defect 26).
func TestBusinessRoutesShape(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		const fake = "01JYM6QVGZBSTGMECFQV138WAA"
		routes := []struct {
			path  string
			allow string // methods the path answers
		}{
			{"/accounts", "DELETE, PATCH, POST"},
			{"/owner", "GET, HEAD, PATCH"},
			{"/business", "DELETE, GET, HEAD, PATCH, POST"},
			{"/business/settings", "GET, HEAD, PATCH"},
			{"/members", "GET, HEAD, POST"},
			{"/members/" + fake, "DELETE, GET, HEAD, PATCH"},
			{"/contacts", "GET, HEAD"},
			{"/contacts/customers", "GET, HEAD, POST"},
			{"/contacts/customers/" + fake, "DELETE, GET, HEAD, PATCH"},
			{"/contacts/suppliers", "GET, HEAD, POST"},
			{"/contacts/suppliers/" + fake, "DELETE, GET, HEAD, PATCH"},
			{"/finance/accounts", "GET, HEAD, POST"},
			{"/finance/accounts/" + fake, "DELETE, GET, HEAD, PATCH"},
			{"/finance/categories", "GET, HEAD, POST"},
			{"/finance/categories/" + fake, "DELETE, GET, HEAD, PATCH"},
			{"/finance/transactions", "GET, HEAD, POST"},
			{"/finance/transactions/" + fake, "DELETE, GET, HEAD"},
		}
		for _, rt := range routes {
			r := e.do("PUT", rt.path, nil, "")
			bizWantError(t, r, http.StatusMethodNotAllowed, `Method "PUT" not allowed.`)
			if r.Header.Get("Allow") != rt.allow {
				t.Errorf("%s: Allow %q, want %q", rt.path, r.Header.Get("Allow"), rt.allow)
			}
			if strings.Contains(rt.allow, "GET") {
				for _, p := range []string{rt.path, rt.path + "/"} {
					r := e.do("GET", p, nil, w.owner)
					if r.Status != http.StatusOK && r.Status != http.StatusNotFound || r.Header.Get("Content-Type") != "application/json" {
						t.Errorf("GET %s: %d %s", p, r.Status, r.Header.Get("Content-Type"))
					}
				}
			}
		}
		bizWantError(t, e.do("GET", "/contacts/customers/"+fake+"/orders", nil, w.owner), http.StatusNotFound, "Not found.")
		bizWantError(t, e.do("GET", "/contacts/customers/"+fake, nil, w.owner), http.StatusNotFound, "Customer not found.")
		bizWantError(t, e.do("GET", "/finance/transactions/"+fake+"/", nil, w.owner), http.StatusNotFound, "Financial transaction not found.")

		// Form bodies work on Business routes as well (conventions "Request bodies").
		r := e.form("POST", "/contacts/customers/", url.Values{"name": {"Form Customer"}, "is_active": {"False"}}, w.member)
		want(t, r, http.StatusCreated)
		if c := bizObj(r, "customer"); c["name"] != "Form Customer" || c["is_active"] != false {
			t.Fatalf("form-created customer %v", c)
		}
		r = e.do("POST", "/contacts/customers", `["not", "an", "object"]`, w.owner)
		want(t, r, http.StatusBadRequest)
	})
}
