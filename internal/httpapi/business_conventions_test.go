package httpapi

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Cross-cutting Business-family conventions, checked on every resource at once: read-only keys
// echoed back (conventions "Unknown body fields"), empty query parameters (S35, S9), the
// balance bound on deletes (S21), recurrence on PATCH (S25, §2.6) and cost quantities (§2.9).

// bizEchoes are the shapes a client may echo a read-only key back in: as the response rendered
// it (a string, a number, an object, a list) or null. Every one is ignored, never a 400.
var bizEchoes = map[string]any{
	"string": "echoed",
	"number": 7,
	"object": map[string]any{"id": prodFake, "name": "echoed"},
	"list":   []any{"echoed"},
	"null":   nil,
}

// bizWrite is one Business write: a path and a fresh valid body (called once per request, so
// unique fields stay unique).
type bizWrite struct {
	method, path string
	token        func(w *bizWorld) string
	body         func() map[string]any
	status       int
}

// TestBusinessReadOnlyKeysEverywhere: every Business POST and PATCH accepts and ignores every
// read-only key of the conventions' list (in any JSON shape, and in form bodies), while a truly
// unknown key stays 400 Required parameter missing or invalid. under invalid.
func TestBusinessReadOnlyKeysEverywhere(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		owner := func(w *bizWorld) string { return w.owner }
		member := func(w *bizWorld) string { return w.member }

		cust := w.newContact(w.owner, false, map[string]any{"name": "Cliente"})
		sup := w.prodSupplier(w.owner, "Fornecedor")
		acc := w.newAccount(w.owner, "Banco")
		finCat := w.newCategory(w.owner, "Receitas", "")
		prodCat := w.prodCategory(w.owner, "Papelaria", "")
		prod := w.prodNew(w.owner, "Caneta", map[string]any{"track_stock": false})["id"].(string)
		inv := w.prodInventory(w.owner, prod)
		move := bizObj(w.prodMove(w.owner, inv, map[string]any{"type": "inbound", "quantity": 5}), "transaction")["id"].(string)
		cost := bizObj(w.postCost(w.owner, prod, nil), "cost")["id"].(string)
		rec := w.newPayment(t, w.owner, "/receivables", payBody(cust, "2030-01-10", map[string]any{"total_amount": "1000"}))["id"].(string)
		pay := w.newPayment(t, w.owner, "/payables", payBody(sup, "2030-01-10", map[string]any{"total_amount": "1000"}))["id"].(string)

		fixed := func(m map[string]any) func() map[string]any {
			return func() map[string]any { return maps.Clone(m) }
		}
		writes := []bizWrite{
			{"POST", "/accounts", nil, func() map[string]any {
				n := "echo" + bizUniq()
				return map[string]any{"name": n, "email": n + "@example.com", "password": testPassword}
			}, http.StatusCreated},
			{"PATCH", "/accounts", owner, fixed(map[string]any{"name": "Olivia"}), http.StatusOK},
			{"PATCH", "/me/preferences", owner, fixed(map[string]any{"get_notification": true}), http.StatusOK},
			{"PATCH", "/owner", owner, fixed(map[string]any{"phone": "81999990000"}), http.StatusOK},
			{"PATCH", "/business", owner, fixed(map[string]any{"city": "Recife"}), http.StatusOK},
			{"PATCH", "/business/settings", owner, fixed(map[string]any{"timezone": "UTC"}), http.StatusOK},
			{"POST", "/members", owner, func() map[string]any {
				n := bizUniq()
				return map[string]any{"name": "Staff", "phone": "8" + n, "email": "staff" + n + "@example.com"}
			}, http.StatusCreated},
			{"PATCH", "/members/" + w.memberID, owner, fixed(map[string]any{"role": "Caixa"}), http.StatusOK},
			{"POST", "/contacts/customers", member, fixed(map[string]any{"name": "Outro"}), http.StatusCreated},
			{"PATCH", "/contacts/customers/" + cust, member, fixed(map[string]any{"alias": "Cli"}), http.StatusOK},
			{"POST", "/contacts/suppliers", member, fixed(map[string]any{"legal_name": "Outro SA"}), http.StatusCreated},
			{"PATCH", "/contacts/suppliers/" + sup, member, fixed(map[string]any{"trade_name": "Forn"}), http.StatusOK},
			{"POST", "/finance/accounts", owner, func() map[string]any { return map[string]any{"name": "Conta " + bizUniq()} }, http.StatusCreated},
			{"PATCH", "/finance/accounts/" + acc, owner, fixed(map[string]any{"name": "Banco 2"}), http.StatusOK},
			{"POST", "/finance/categories", member, func() map[string]any { return map[string]any{"name": "Cat " + bizUniq()} }, http.StatusCreated},
			{"PATCH", "/finance/categories/" + finCat, member, fixed(map[string]any{"is_active": true}), http.StatusOK},
			{"POST", "/finance/transactions", member, fixed(map[string]any{"type": "credit", "amount": "1", "description": "x", "account": acc}), http.StatusCreated},
			{"POST", "/receivables", member, fixed(payBody(cust, "2030-02-10", nil)), http.StatusCreated},
			{"PATCH", "/receivables/" + rec, member, fixed(map[string]any{"notes": "Nota"}), http.StatusOK},
			{"POST", "/receivables/" + rec + "/settle", member, fixed(map[string]any{"amount": "1", "account": acc}), http.StatusCreated},
			{"POST", "/payables", member, fixed(payBody(sup, "2030-02-10", nil)), http.StatusCreated},
			{"PATCH", "/payables/" + pay, member, fixed(map[string]any{"notes": "Nota"}), http.StatusOK},
			{"POST", "/payables/" + pay + "/settle", member, fixed(map[string]any{"amount": "1", "account": acc}), http.StatusCreated},
			{"POST", "/products", member, func() map[string]any { return map[string]any{"name": "Lápis " + bizUniq()} }, http.StatusCreated},
			{"PATCH", "/products/" + prod, member, fixed(map[string]any{"brand": "Bic"}), http.StatusOK},
			{"POST", "/products/categories", member, func() map[string]any { return map[string]any{"name": "PC " + bizUniq()} }, http.StatusCreated},
			{"PATCH", "/products/categories/" + prodCat, member, fixed(map[string]any{"is_active": true}), http.StatusOK},
			{"POST", "/products/" + prod + "/costs", member, fixed(map[string]any{"quantity": 2, "effective_date": "2025-06-01", "cost_price": "1", "retail_price": "2"}), http.StatusCreated},
			{"PATCH", "/products/" + prod + "/costs/" + cost, member, fixed(map[string]any{"retail_price": "3"}), http.StatusOK},
			{"PATCH", "/products/inventory/" + inv, owner, fixed(map[string]any{"location": "A1"}), http.StatusOK},
			{"POST", "/products/inventory/" + inv + "/transactions", owner, fixed(map[string]any{"type": "inbound", "quantity": 1}), http.StatusCreated},
			{"PATCH", "/products/inventory/transactions/" + move, owner, fixed(map[string]any{"description": "ok"}), http.StatusOK},
		}
		readOnly := append(append([]string{}, bizReadOnly...), invReadOnly...)
		for _, wr := range writes {
			t.Run(wr.method+" "+wr.path, func(t *testing.T) {
				tok := ""
				if wr.token != nil {
					tok = wr.token(w)
				}
				keys := bizReadOnly
				if strings.HasPrefix(wr.path, "/products/inventory/") && !strings.Contains(wr.path, "transactions") {
					keys = readOnly
				}
				for shape, v := range bizEchoes {
					body := wr.body()
					for _, k := range keys {
						body[k] = v
					}
					if r := e.do(wr.method, wr.path, body, tok); r.Status != wr.status {
						t.Errorf("read-only keys as %s: status %d, want %d; body %s", shape, r.Status, wr.status, r.Body)
					}
				}
				// Form bodies too (S28): every read-only key, as a string.
				form := url.Values{}
				for k, v := range wr.body() {
					form.Set(k, fmt.Sprint(v))
				}
				for _, k := range keys {
					form.Set(k, "echoed")
				}
				if r := e.form(wr.method, wr.path, form, tok); r.Status != wr.status {
					t.Errorf("read-only keys in a form: status %d, want %d; body %s", r.Status, wr.status, r.Body)
				}
				// A body of read-only keys only is neither empty nor invalid: nothing changes.
				if wr.method == "PATCH" {
					if r := e.do(wr.method, wr.path, map[string]any{"id": prodFake, "updated_at": "2020-01-01"}, tok); r.Status != wr.status {
						t.Errorf("only read-only keys: status %d, want %d; body %s", r.Status, wr.status, r.Body)
					}
				}
				// A truly unknown key is still refused, named under invalid (§1.4, §1.11).
				body := wr.body()
				body["no_such_key"] = "x"
				if wr.path == "/accounts" && wr.method == "POST" {
					want(t, e.do(wr.method, wr.path, body, tok), http.StatusBadRequest)
				} else {
					bizWantInvalid(t, e.do(wr.method, wr.path, body, tok), "no_such_key")
				}
			})
		}

		// POST /business, once per new owner.
		for shape, v := range bizEchoes {
			_, tok := e.ownerSignUp("echo" + bizUniq())
			body := map[string]any{"legal_name": "Echo " + bizUniq(), "trade_name": "Echo", "cnpj": bizUniq()}
			for _, k := range bizReadOnly {
				body[k] = v
			}
			if r := e.do("POST", "/business", body, tok); r.Status != http.StatusCreated {
				t.Errorf("POST /business with read-only keys as %s: %d %s", shape, r.Status, r.Body)
			}
		}

		// Read-only values are never applied.
		if a := bizObj(e.do("GET", "/finance/accounts/"+acc, nil, w.owner), "account"); a["id"] != acc || a["balance"] == "7.00" {
			t.Fatalf("account after echoes: %v", a)
		}
		if c := bizObj(e.do("GET", "/contacts/customers/"+cust, nil, w.owner), "customer"); c["amount_spent"] != "0.00" || c["number_of_orders"] != float64(0) {
			t.Fatalf("customer after echoes: %v", c)
		}
		if i := bizObj(e.do("GET", "/products/inventory/"+inv, nil, w.owner), "inventory"); i["reserved"] != float64(0) ||
			i["product"].(map[string]any)["id"] != prod {
			t.Fatalf("inventory after echoes: %v", i)
		}
		// The one exception: stock on PATCH /products/{id} (business-api.md §2.7).
		bizWantError(t, e.do("PATCH", "/products/"+prod, map[string]any{"stock": 0}, w.owner), http.StatusBadRequest,
			"Adjust stock quantity through an inventory transaction.")
	})
}

// TestBusinessEmptyQueryParameters: an empty filter (?date=&bank=…), an empty page and an empty
// parameter (?&x) are ignored on every Business list (S35); a present but empty search is 400
// Provide a search term. (S9), on both forms of the path.
func TestBusinessEmptyQueryParameters(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		cust := w.newContact(w.owner, false, map[string]any{"name": "Cliente"})
		acc := w.newAccount(w.owner, "Banco")
		want(t, w.postTx(w.owner, map[string]any{"type": "credit", "amount": "1", "description": "x", "account": acc}), http.StatusCreated)
		w.newPayment(t, w.owner, "/receivables", payBody(cust, "2030-01-10", nil))
		w.newPayment(t, w.owner, "/payables", payBody(cust, "2030-01-10", nil))
		w.prodNew(w.owner, "Caneta", nil)

		lists := map[string]string{
			"/finance/transactions": "?search=&bank=&date=&start_date=&end_date=",
			"/receivables":          "?search=&date=&start_date=&end_date=",
			"/payables":             "?search=&date=&start_date=&end_date=",
			"/contacts":             "?search=",
			"/products":             "?search=",
		}
		for path, all := range lists {
			for _, p := range []string{path, path + "/"} {
				base := e.do("GET", p, nil, w.owner)
				want(t, base, http.StatusOK)
				n := bizCount(base)
				if n == 0 {
					t.Fatalf("%s lists nothing", p)
				}
				filters := strings.ReplaceAll(strings.TrimPrefix(all, "?search=&"), "?search=", "")
				for _, q := range []string{"?" + filters, "?&", "?page=", "?&&page=&foo=&" + filters} {
					if r := e.do("GET", p+q, nil, w.owner); r.Status != http.StatusOK || bizCount(r) != n {
						t.Errorf("GET %s%s: status %d count %d, want 200 with %d; body %s", p, q, r.Status, bizCount(r), n, r.Body)
					}
				}
				bizWantError(t, e.do("GET", p+all, nil, w.owner), http.StatusBadRequest, "Provide a search term.")
			}
		}
		for _, path := range []string{"/members", "/finance/accounts", "/finance/categories", "/products/categories",
			"/products/inventory", "/contacts/customers", "/contacts/suppliers"} {
			if r := e.do("GET", path+"?&page=&foo=&date=&bank=", nil, w.owner); r.Status != http.StatusOK {
				t.Errorf("GET %s with empty parameters: %d %s", path, r.Status, r.Body)
			}
		}
	})
}

// TestBusinessRecurrenceAndCostQuantity: recurrence fields cannot change on PATCH (400 naming
// each field; the stored value or null is no change), and a cost entry's quantity is a positive
// integer on POST and PATCH, in JSON and form bodies (§2.9).
func TestBusinessRecurrenceAndCostQuantity(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		cust := w.newContact(w.owner, false, map[string]any{"name": "Cliente"})
		for _, base := range billKinds {
			p := w.newPayment(t, w.owner, base, payBody(cust, "2030-01-10", map[string]any{"recurrence": "installments",
				"installment_count": 3, "due_day_of_month": 10}))
			one := base + "/" + p["id"].(string)
			// Echoing the payment as read is no change to its recurrence (contact and category
			// are rendered by name, so a client sends ids or leaves them out).
			echo := maps.Clone(p)
			delete(echo, "contact")
			delete(echo, "category")
			echo["notes"] = "Echoed"
			want(t, e.do("PATCH", one, echo, w.owner), http.StatusOK)
			want(t, e.do("PATCH", one, map[string]any{"recurrence": nil, "due_weekday": nil}, w.owner), http.StatusOK)
			for k, v := range map[string]any{"recurrence": "monthly", "due_weekday": "monday", "installment_count": 5,
				"due_day_of_month": 3} {
				bizWantField(t, e.do("PATCH", one, map[string]any{k: v}, w.owner), k, "The recurrence of a payment is set when it is created.")
			}
		}

		prod := w.prodNew(w.owner, "Caneta", nil)["id"].(string)
		cost := bizObj(w.postCost(w.owner, prod, nil), "cost")["id"].(string)
		for _, q := range []any{0, "0", -3, "-1"} {
			bizWantField(t, w.postCost(w.owner, prod, map[string]any{"quantity": q}), "quantity",
				"Ensure this value is greater than or equal to 1.")
			bizWantField(t, e.do("PATCH", "/products/"+prod+"/costs/"+cost, map[string]any{"quantity": q}, w.owner), "quantity",
				"Ensure this value is greater than or equal to 1.")
		}
		bizWantField(t, e.form("POST", "/products/"+prod+"/costs", url.Values{"quantity": {"0"}, "effective_date": {"2025-06-01"},
			"cost_price": {"1"}, "retail_price": {"2"}}, w.owner), "quantity", "Ensure this value is greater than or equal to 1.")
		bizWantField(t, e.form("PATCH", "/products/"+prod+"/costs/"+cost, url.Values{"quantity": {"0"}}, w.owner), "quantity",
			"Ensure this value is greater than or equal to 1.")
		if c := bizObj(e.do("GET", "/products/"+prod+"/costs/"+cost, nil, w.owner), "cost"); c["quantity"] != float64(1) {
			t.Fatalf("a refused quantity was stored: %v", c)
		}
	})
}

// TestBusinessDeleteReversalOutOfBounds: a delete whose reversal would take a balance past
// ±(10^15 − 1) cents (S21) or a tracked stock below 0 (S24) is 400 naming the field, never 409,
// and deletes nothing: a transfer's two legs and an inventory movement alike.
func TestBusinessDeleteReversalOutOfBounds(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		a, b := w.newAccount(w.owner, "Origem"), w.newAccount(w.owner, "Destino")
		r := w.postTx(w.owner, map[string]any{"type": "transfer", "amount": "5", "description": "x", "account": a, "send_to": b})
		want(t, r, http.StatusCreated)
		sent := bizObj(r, "transaction")
		// Taking the transfer back credits the source: at the upper bound that is out of range.
		if _, err := e.db.Writer().Exec(`UPDATE finance_accounts SET balance = $1 WHERE id = $2`, int64(999_999_999_999_999), a); err != nil {
			t.Fatal(err)
		}
		for _, leg := range []string{sent["id"].(string), sent["linked"].(string)} {
			bizWantField(t, e.do("DELETE", "/finance/transactions/"+leg, nil, w.member), "amount",
				"Deleting this transaction would take the account balance beyond 9999999999999.99.")
			want(t, e.do("GET", "/finance/transactions/"+leg, nil, w.owner), http.StatusOK)
		}
		if w.balance(a) != "9999999999999.99" || w.balance(b) != "5.00" {
			t.Fatalf("a refused delete moved balances: %s, %s", w.balance(a), w.balance(b))
		}

		p := w.prodNew(w.owner, "Caderno", nil)["id"].(string)
		inv := w.prodInventory(w.owner, p)
		in := bizObj(w.prodMove(w.owner, inv, map[string]any{"type": "inbound", "quantity": 5}), "transaction")["id"].(string)
		want(t, w.prodMove(w.owner, inv, map[string]any{"type": "outbound", "quantity": 3}), http.StatusCreated)
		bizWantField(t, e.do("DELETE", "/products/inventory/transactions/"+in, nil, w.owner), "quantity", "Insufficient stock.")
		want(t, e.do("GET", "/products/inventory/transactions/"+in, nil, w.owner), http.StatusOK)
		if s := w.prodStock(t, p); s != 2 {
			t.Fatalf("a refused delete moved the stock to %d", s)
		}
	})
}
