package httpapi

import (
	"net/http"
	"testing"
)

// paymentKeysOut are exactly the keys of a payment object (business-api.md §2.6, S33).
var paymentKeysOut = []string{"id", "contact", "category", "issued_at", "due_at", "paid_at", "updated_at",
	"total_amount", "amount_paid", "outstanding_balance", "payment_type", "payment_method", "status", "recurrence",
	"installment_count", "due_weekday", "due_day_of_month", "reference", "notes"}

// billKinds are the two payment routes' bases.
var billKinds = []string{"/receivables", "/payables"}

// newContact adds a customer (or, with supplier, a supplier) named name and returns its id.
func (w *bizWorld) newContact(token string, supplier bool, body map[string]any) string {
	w.e.t.Helper()
	path, key := "/contacts/customers", "customer"
	if supplier {
		path, key = "/contacts/suppliers", "supplier"
	}
	r := w.e.do("POST", path, body, token)
	want(w.e.t, r, http.StatusCreated)
	return bizObj(r, key)["id"].(string)
}

// payBody is a valid payment body: 100.00 for contact due on due, with extra keys set (a nil
// value deletes the key).
func payBody(contact, due string, extra map[string]any) map[string]any {
	m := map[string]any{"contact": contact, "issued_at": "2025-06-01", "due_at": due, "total_amount": "100.00",
		"notes": "Invoice"}
	for k, v := range extra {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

// newPayment posts body to base (/receivables or /payables) and returns the payment.
func (w *bizWorld) newPayment(t *testing.T, token, base string, body map[string]any) map[string]any {
	t.Helper()
	r := w.e.do("POST", base, body, token)
	want(t, r, http.StatusCreated)
	return bizObj(r, "payment")
}

// payment reads a payment as the owner sees it.
func (w *bizWorld) payment(t *testing.T, base, id string) map[string]any {
	t.Helper()
	r := w.e.do("GET", base+"/"+id, nil, w.owner)
	want(t, r, http.StatusOK)
	return bizObj(r, "payment")
}

// settle posts a settle of amount on account.
func (w *bizWorld) settle(token, base, id string, amount any, account string) *resp {
	w.e.t.Helper()
	return w.e.do("POST", base+"/"+id+"/settle", map[string]any{"amount": amount, "account": account}, token)
}

// payList lists base with the query (already escaped) as the member and returns the items.
func (w *bizWorld) payList(t *testing.T, base, query string) []map[string]any {
	t.Helper()
	return bizResults(t, w.e.do("GET", base+query, nil, w.member), "payment")
}

// ids returns the ids of payments.
func payIDs(ps []map[string]any) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p["id"].(string))
	}
	return out
}
