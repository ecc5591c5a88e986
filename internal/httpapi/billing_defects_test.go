package httpapi

import (
	"net/http"
	"testing"
)

// TestBillingDefects: one subtest per defect of business-api.md §6 that concerns payables and
// receivables (9 is TestBillingConcurrentSettles; 32 and 16 are in TestBillingPaymentObject too).
func TestBillingDefects(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		cust := w.newContact(w.owner, false, map[string]any{"name": "Ana"})
		acc := w.newAccount(w.owner, "Banco")
		theirCust := w.newContact(w.other, false, map[string]any{"name": "Ana"})
		theirCat := w.newCategory(w.other, "Deles", "")
		theirAcc := w.newAccount(w.other, "Deles")
		rec := func(extra map[string]any) string {
			return w.newPayment(t, w.owner, "/receivables", payBody(cust, "2030-01-31", extra))["id"].(string)
		}

		t.Run("2 references of another business", func(t *testing.T) {
			id := rec(nil)
			bizWantField(t, e.do("POST", "/receivables", payBody(theirCust, "2030-01-31", nil), w.owner), "contact", `Invalid pk "`+theirCust+`" - object does not exist.`)
			bizWantField(t, e.do("POST", "/receivables", payBody(cust, "2030-01-31", map[string]any{"category": theirCat}), w.owner), "category", `Invalid pk "`+theirCat+`" - object does not exist.`)
			bizWantField(t, e.do("PATCH", "/receivables/"+id, map[string]any{"contact": theirCust}, w.owner), "contact", `Invalid pk "`+theirCust+`" - object does not exist.`)
			bizWantField(t, w.settle(w.owner, "/receivables", id, 1, theirAcc), "account", `Invalid pk "`+theirAcc+`" - object does not exist.`)
			// Their transaction cannot settle our payment.
			bizWantField(t, w.postTx(w.other, map[string]any{"type": "credit", "amount": 1, "description": "x", "account": theirAcc, "payment": id}),
				"payment", `Invalid pk "`+id+`" - object does not exist.`)
			if p := w.payment(t, "/receivables", id); p["amount_paid"] != "0.00" || w.balance(acc) != "0.00" {
				t.Fatalf("refusals wrote: %v", p)
			}
		})

		t.Run("13 missing or impossible values are 400, not 500", func(t *testing.T) {
			id := rec(nil)
			for _, c := range []struct {
				body       map[string]any
				field, msg string
			}{
				{map[string]any{"recurrence": "weekly"}, "due_weekday", "This field is required."},
				{map[string]any{"recurrence": "installments", "installment_count": 3}, "due_day_of_month", "This field is required."},
				{map[string]any{"recurrence": "installments", "installment_count": 3, "due_day_of_month": 31, "due_at": "2030-02-10"},
					"due_day_of_month", "Ensure this value is less than or equal to 28: the month of due_at has 28 days."},
				{map[string]any{"recurrence": "installments", "installment_count": 0, "due_day_of_month": 1}, "installment_count", "Ensure this value is greater than or equal to 1."},
				{map[string]any{"recurrence": "installments", "installment_count": nil, "due_day_of_month": 1}, "installment_count", "This field is required."},
				{map[string]any{"recurrence": "installments", "installment_count": "many", "due_day_of_month": 1}, "installment_count", "A valid integer is required."},
				{map[string]any{"total_amount": nil}, "total_amount", "This field is required."},
				{map[string]any{"total_amount": "abc"}, "total_amount", "A valid number is required."},
				{map[string]any{"total_amount": "1.001"}, "total_amount", "Ensure that there are no more than 2 decimal places."},
				{map[string]any{"total_amount": "123456789"}, "total_amount", "Ensure that there are no more than 8 digits before the decimal point."},
				{map[string]any{"due_at": "31/01/2030"}, "due_at", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD."},
			} {
				bizWantField(t, e.do("POST", "/receivables", payBody(cust, "2030-01-31", c.body), w.owner), c.field, c.msg)
			}
			bizWantField(t, e.do("POST", "/receivables/"+id+"/settle", map[string]any{"account": acc}, w.owner), "amount", "This field is required.")
			bizWantField(t, e.do("POST", "/receivables/"+id+"/settle", map[string]any{"amount": "x", "account": acc}, w.owner), "amount", "A valid number is required.")
		})

		t.Run("14 over-payment, zero and negative amounts", func(t *testing.T) {
			id := rec(nil)
			want(t, w.settle(w.owner, "/receivables", id, "99.99", acc), http.StatusCreated)
			bizWantField(t, w.settle(w.owner, "/receivables", id, "0.02", acc), "amount", "Ensure this value is less than or equal to the outstanding balance (0.01).")
			bizWantField(t, w.settle(w.owner, "/receivables", id, 0, acc), "amount", "Ensure this value is not zero.")
			bizWantField(t, e.do("POST", "/receivables", payBody(cust, "2030-01-31", map[string]any{"total_amount": "-5"}), w.owner), "total_amount", "Ensure this value is greater than 0.")
			bizWantField(t, e.do("POST", "/receivables", payBody(cust, "2030-01-31", map[string]any{"total_amount": 0}), w.owner), "total_amount", "Ensure this value is greater than 0.")
			if p := w.payment(t, "/receivables", id); p["amount_paid"] != "99.99" || p["outstanding_balance"] != "0.01" {
				t.Fatalf("after refusals: %v", p)
			}
			want(t, w.settle(w.owner, "/receivables", id, "-0.01", acc), http.StatusCreated) // the sign is ignored
			if p := w.payment(t, "/receivables", id); p["status"] != "paid" || p["outstanding_balance"] != "0.00" {
				t.Fatalf("paid: %v", p)
			}
		})

		t.Run("15 a new total keeps what was paid and re-derives the status", func(t *testing.T) {
			id := rec(nil)
			want(t, w.settle(w.owner, "/receivables", id, 40, acc), http.StatusCreated)
			r := e.do("PATCH", "/receivables/"+id, map[string]any{"total_amount": 150}, w.owner)
			want(t, r, http.StatusOK)
			if p := bizObj(r, "payment"); p["outstanding_balance"] != "110.00" || p["amount_paid"] != "40.00" || p["status"] != "partially_paid" {
				t.Fatalf("total 150 with 40 paid: %v", p)
			}
			r = e.do("PATCH", "/receivables/"+id, map[string]any{"total_amount": 40}, w.owner)
			if p := bizObj(r, "payment"); p["status"] != "paid" || p["outstanding_balance"] != "0.00" || p["paid_at"] == nil {
				t.Fatalf("total 40 with 40 paid: %v", p)
			}
			bizWantField(t, e.do("PATCH", "/receivables/"+id, map[string]any{"total_amount": 39}, w.owner), "total_amount",
				"Ensure this value is greater than or equal to the amount paid (40.00).")
			r = e.do("PATCH", "/receivables/"+id, map[string]any{"total_amount": 41, "due_at": "2020-01-01"}, w.owner)
			if p := bizObj(r, "payment"); p["status"] != "overdue" || p["paid_at"] != nil {
				t.Fatalf("total 41, due in 2020: %v", p)
			}
		})

		t.Run("16 amounts paid, status and paid date are not client-writable", func(t *testing.T) {
			id := rec(map[string]any{"amount_paid": 100, "status": "paid", "paid_at": "2030-01-01", "outstanding_balance": 0})
			p := w.payment(t, "/receivables", id)
			if p["amount_paid"] != "0.00" || p["status"] != "pending" || p["paid_at"] != nil || p["outstanding_balance"] != "100.00" {
				t.Fatalf("read-only keys applied: %v", p)
			}
		})

		t.Run("17 a payable is not reachable through /receivables", func(t *testing.T) {
			pid := w.newPayment(t, w.owner, "/payables", payBody(cust, "2030-01-31", nil))["id"].(string)
			bizWantError(t, e.do("GET", "/receivables/"+pid, nil, w.owner), http.StatusNotFound, "Receivable not found.")
			bizWantError(t, e.do("PATCH", "/receivables/"+pid, map[string]any{"notes": "x"}, w.owner), http.StatusNotFound, "Receivable not found.")
			bizWantError(t, e.do("DELETE", "/receivables/"+pid, nil, w.owner), http.StatusNotFound, "Receivable not found.")
			bizWantError(t, w.settle(w.owner, "/receivables", pid, 1, acc), http.StatusNotFound, "Receivable not found.")
			rid := rec(nil)
			bizWantError(t, w.settle(w.owner, "/payables", rid, 1, acc), http.StatusNotFound, "Payable not found.")
			if p := w.payment(t, "/payables", pid); p["amount_paid"] != "0.00" || p["notes"] != "Invoice" {
				t.Fatalf("payable changed through /receivables: %v", p)
			}
		})

		t.Run("18 the settle answer names its payment", func(t *testing.T) {
			id := rec(nil)
			r := w.settle(w.owner, "/receivables", id, 1, acc)
			want(t, r, http.StatusCreated)
			tx := bizObj(r, "transaction")
			if tx["payment"] != id {
				t.Fatalf("payment %v", tx["payment"])
			}
			r = e.do("GET", "/finance/transactions/"+tx["id"].(string), nil, w.owner)
			if bizObj(r, "transaction")["payment"] != id {
				t.Fatalf("stored transaction %s", r.Body)
			}
		})

		t.Run("19 an overdue payment stays overdue when transactions come and go", func(t *testing.T) {
			id := w.newPayment(t, w.owner, "/receivables", payBody(cust, "2020-03-10", nil))["id"].(string)
			if p := w.payment(t, "/receivables", id); p["status"] != "overdue" {
				t.Fatalf("created past due: %v", p)
			}
			r := w.settle(w.owner, "/receivables", id, 10, acc)
			want(t, r, http.StatusCreated)
			if p := w.payment(t, "/receivables", id); p["status"] != "overdue" || p["amount_paid"] != "10.00" {
				t.Fatalf("after a partial settle: %v", p)
			}
			want(t, e.do("DELETE", "/finance/transactions/"+bizObj(r, "transaction")["id"].(string), nil, w.owner), http.StatusOK)
			if p := w.payment(t, "/receivables", id); p["status"] != "overdue" || p["amount_paid"] != "0.00" {
				t.Fatalf("after deleting the settle: %v", p)
			}
			want(t, w.settle(w.owner, "/receivables", id, 100, acc), http.StatusCreated)
			if p := w.payment(t, "/receivables", id); p["status"] != "paid" {
				t.Fatalf("paid wins over overdue: %v", p)
			}
		})

		t.Run("20 installments each carry the full amount sent", func(t *testing.T) {
			before := bizCount(e.do("GET", "/receivables", nil, w.owner))
			w.newPayment(t, w.owner, "/receivables", payBody(cust, "2030-01-15", map[string]any{"total_amount": "300",
				"recurrence": "installments", "installment_count": 3, "due_day_of_month": 15}))
			r := e.do("GET", "/receivables?page=1", nil, w.owner)
			all := bizResults(t, r, "payment")
			if bizCount(r) != before+3 {
				t.Fatalf("%d payments, want %d", bizCount(r), before+3)
			}
			for _, p := range all[len(all)-3:] {
				if p["total_amount"] != "300.00" || p["outstanding_balance"] != "300.00" {
					t.Fatalf("instalment %v; want the full 300.00 each (kept from the predecessor)", p)
				}
			}
		})

		t.Run("22 deleting a settled payment is 409, an unsettled one 200", func(t *testing.T) {
			id := rec(nil)
			r := w.settle(w.owner, "/receivables", id, 1, acc)
			bizWantError(t, e.do("DELETE", "/receivables/"+id, nil, w.owner), http.StatusConflict,
				"Cannot delete receivable because it has associated financial transactions.")
			want(t, e.do("DELETE", "/finance/transactions/"+bizObj(r, "transaction")["id"].(string), nil, w.owner), http.StatusOK)
			want(t, e.do("DELETE", "/receivables/"+id, nil, w.owner), http.StatusOK)
			bizWantError(t, e.do("GET", "/receivables/"+id, nil, w.owner), http.StatusNotFound, "Receivable not found.")
		})

		t.Run("32 no category is null", func(t *testing.T) {
			if p := w.payment(t, "/receivables", rec(nil)); p["category"] != nil {
				t.Fatalf("category %#v", p["category"])
			}
		})
	})
}
