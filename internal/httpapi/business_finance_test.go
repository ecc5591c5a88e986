package httpapi

import (
	"net/http"
	"testing"
)

// newAccount creates a financial account and returns its id.
func (w *bizWorld) newAccount(token, name string) string {
	w.e.t.Helper()
	r := w.e.do("POST", "/finance/accounts", map[string]any{"name": name}, token)
	want(w.e.t, r, http.StatusCreated)
	return bizObj(r, "account")["id"].(string)
}

// newCategory creates a financial category (under parent when not "") and returns its id.
func (w *bizWorld) newCategory(token, name, parent string) string {
	w.e.t.Helper()
	body := map[string]any{"name": name}
	if parent != "" {
		body["parent"] = parent
	}
	r := w.e.do("POST", "/finance/categories", body, token)
	want(w.e.t, r, http.StatusCreated)
	return bizObj(r, "category")["id"].(string)
}

func TestBusinessFinanceAccounts(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		// Owner only (§5, defect 6).
		want(t, e.do("GET", "/finance/accounts", nil, ""), http.StatusUnauthorized)
		for _, tok := range []string{w.member, w.plain} {
			bizWantError(t, e.do("GET", "/finance/accounts", nil, tok), http.StatusForbidden, "You do not have permission to perform this action.")
			want(t, e.do("POST", "/finance/accounts", map[string]any{"name": "x"}, tok), http.StatusForbidden)
		}
		// balance is read-only: ignored, the account starts at 0 (conventions).
		r := e.do("POST", "/finance/accounts", map[string]any{"name": "Banco do Brasil", "balance": "1000.00"}, w.owner)
		want(t, r, http.StatusCreated)
		acc := bizObj(r, "account")
		bizWantKeys(t, acc, "id", "name", "balance", "created_at", "is_active")
		if acc["balance"] != "0.00" || acc["is_active"] != true || !bizStampRE.MatchString(acc["created_at"].(string)) {
			t.Fatalf("created account %v", acc)
		}
		bb := acc["id"].(string)
		bizWantField(t, e.do("POST", "/finance/accounts", map[string]any{"is_active": false}, w.owner), "name", "This field is required.")
		bizWantInvalid(t, e.do("POST", "/finance/accounts", map[string]any{"name": "x", "bank": "y"}, w.owner), "bank")

		// Ordered by balance, highest first.
		want(t, e.do("POST", "/finance/transactions", map[string]any{"type": "credit", "amount": 5, "description": "d", "account": bb}, w.owner), http.StatusCreated)
		accs := bizResults(t, e.do("GET", "/finance/accounts", nil, w.owner), "account")
		if len(accs) != 2 || accs[0]["id"] != bb || accs[0]["balance"] != "5.00" || accs[1]["name"] != "Caixa" {
			t.Fatalf("accounts %v; want highest balance first", accs)
		}

		r = e.do("PATCH", "/finance/accounts/"+bb, map[string]any{"name": "BB"}, w.owner)
		want(t, r, http.StatusOK)
		if bizObj(r, "account")["name"] != "BB" || bizObj(r, "account")["balance"] != "5.00" {
			t.Fatalf("patched account %s", r.Body)
		}
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			bizWantError(t, e.do(m, "/finance/accounts/"+bb, map[string]any{"name": "x"}, w.other), http.StatusNotFound, "Financial account not found.")
		}
		r = e.do("DELETE", "/finance/accounts/"+bb, nil, w.owner)
		want(t, r, http.StatusOK)
		if d := bizObj(r, "account"); len(d) != 2 || d["id"] != bb || d["is_active"] != false {
			t.Fatalf("DELETE account answered %s", r.Body)
		}
		// An inactive account takes no transactions (S22, defect 8).
		bizWantField(t, e.do("POST", "/finance/transactions", map[string]any{"type": "credit", "amount": 5, "description": "d", "account": bb}, w.owner),
			"account", "This account is inactive.")
	})
}

func TestBusinessFinanceCategories(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		want(t, e.do("GET", "/finance/categories", nil, ""), http.StatusUnauthorized)
		bizWantError(t, e.do("GET", "/finance/categories", nil, w.plain), http.StatusForbidden, "You do not have permission to perform this action.")
		want(t, e.do("POST", "/finance/categories", map[string]any{"name": "x"}, w.plain), http.StatusForbidden)

		top := w.newCategory(w.member, "Despesas", "")
		mid := w.newCategory(w.owner, "Fixas", top)
		r := e.do("POST", "/finance/categories", map[string]any{"name": "Aluguel", "parent": mid}, w.member)
		want(t, r, http.StatusCreated)
		c := bizObj(r, "category")
		bizWantKeys(t, c, "id", "name", "is_active", "parent")
		p := c["parent"].(map[string]any)
		gp := p["parent"].(map[string]any)
		if p["name"] != "Fixas" || gp["name"] != "Despesas" || gp["parent"] != nil {
			t.Fatalf("category parents %v; want the chain up to the root (§5)", c)
		}
		leaf := c["id"].(string)

		cs := bizResults(t, e.do("GET", "/finance/categories", nil, w.owner), "category")
		if len(cs) != 3 || cs[2]["id"] != leaf || cs[2]["parent"].(map[string]any)["parent"].(map[string]any)["id"] != top {
			t.Fatalf("categories list %v", cs)
		}

		// Per-business names (defect 23); foreign parent (defect 2); cycles; inactive parent (S22).
		bizWantField(t, e.do("POST", "/finance/categories", map[string]any{"name": "Fixas"}, w.owner), "name", "financial category with this name already exists.")
		otherTop := w.newCategory(w.other, "Despesas", "")
		bizWantField(t, e.do("POST", "/finance/categories", map[string]any{"name": "X", "parent": otherTop}, w.owner), "parent", `Invalid pk "`+otherTop+`" - object does not exist.`)
		bizWantField(t, e.do("POST", "/finance/categories", map[string]any{"name": "X", "parent": "nope"}, w.owner), "parent", `Invalid pk "nope" - object does not exist.`)
		bizWantField(t, e.do("PATCH", "/finance/categories/"+top, map[string]any{"parent": leaf}, w.owner), "parent", "A category cannot be its own ancestor.")
		bizWantField(t, e.do("PATCH", "/finance/categories/"+top, map[string]any{"parent": top}, w.owner), "parent", "A category cannot be its own ancestor.")
		r = e.do("PATCH", "/finance/categories/"+leaf, map[string]any{"parent": nil, "name": "Rent"}, w.member)
		want(t, r, http.StatusOK)
		if c := bizObj(r, "category"); c["parent"] != nil || c["name"] != "Rent" {
			t.Fatalf("patched category %v", c)
		}

		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			bizWantError(t, e.do(m, "/finance/categories/"+top, map[string]any{"name": "x"}, w.other), http.StatusNotFound, "Financial category not found.")
		}
		r = e.do("DELETE", "/finance/categories/"+mid, nil, w.member)
		want(t, r, http.StatusOK)
		if d := bizObj(r, "category"); len(d) != 2 || d["id"] != mid || d["is_active"] != false {
			t.Fatalf("DELETE category answered %s", r.Body)
		}
		bizWantField(t, e.do("POST", "/finance/categories", map[string]any{"name": "Y", "parent": mid}, w.owner), "parent", "This category is inactive.")
		bizWantInvalid(t, e.do("POST", "/finance/categories", map[string]any{"name": "Y", "color": "red"}, w.owner), "color")
	})
}
