package httpapi

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

var transactionKeysOut = []string{"id", "description", "amount", "type", "timestamp", "category", "operator",
	"account", "contact", "payment", "linked"}

// balance returns an account's balance as the owner sees it.
func (w *bizWorld) balance(accountID string) string {
	w.e.t.Helper()
	r := w.e.do("GET", "/finance/accounts/"+accountID, nil, w.owner)
	want(w.e.t, r, http.StatusOK)
	return bizObj(r, "account")["balance"].(string)
}

// txCount returns how many transactions the business has.
func (w *bizWorld) txCount() int {
	w.e.t.Helper()
	r := w.e.do("GET", "/finance/transactions", nil, w.owner)
	want(w.e.t, r, http.StatusOK)
	return bizCount(r)
}

func (w *bizWorld) postTx(token string, body map[string]any) *resp {
	w.e.t.Helper()
	return w.e.do("POST", "/finance/transactions", body, token)
}

func TestBusinessTransactionsBalances(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		want(t, e.do("GET", "/finance/transactions", nil, ""), http.StatusUnauthorized)
		bizWantError(t, e.do("GET", "/finance/transactions", nil, w.plain), http.StatusForbidden, "You do not have permission to perform this action.")
		want(t, w.postTx(w.plain, map[string]any{"type": "credit"}), http.StatusForbidden)
		want(t, e.do("PATCH", "/finance/transactions/x", map[string]any{}, w.owner), http.StatusMethodNotAllowed)

		a := w.newAccount(w.owner, "Conta A")
		b := w.newAccount(w.owner, "Conta B")
		c := w.newAccount(w.owner, "Conta C")
		// §5: credit 90 → 90.00; debit 10 → −10.00; transfer 15 → −15.00 / 15.00. The sign sent is ignored.
		r := w.postTx(w.member, map[string]any{"type": "credit", "amount": "-90", "description": "Venda", "account": a})
		want(t, r, http.StatusCreated)
		credit := bizObj(r, "transaction")
		bizWantKeys(t, credit, transactionKeysOut...)
		if credit["amount"] != "90.00" || credit["type"] != "credit" || credit["linked"] != nil || credit["payment"] != nil {
			t.Fatalf("credit %v", credit)
		}
		if op := credit["operator"].(map[string]any); op["id"] != w.memberUserID || op["name"] == "" {
			t.Fatalf("operator %v; want the member's login", op)
		}
		if cat := credit["category"].(map[string]any); len(cat) != 2 || cat["id"] != nil || cat["name"] != nil {
			t.Fatalf("category %v; want {id: null, name: null}", cat)
		}
		if ct := credit["contact"].(map[string]any); len(ct) != 2 || ct["id"] != nil || ct["name"] != nil {
			t.Fatalf("contact %v; want {name: null, id: null}", ct)
		}
		if w.balance(a) != "90.00" {
			t.Fatalf("balance after credit 90: %s", w.balance(a))
		}
		want(t, w.postTx(w.owner, map[string]any{"type": "debit", "amount": 10, "description": "Compra", "account": b}), http.StatusCreated)
		if w.balance(b) != "-10.00" {
			t.Fatalf("balance after debit 10: %s", w.balance(b))
		}
		r = w.postTx(w.owner, map[string]any{"type": "transfer", "amount": "15", "description": "Reserva", "account": c, "send_to": a})
		want(t, r, http.StatusCreated)
		src := bizObj(r, "transaction")
		if src["amount"] != "-15.00" || src["type"] != "transfer" || src["description"] != "Transfer Sent to Conta A • Reserva" ||
			src["account"].(map[string]any)["id"] != c || src["linked"] == nil {
			t.Fatalf("transfer answered %v; want the source leg", src)
		}
		r = e.do("GET", "/finance/transactions/"+src["linked"].(string), nil, w.member)
		want(t, r, http.StatusOK)
		dst := bizObj(r, "transaction")
		if dst["amount"] != "15.00" || dst["linked"] != src["id"] || dst["description"] != "Transfer Received from Conta C • Reserva" {
			t.Fatalf("destination leg %v", dst)
		}
		if w.balance(c) != "-15.00" || w.balance(a) != "105.00" {
			t.Fatalf("balances after transfer: c %s, a %s", w.balance(c), w.balance(a))
		}

		// Deleting either leg deletes both and takes the amounts back.
		r = e.do("DELETE", "/finance/transactions/"+dst["id"].(string), nil, w.member)
		want(t, r, http.StatusOK)
		if d := bizObj(r, "transaction"); len(d) != 2 || d["id"] != dst["id"] || d["deleted"] != true {
			t.Fatalf("DELETE answered %s", r.Body)
		}
		if w.balance(c) != "0.00" || w.balance(a) != "90.00" || w.txCount() != 2 {
			t.Fatalf("after deleting a transfer: c %s, a %s, %d transactions", w.balance(c), w.balance(a), w.txCount())
		}
		bizWantError(t, e.do("GET", "/finance/transactions/"+src["id"].(string), nil, w.owner), http.StatusNotFound, "Financial transaction not found.")
		bizWantError(t, e.do("DELETE", "/finance/transactions/"+src["id"].(string), nil, w.owner), http.StatusNotFound, "Transaction not found.")
		bizWantError(t, e.do("DELETE", "/finance/transactions/"+credit["id"].(string), nil, w.other), http.StatusNotFound, "Transaction not found.")
		bizWantError(t, e.do("GET", "/finance/transactions/"+credit["id"].(string), nil, w.other), http.StatusNotFound, "Financial transaction not found.")
		want(t, e.do("DELETE", "/finance/transactions/"+credit["id"].(string), nil, w.owner), http.StatusOK)
		if w.balance(a) != "0.00" {
			t.Fatalf("balance after deleting the credit: %s", w.balance(a))
		}
	})
}

// TestBusinessTransactionsRejected: defects 2, 10, 12, 13 and conventions S21, S22 — every
// refusal writes nothing.
func TestBusinessTransactionsRejected(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		a := w.newAccount(w.owner, "A")
		b := w.newAccount(w.owner, "B")
		foreignAcc := w.newAccount(w.other, "Theirs")
		foreignCat := w.newCategory(w.other, "Theirs", "")
		r := e.do("POST", "/contacts/customers", map[string]any{"name": "Their customer"}, w.other)
		foreignContact := bizObj(r, "customer")["id"].(string)
		r = e.do("POST", "/contacts/customers", map[string]any{"name": "Gone", "is_active": false}, w.owner)
		inactiveContact := bizObj(r, "customer")["id"].(string)
		want(t, w.postTx(w.owner, map[string]any{"type": "credit", "amount": "10", "description": "seed", "account": a}), http.StatusCreated)

		base := func(extra map[string]any) map[string]any {
			m := map[string]any{"type": "debit", "amount": "1.00", "description": "x", "account": a}
			for k, v := range extra {
				if v == nil {
					delete(m, k)
				} else {
					m[k] = v
				}
			}
			return m
		}
		cases := []struct {
			name        string
			body        map[string]any
			field, msg  string
			wantMessage string // a plain message instead of a field
		}{
			{"missing amount (defect 13)", base(map[string]any{"amount": nil}), "amount", "This field is required.", ""},
			{"null amount", base(map[string]any{"amount": "null"}), "amount", "This field may not be null.", ""},
			{"amount not a number", base(map[string]any{"amount": "ten"}), "amount", "A valid number is required.", ""},
			{"amount with 3 places", base(map[string]any{"amount": "1.005"}), "amount", "Ensure that there are no more than 2 decimal places.", ""},
			{"amount too large (12,2)", base(map[string]any{"amount": "12345678901"}), "amount", "Ensure that there are no more than 10 digits before the decimal point.", ""},
			{"zero amount (S22)", base(map[string]any{"amount": 0}), "amount", "Ensure this value is not zero.", ""},
			{"bad type", base(map[string]any{"type": "gift"}), "type", `"gift" is not a valid choice.`, ""},
			{"missing description", base(map[string]any{"description": nil}), "description", "This field is required.", ""},
			{"missing account", base(map[string]any{"account": nil}), "account", "This field is required.", ""},
			{"foreign account (defect 2)", base(map[string]any{"account": foreignAcc}), "account", `Invalid pk "` + foreignAcc + `" - object does not exist.`, ""},
			{"foreign category (defect 2)", base(map[string]any{"category": foreignCat}), "category", `Invalid pk "` + foreignCat + `" - object does not exist.`, ""},
			{"foreign contact (defect 2)", base(map[string]any{"contact": foreignContact}), "contact", `Invalid pk "` + foreignContact + `" - object does not exist.`, ""},
			{"inactive contact (S22)", base(map[string]any{"contact": inactiveContact}), "contact", "This contact is inactive.", ""},
			{"unknown payment", base(map[string]any{"payment": foreignAcc}), "payment", `Invalid pk "` + foreignAcc + `" - object does not exist.`, ""},
			{"transfer without send_to", base(map[string]any{"type": "transfer"}), "", "", "Destination account not provided"},
			{"transfer to an unknown account (defect 10)", base(map[string]any{"type": "transfer", "send_to": "01JYM6QVGZBSTGMECFQV138WAA"}), "send_to", `Invalid pk "01JYM6QVGZBSTGMECFQV138WAA" - object does not exist.`, ""},
			{"transfer to a foreign account (defect 10)", base(map[string]any{"type": "transfer", "send_to": foreignAcc}), "send_to", `Invalid pk "` + foreignAcc + `" - object does not exist.`, ""},
			{"transfer to itself", base(map[string]any{"type": "transfer", "send_to": a}), "send_to", "The destination must be another account.", ""},
			{"transfer with a payment (S22)", base(map[string]any{"type": "transfer", "send_to": b, "payment": foreignAcc}), "payment", "A transfer cannot settle a payment.", ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				body := tc.body
				if body["amount"] == "null" {
					body["amount"] = nil
				}
				r := w.postTx(w.owner, body)
				switch {
				case tc.wantMessage != "":
					bizWantError(t, r, http.StatusBadRequest, tc.wantMessage)
				case tc.field != "":
					bizWantField(t, r, tc.field, tc.msg)
				default:
					want(t, r, http.StatusBadRequest)
				}
				if w.balance(a) != "10.00" || w.balance(b) != "0.00" || w.txCount() != 1 {
					t.Fatalf("a refused transaction wrote: a %s, b %s, %d transactions", w.balance(a), w.balance(b), w.txCount())
				}
			})
		}
		// A balance may reach but not pass ±(10^15 − 1) cents (defect 12, S21); the stored
		// balance is moved next to the limit directly, as 100 000 debits would take too long.
		if _, err := e.db.Writer().Exec(`UPDATE finance_accounts SET balance = $1 WHERE id = $2`, int64(-999_999_999_999_999+100), b); err != nil {
			t.Fatal(err)
		}
		want(t, w.postTx(w.owner, base(map[string]any{"amount": "1.00", "account": b})), http.StatusCreated)
		bizWantField(t, w.postTx(w.owner, base(map[string]any{"amount": "0.01", "account": b})), "amount", "This amount would take the account balance beyond 9999999999999.99.")
		bizWantField(t, w.postTx(w.owner, base(map[string]any{"type": "transfer", "amount": "0.01", "account": b, "send_to": a})), "amount", "This amount would take the account balance beyond 9999999999999.99.")
		if w.balance(b) != "-9999999999999.99" || w.balance(a) != "10.00" {
			t.Fatalf("balances b %s, a %s", w.balance(b), w.balance(a))
		}
		// Deleting a credit that would take the balance past the bound is 400 under amount
		// and deletes nothing (S21).
		r = w.postTx(w.owner, base(map[string]any{"type": "credit", "amount": "0.50", "account": b}))
		want(t, r, http.StatusCreated)
		credit := bizObj(r, "transaction")["id"].(string)
		if _, err := e.db.Writer().Exec(`UPDATE finance_accounts SET balance = $1 WHERE id = $2`, int64(-999_999_999_999_999), b); err != nil {
			t.Fatal(err)
		}
		bizWantField(t, e.do("DELETE", "/finance/transactions/"+credit, nil, w.owner), "amount",
			"Deleting this transaction would take the account balance beyond 9999999999999.99.")
		want(t, e.do("GET", "/finance/transactions/"+credit, nil, w.owner), http.StatusOK)
		if w.balance(b) != "-9999999999999.99" {
			t.Fatalf("a refused delete moved the balance to %s", w.balance(b))
		}
		bizWantInvalid(t, w.postTx(w.owner, base(map[string]any{"timestamp": "2020-01-01", "linked": "x", "operator": "y"})), "timestamp")
	})
}

func TestBusinessTransactionsFilters(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		want(t, e.do("PATCH", "/business/settings", map[string]any{"timezone": "America/Recife"}, w.owner), http.StatusOK)
		a := w.newAccount(w.owner, "Itaú Corrente")
		b := w.newAccount(w.owner, "Nubank")
		cat := w.newCategory(w.owner, "Vendas", "")
		r := e.do("POST", "/contacts/suppliers", map[string]any{"legal_name": "Fornecedor SA"}, w.owner)
		sup := bizObj(r, "supplier")["id"].(string)
		first := bizObj(w.postTx(w.owner, map[string]any{"type": "credit", "amount": "150.25", "description": "Venda BALCÃO", "account": a, "category": cat, "contact": sup}), "transaction")
		if first["category"].(map[string]any)["name"] != "Vendas" || first["contact"].(map[string]any)["name"] != "Fornecedor SA" {
			t.Fatalf("transaction refs %v", first)
		}
		if ts := first["timestamp"].(string); !bizStampRE.MatchString(ts) || !strings.HasSuffix(ts, "-03:00") {
			t.Fatalf("timestamp %q; want the business zone", ts)
		}
		w.postTx(w.owner, map[string]any{"type": "debit", "amount": "15", "description": "Café 100%", "account": b})
		w.postTx(w.owner, map[string]any{"type": "transfer", "amount": "1.5", "description": "ajuste", "account": a, "send_to": b})
		// The other business's look-alikes are never listed.
		oa := w.newAccount(w.other, "Nubank")
		w.postTx(w.other, map[string]any{"type": "credit", "amount": "150.25", "description": "Venda balcão", "account": oa})

		list := func(q string) []map[string]any {
			t.Helper()
			return bizResults(t, e.do("GET", "/finance/transactions"+bizEscapeQuery(q), nil, w.member), "transaction")
		}
		all := list("")
		if len(all) != 4 || all[0]["description"] != "Transfer Received from Itaú Corrente • ajuste" && all[0]["description"] != "Transfer Sent to Nubank • ajuste" {
			t.Fatalf("list %v; want newest first", all)
		}
		if all[3]["id"] != first["id"] {
			t.Fatalf("oldest last: %v", all[3])
		}
		today := time.Now().In(bizZone(t, "America/Recife")).Format("2006-01-02")
		for q, n := range map[string]int{
			"?search=150":                     1, // amount prefix (S10)
			"?search=15.":                     1,
			"?search=1.50":                    2, // both transfer legs
			"?search=balcão":                  1, // description, case-insensitive
			"?search=100%25":                  1,
			"?search=" + first["id"].(string): 1,
			"?bank=nubank":                    2,
			"?bank=ITAÚ CORRENTE":             2,
			"?bank=" + a:                      2,
			"?bank=Itaú":                      0, // the whole name only
			"?search=ajuste&bank=nubank":      1,
			"?date=today":                     4,
			"?date=week":                      4,
			"?date=month":                     4,
			"?date=" + today:                  4,
			"?date=2001-01-01":                0,
			"?start_date=" + today + "&end_date=" + today: 4,
			"?start_date=2001-01-01&end_date=2001-12-31":  0,
			"?start_date=2001-01-01":                      4, // one end alone is ignored
			"?search=venda&date=today":                    1,
		} {
			if got := list(q); len(got) != n {
				t.Errorf("%s: %d transactions, want %d", q, len(got), n)
			}
		}
		for q, msg := range map[string]string{
			"?search=":         "Provide a search term.",
			"?search=ab":       "Enter at least 3 characters.",
			"?bank=nu":         "Enter at least 3 characters.",
			"?date=yesterday":  "Make sure the date is in the format: YYYY-MM-DD.",
			"?date=2025-1-01":  "Make sure the date is in the format: YYYY-MM-DD.",
			"?date=2025-02-30": "Make sure the date is in the format: YYYY-MM-DD.",
			"?start_date=2025-01-01&end_date=01/02/2025":   "Make sure the date is in the format: YYYY-MM-DD.", // HTTP 400 (defect 24)
			"?date=today&start_date=2025-01-01":            "Pick a single date or a range not both.",
			"?date=today&start_date=2025-01-01&end_date=x": "Pick a single date or a range not both.",
		} {
			bizWantError(t, e.do("GET", "/finance/transactions"+bizEscapeQuery(q), nil, w.owner), http.StatusBadRequest, msg)
		}
		// Unknown and empty query parameters are ignored (S35); next keeps the query.
		if got := list("?&foo=bar"); len(got) != 4 {
			t.Fatalf("unknown parameter changed the list: %d", len(got))
		}
		// Empty filters, as a client that always sends every one does, filter nothing.
		if got := list("?date=&start_date=&end_date=&bank="); len(got) != 4 {
			t.Fatalf("empty filters changed the list: %d", len(got))
		}
		for range 50 {
			w.postTx(w.owner, map[string]any{"type": "credit", "amount": "1", "description": "bulk", "account": b})
		}
		r = e.do("GET", "/finance/transactions?search=bulk", nil, w.owner)
		if bizCount(r) != 50 || r.JSON()["next"] != nil {
			t.Fatalf("50 matches fit one page: count %d, next %v", bizCount(r), r.JSON()["next"])
		}
		r = e.do("GET", "/finance/transactions", nil, w.owner)
		if next, _ := r.JSON()["next"].(string); bizCount(r) != 54 || !strings.HasSuffix(next, "/finance/transactions?page=2") {
			t.Fatalf("count %d next %q", bizCount(r), next)
		}
		if got := bizResults(t, e.do("GET", "/finance/transactions?page=2", nil, w.owner), "transaction"); len(got) != 4 || got[3]["id"] != first["id"] {
			t.Fatalf("page 2: %v", got)
		}
	})
}

func bizZone(t *testing.T, name string) *time.Location {
	t.Helper()
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// escapeQuery escapes each value of a "?k=v&k=v" query written plainly ("%25" stays "%").
func bizEscapeQuery(q string) string {
	if q == "" {
		return q
	}
	parts := strings.Split(strings.TrimPrefix(q, "?"), "&")
	for i, kv := range parts {
		k, v, ok := strings.Cut(kv, "=")
		if ok {
			v, _ = url.QueryUnescape(v)
			parts[i] = k + "=" + url.QueryEscape(v)
		}
	}
	return "?" + strings.Join(parts, "&")
}
