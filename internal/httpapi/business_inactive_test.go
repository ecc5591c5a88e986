package httpapi

import (
	"net/http"
	"testing"
)

// TestBusinessDeactivated: a deactivated business (DELETE /business) stops working, where the
// predecessor carried on (business-api.md defect 8). Its members lose access; its owner still
// reads everything, may change their own profile, and reactivates the business with PATCH
// /business, but any other write is 403 and writes nothing. Other businesses are untouched.
func TestBusinessDeactivated(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		r := e.do("POST", "/finance/accounts", map[string]any{"name": "Bank"}, w.owner)
		want(t, r, http.StatusCreated)
		acct := bizObj(r, "account")["id"].(string)
		credit := map[string]any{"type": "credit", "amount": "10.00", "account": acct, "description": "Sale"}
		want(t, e.do("POST", "/finance/transactions", credit, w.member), http.StatusCreated)

		want(t, e.do("DELETE", "/business", nil, w.owner), http.StatusOK)

		// Members: no access at all.
		bizWantError(t, e.do("GET", "/finance/transactions", nil, w.member), http.StatusForbidden, "This business is inactive.")
		bizWantError(t, e.do("POST", "/finance/transactions", credit, w.member), http.StatusForbidden, "This business is inactive.")
		// The owner: reads work, writes are refused and write nothing.
		r = e.do("GET", "/finance/transactions", nil, w.owner)
		want(t, r, http.StatusOK)
		if n := bizCount(r); n != 1 {
			t.Fatalf("%d transactions listed, want 1", n)
		}
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"POST", "/finance/transactions", credit},
			{"POST", "/contacts/customers", map[string]any{"name": "Maria"}},
			{"PATCH", "/finance/accounts/" + acct, map[string]any{"name": "Bank 2"}},
			{"DELETE", "/finance/accounts/" + acct, nil},
			{"POST", "/products", map[string]any{"name": "Soap", "price": "3.00"}},
			{"POST", "/members", map[string]any{"name": "Nina", "phone": "81900000000", "email": "nina@example.com"}},
		} {
			bizWantError(t, e.do(c.method, c.path, c.body, w.owner), http.StatusForbidden, "This business is inactive.")
		}
		r = e.do("GET", "/finance/accounts/"+acct, nil, w.owner)
		want(t, r, http.StatusOK)
		if a := bizObj(r, "account"); a["balance"] != "10.00" || a["name"] != "Bank" || a["is_active"] != true {
			t.Fatalf("account after refused writes: %s", r.Body)
		}
		want(t, e.do("PATCH", "/owner", map[string]any{"phone": "81911112222"}, w.owner), http.StatusOK)
		want(t, e.do("GET", "/business/settings", nil, w.owner), http.StatusOK)
		// Another business carries on.
		r = e.do("POST", "/contacts/customers", map[string]any{"name": "Maria"}, w.other)
		want(t, r, http.StatusCreated)

		// Reactivated: members and writes work again.
		r = e.do("PATCH", "/business", map[string]any{"is_active": true}, w.owner)
		want(t, r, http.StatusOK)
		if bizObj(r, "business")["is_active"] != true {
			t.Fatalf("PATCH /business is_active true answered %s", r.Body)
		}
		want(t, e.do("POST", "/finance/transactions", credit, w.member), http.StatusCreated)
		r = e.do("GET", "/finance/accounts/"+acct, nil, w.owner)
		if a := bizObj(r, "account"); a["balance"] != "20.00" {
			t.Fatalf("balance after reactivation: %s", r.Body)
		}
	})
}
