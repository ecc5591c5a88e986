package httpapi

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var (
	customerKeysOut = []string{"id", "code", "name", "alias", "gender", "cpf", "is_active", "notes", "phone", "email",
		"postcode", "city", "state", "address", "amount_spent", "number_of_orders", "created_at", "updated_at"}
	supplierKeysOut = []string{"id", "code", "legal_name", "trade_name", "cnpj", "ie", "im", "is_active", "notes", "phone",
		"email", "postcode", "city", "state", "address", "created_at", "updated_at"}
	bizStampRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$`)
)

func TestBusinessContactsPermissions(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		for _, path := range []string{"/contacts", "/contacts/?search=abc", "/contacts/customers", "/contacts/suppliers"} {
			want(t, e.do("GET", path, nil, ""), http.StatusUnauthorized)
			bizWantError(t, e.do("GET", path, nil, w.plain), http.StatusForbidden, "You do not have permission to perform this action.")
			want(t, e.do("GET", path, nil, w.member), http.StatusOK)
			want(t, e.do("GET", path, nil, w.owner), http.StatusOK)
		}
		want(t, e.do("POST", "/contacts/customers", map[string]any{"name": "x"}, w.plain), http.StatusForbidden)
		want(t, e.do("POST", "/contacts", map[string]any{"name": "x"}, w.owner), http.StatusMethodNotAllowed)
	})
}

func TestBusinessCustomers(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		want(t, e.do("PATCH", "/business/settings", map[string]any{"timezone": "America/Recife"}, w.owner), http.StatusOK)
		r := e.do("POST", "/contacts/customers", map[string]any{"name": "João Silva", "alias": "Jão", "cpf": "12345678901",
			"gender": "unkown", "code": 42, "amount_spent": "999.00", "number_of_orders": 7, "business": w.otherBizID}, w.member)
		want(t, r, http.StatusCreated)
		c := bizObj(r, "customer")
		bizWantKeys(t, c, customerKeysOut...)
		if c["code"] != "42" || c["amount_spent"] != "0.00" || c["number_of_orders"] != float64(0) || c["gender"] != "unkown" || c["is_active"] != true {
			t.Fatalf("created customer %v (defect 29: code is a string; S16: totals read-only)", c)
		}
		created := c["created_at"].(string)
		if !bizStampRE.MatchString(created) || !strings.HasSuffix(created, "-03:00") {
			t.Fatalf("created_at %q; want the predecessor's format in the business zone", created)
		}
		if !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`).MatchString(c["updated_at"].(string)) {
			t.Fatalf("updated_at %q; want a date", c["updated_at"])
		}
		id := c["id"].(string)

		r = e.do("PATCH", "/contacts/customers/"+id, map[string]any{"alias": nil, "city": "Recife"}, w.owner)
		want(t, r, http.StatusOK)
		if c := bizObj(r, "customer"); c["alias"] != nil || c["city"] != "Recife" || c["name"] != "João Silva" {
			t.Fatalf("patched customer %v", c)
		}
		want(t, e.do("GET", "/contacts/customers/"+id, nil, w.owner), http.StatusOK)
		bizWantError(t, e.do("GET", "/contacts/customers/"+id, nil, w.other), http.StatusNotFound, "Customer not found.")
		bizWantError(t, e.do("PATCH", "/contacts/customers/"+id, map[string]any{"city": "x"}, w.other), http.StatusNotFound, "Customer not found.")
		bizWantError(t, e.do("DELETE", "/contacts/customers/"+id, nil, w.other), http.StatusNotFound, "Customer not found.")
		bizWantError(t, e.do("GET", "/contacts/suppliers/"+id, nil, w.owner), http.StatusNotFound, "Supplier not found.")

		// Validation and unknown keys.
		bizWantField(t, e.do("POST", "/contacts/customers", map[string]any{"alias": "x"}, w.owner), "name", "This field is required.")
		bizWantField(t, e.do("POST", "/contacts/customers", map[string]any{"name": "x", "gender": "other"}, w.owner), "gender", `"other" is not a valid choice.`)
		bizWantField(t, e.do("POST", "/contacts/customers", map[string]any{"name": "x", "state": "PER"}, w.owner), "state", "Ensure this field has no more than 2 characters.")
		bizWantField(t, e.do("POST", "/contacts/customers", map[string]any{"name": "x", "email": "x@"}, w.owner), "email", "Enter a valid email address.")
		bizWantInvalid(t, e.do("POST", "/contacts/customers", map[string]any{"name": "x", "legal_name": "y"}, w.owner), "legal_name")
		bizWantInvalid(t, e.do("POST", "/contacts/customers", "", w.owner))

		// Unique per business (defect 23).
		bizWantField(t, e.do("POST", "/contacts/customers", map[string]any{"name": "Other", "cpf": "12345678901"}, w.owner), "cpf", "customer with this cpf already exists.")
		bizWantField(t, e.do("POST", "/contacts/suppliers", map[string]any{"legal_name": "Other", "code": "42"}, w.owner), "code", "contact with this code already exists.")
		want(t, e.do("POST", "/contacts/customers", map[string]any{"name": "João Silva", "cpf": "12345678901", "code": "42"}, w.other), http.StatusCreated)

		r = e.do("DELETE", "/contacts/customers/"+id, nil, w.member)
		want(t, r, http.StatusOK)
		if got := bizObj(r, "customer"); len(got) != 1 || got["is_active"] != false {
			t.Fatalf("DELETE customer answered %s", r.Body)
		}
		if cs := bizResults(t, e.do("GET", "/contacts/customers", nil, w.owner), "customer"); len(cs) != 1 || cs[0]["is_active"] != false {
			t.Fatalf("customers after soft delete: %v", cs)
		}
	})
}

func TestBusinessSuppliers(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		r := e.do("POST", "/contacts/suppliers", map[string]any{"legal_name": "Fornecedora Ltda", "trade_name": "Forn",
			"cnpj": "11222333000181", "ie": "123", "im": nil, "code": "S-1"}, w.owner)
		want(t, r, http.StatusCreated)
		s := bizObj(r, "supplier")
		bizWantKeys(t, s, supplierKeysOut...)
		id := s["id"].(string)
		if s["legal_name"] != "Fornecedora Ltda" || s["trade_name"] != "Forn" || s["im"] != nil {
			t.Fatalf("created supplier %v", s)
		}
		bizWantField(t, e.do("POST", "/contacts/suppliers", map[string]any{"trade_name": "x"}, w.owner), "legal_name", "This field is required.")
		bizWantField(t, e.do("POST", "/contacts/suppliers", map[string]any{"legal_name": "x", "cnpj": "11222333000181"}, w.owner), "cnpj", "supplier with this cnpj already exists.")
		bizWantInvalid(t, e.do("POST", "/contacts/suppliers", map[string]any{"legal_name": "x", "cpf": "1"}, w.owner), "cpf")
		r = e.do("PATCH", "/contacts/suppliers/"+id, map[string]any{"trade_name": "Forn 2"}, w.member)
		want(t, r, http.StatusOK)
		if bizObj(r, "supplier")["trade_name"] != "Forn 2" {
			t.Fatalf("patched supplier %s", r.Body)
		}
		bizWantError(t, e.do("GET", "/contacts/suppliers/"+id, nil, w.other), http.StatusNotFound, "Supplier not found.")
		bizWantError(t, e.do("GET", "/contacts/customers/"+id, nil, w.owner), http.StatusNotFound, "Customer not found.")
		r = e.do("DELETE", "/contacts/suppliers/"+id, nil, w.owner)
		want(t, r, http.StatusOK)
		if got := bizObj(r, "supplier"); len(got) != 1 || got["is_active"] != false {
			t.Fatalf("DELETE supplier answered %s", r.Body)
		}
	})
}

// TestBusinessContactsListAndSearch: customers then suppliers, paged in the database (defect 31);
// search per §1.6 and S9, scoped to the caller's business on every field (defect 1).
func TestBusinessContactsListAndSearch(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		post := func(tok, kind string, body map[string]any) {
			t.Helper()
			want(t, e.do("POST", "/contacts/"+kind, body, tok), http.StatusCreated)
		}
		post(w.owner, "suppliers", map[string]any{"legal_name": "Alpha Foods", "trade_name": "Alfa", "cnpj": "99888777000166"})
		post(w.owner, "customers", map[string]any{"name": "JOÃO Pereira", "alias": "Jota", "cpf": "11122233344"})
		post(w.owner, "customers", map[string]any{"name": "Maria", "code": "VIP-100%"})
		post(w.owner, "suppliers", map[string]any{"legal_name": "Beta", "trade_name": "Bebidas Beta"})
		// The same names in another business must never show up (defect 1).
		post(w.other, "customers", map[string]any{"name": "João Pereira", "alias": "Jota", "cpf": "11122233344"})
		post(w.other, "suppliers", map[string]any{"legal_name": "Alpha Foods", "trade_name": "Alfa", "cnpj": "99888777000166"})

		r := e.do("GET", "/contacts", nil, w.owner)
		want(t, r, http.StatusOK)
		items := r.JSON()["results"].([]any)
		var order []string
		for _, it := range items {
			for k, v := range it.(map[string]any) {
				m := v.(map[string]any)
				order = append(order, k+":"+fmt.Sprintf("%v %v", m["name"], m["legal_name"]))
			}
		}
		wantOrder := []string{"customer:JOÃO Pereira <nil>", "customer:Maria <nil>", "supplier:<nil> Alpha Foods", "supplier:<nil> Beta"}
		if strings.Join(order, "|") != strings.Join(wantOrder, "|") || bizCount(r) != 4 {
			t.Fatalf("contacts %v; want customers then suppliers in creation order", order)
		}

		search := func(term string) []string {
			t.Helper()
			r := e.do("GET", "/contacts/?search="+term, nil, w.member)
			want(t, r, http.StatusOK)
			var names []string
			for _, it := range r.JSON()["results"].([]any) {
				for _, v := range it.(map[string]any) {
					m := v.(map[string]any)
					names = append(names, fmt.Sprintf("%v %v", m["name"], m["legal_name"]))
				}
			}
			return names
		}
		for term, n := range map[string]int{"joão": 1, "jot": 1, "22233": 1, "alfa": 1, "ALPHA": 1, "99888": 1, "bebidas": 1,
			"vip-100%25": 1, "100%25": 1, "p_1": 0, "a_f": 0, "zzz": 0} {
			if got := search(term); len(got) != n {
				t.Errorf("search %q found %v, want %d", term, got, n)
			}
		}
		if got := search("jota"); len(got) != 1 || got[0] != "JOÃO Pereira <nil>" {
			t.Fatalf("search jota = %v", got)
		}
		bizWantError(t, e.do("GET", "/contacts?search=", nil, w.owner), http.StatusBadRequest, "Provide a search term.")
		bizWantError(t, e.do("GET", "/contacts/?search=ab", nil, w.owner), http.StatusBadRequest, "Enter at least 3 characters.")
		want(t, e.do("GET", "/contacts/", nil, w.owner), http.StatusOK) // no search: the list (S9)

		// Paging in the database, customers before suppliers across pages.
		for i := range 52 {
			post(w.other, "customers", map[string]any{"name": fmt.Sprintf("C%02d", i)})
		}
		r = e.do("GET", "/contacts?page=2", nil, w.other)
		want(t, r, http.StatusOK)
		if bizCount(r) != 54 || len(r.JSON()["results"].([]any)) != 4 || r.JSON()["next"] != nil || r.JSON()["previous"] == nil {
			t.Fatalf("page 2: %s", r.Body)
		}
		last := r.JSON()["results"].([]any)[3].(map[string]any)
		if last["supplier"] == nil {
			t.Fatalf("last item %v; want the supplier", last)
		}
		bizWantError(t, e.do("GET", "/contacts?page=3", nil, w.other), http.StatusNotFound, "Invalid page.")
	})
}
