package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestBillingSection5: the predecessor's billing tests (business-api.md §5), on both routes
// and both path forms, with conventions S9 for the missing search term.
func TestBillingSection5(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		cust := w.newContact(w.owner, false, map[string]any{"name": "Maria Clara", "alias": "Mariazinha"})
		supp := w.newContact(w.owner, true, map[string]any{"legal_name": "Distribuidora Sul", "trade_name": "Casa do Pão"})
		acc := w.newAccount(w.owner, "Banco")

		// Non-staff get 403 on the list and the search.
		for _, base := range billKinds {
			for _, p := range []string{base, base + "/?search=abc", base + "/?date=today"} {
				bizWantError(t, e.do("GET", p, nil, w.plain), http.StatusForbidden, "You do not have permission to perform this action.")
			}
		}
		// Creating with each recurrence is 201.
		for _, base := range billKinds {
			contact := cust
			if base == "/payables" {
				contact = supp
			}
			for _, extra := range []map[string]any{
				{"recurrence": "once"},
				{"recurrence": "weekly", "due_weekday": "monday"},
				{"recurrence": "monthly"},
				{"recurrence": "installments", "installment_count": 5, "due_day_of_month": 1},
			} {
				want(t, e.do("POST", base, payBody(contact, "2030-05-25", extra), w.member), http.StatusCreated)
			}
		}
		// A fresh payment is pending with nothing paid.
		fresh := w.newPayment(t, w.owner, "/receivables", payBody(cust, "2030-01-10", map[string]any{
			"reference": "REF-778", "notes": "Mensalidade escolar"}))
		if fresh["status"] != "pending" || fresh["amount_paid"] != "0.00" || fresh["outstanding_balance"] != "100.00" {
			t.Fatalf("fresh payment %v", fresh)
		}
		// An installment payment of 1000 shows 1000 outstanding; 50 after PATCH total_amount 50.
		inst := w.newPayment(t, w.owner, "/payables", payBody(supp, "2030-01-10", map[string]any{"total_amount": 1000,
			"recurrence": "installments", "installment_count": 3, "due_day_of_month": 10, "reference": "NF-PAY-9", "notes": "Estoque"}))
		if inst["outstanding_balance"] != "1000.00" {
			t.Fatalf("installment %v", inst)
		}
		r := e.do("PATCH", "/payables/"+inst["id"].(string), map[string]any{"total_amount": 50}, w.member)
		want(t, r, http.StatusOK)
		if p := bizObj(r, "payment"); p["outstanding_balance"] != "50.00" || p["total_amount"] != "50.00" {
			t.Fatalf("after PATCH total_amount 50: %v", p)
		}
		// Settling 25 on 100: partially paid, 25 paid, 75 outstanding.
		want(t, w.settle(w.member, "/receivables", fresh["id"].(string), 25, acc), http.StatusCreated)
		p := w.payment(t, "/receivables", fresh["id"].(string))
		if p["status"] != "partially_paid" || p["amount_paid"] != "25.00" || p["outstanding_balance"] != "75.00" {
			t.Fatalf("after settling 25 of 100: %v", p)
		}
		// Deleting a payment with a settle transaction: 409 (the predecessor's 500, defect 22).
		bizWantError(t, e.do("DELETE", "/receivables/"+fresh["id"].(string), nil, w.owner), http.StatusConflict,
			"Cannot delete receivable because it has associated financial transactions.")
		want(t, w.settle(w.owner, "/payables", inst["id"].(string), "10", acc), http.StatusCreated)
		bizWantError(t, e.do("DELETE", "/payables/"+inst["id"].(string), nil, w.owner), http.StatusConflict,
			"Cannot delete payable because it has associated financial transactions.")

		// Search: no parameter lists (S9); short terms and malformed dates are 400.
		for _, base := range billKinds {
			for _, p := range []string{base, base + "/"} {
				if r := e.do("GET", p, nil, w.member); r.Status != http.StatusOK || bizCount(r) == 0 {
					t.Fatalf("GET %s: %d, count %d", p, r.Status, bizCount(r))
				}
				for q, msg := range map[string]string{
					"?search=":         "Provide a search term.",
					"?search=ab":       "Enter at least 3 characters.",
					"?date=2025-13-01": "Make sure the date is in the format: YYYY-MM-DD.",
					"?date=ontem":      "Make sure the date is in the format: YYYY-MM-DD.",
					"?start_date=2025-01-01&end_date=2025-1-31": "Make sure the date is in the format: YYYY-MM-DD.",
				} {
					bizWantError(t, e.do("GET", p+bizEscapeQuery(q), nil, w.member), http.StatusBadRequest, msg)
				}
			}
		}
		// Receivables by customer name, alias, reference, notes; payables by supplier legal name,
		// trade name, reference, notes.
		for base, terms := range map[string][]string{
			"/receivables": {"maria clara", "MARIAZINHA", "ref-778", "escolar"},
			"/payables":    {"distribuidora", "casa do pão", "nf-pay", "estoque"},
		} {
			for _, term := range terms {
				for _, p := range []string{base, base + "/"} {
					got := w.payList(t, p, "?search="+url.QueryEscape(term))
					if len(got) == 0 {
						t.Errorf("%s?search=%s found nothing", p, term)
					}
					for _, it := range got {
						if base == "/receivables" && it["contact"] != "Maria Clara" || base == "/payables" && it["contact"] != "Distribuidora Sul" {
							t.Errorf("%s?search=%s found %v", p, term, it)
						}
					}
				}
			}
		}
		if got := w.payList(t, "/receivables", "?search=ref-778"); len(got) != 1 || got[0]["id"] != fresh["id"] {
			t.Fatalf("by reference: %v", payIDs(got))
		}
	})
}

// TestBillingDateWeek: ?date=week on payables returns those due on the week's Sunday and
// Saturday (weeks run Sunday to Saturday), in the business's zone (S26).
func TestBillingDateWeek(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		want(t, e.do("PATCH", "/business/settings", map[string]any{"timezone": "Asia/Tokyo"}, w.owner), http.StatusOK)
		supp := w.newContact(w.owner, true, map[string]any{"legal_name": "Fornecedor"})
		now := time.Now().In(bizZone(t, "Asia/Tokyo"))
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		sunday := today.AddDate(0, 0, -int(today.Weekday()))
		day := func(d time.Time) string { return d.Format("2006-01-02") }
		mk := func(d time.Time) string {
			return w.newPayment(t, w.owner, "/payables", payBody(supp, day(d), nil))["id"].(string)
		}
		before, sun, sat, after := mk(sunday.AddDate(0, 0, -1)), mk(sunday), mk(sunday.AddDate(0, 0, 6)), mk(sunday.AddDate(0, 0, 7))
		for _, p := range []string{"/payables", "/payables/"} {
			if got := payIDs(w.payList(t, p, "?date=week")); !slices.Equal(got, []string{sun, sat}) {
				t.Fatalf("%s?date=week: %v; want Sunday %s and Saturday %s", p, got, sun, sat)
			}
		}
		// Payments apply date and a range together (§1.7): this week ∩ [Saturday, next Sunday].
		if got := payIDs(w.payList(t, "/payables", "?date=week&start_date="+day(sunday.AddDate(0, 0, 6))+"&end_date="+day(sunday.AddDate(0, 0, 7)))); !slices.Equal(got, []string{sat}) {
			t.Fatalf("date and range together: %v", got)
		}
		if got := payIDs(w.payList(t, "/payables", "?start_date="+day(sunday.AddDate(0, 0, -1))+"&end_date="+day(sunday.AddDate(0, 0, 7)))); !slices.Equal(got, []string{before, sun, sat, after}) {
			t.Fatalf("range: %v", got)
		}
		if got := payIDs(w.payList(t, "/payables", "?date="+day(sunday.AddDate(0, 0, 7)))); !slices.Equal(got, []string{after}) {
			t.Fatalf("a day: %v", got)
		}
		if got := w.payList(t, "/receivables", "?date=week"); len(got) != 0 {
			t.Fatalf("receivables this week: %v", got)
		}
	})
}

// TestBillingPaymentObject: the payment object carries exactly the predecessor's keys (S33),
// contact by name, category by name or null (defect 32); bodies may be forms with numbers as
// text (S28); read-only keys are ignored (defect 16) and unknown keys refused.
func TestBillingPaymentObject(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		cust := w.newContact(w.owner, false, map[string]any{"name": "Ana"})
		cat := w.newCategory(w.owner, "Serviços", "")
		r := e.form("POST", "/receivables/", url.Values{"contact": {cust}, "issued_at": {"2030-01-01"}, "due_at": {"2030-01-31"},
			"total_amount": {"1234.5"}, "notes": {"  Consultoria  "}, "recurrence": {"installments"},
			"installment_count": {"2"}, "due_day_of_month": {"31"}, "category": {cat}, "payment_method": {"pix"}}, w.member)
		want(t, r, http.StatusCreated)
		p := bizObj(r, "payment")
		bizWantKeys(t, p, paymentKeysOut...)
		wantVals := map[string]any{"contact": "Ana", "category": "Serviços", "issued_at": "2030-01-01", "due_at": "2030-01-31",
			"paid_at": nil, "total_amount": "1234.50", "amount_paid": "0.00", "outstanding_balance": "1234.50",
			"payment_type": "receivable", "payment_method": "pix", "status": "pending", "recurrence": "once",
			"installment_count": float64(0), "due_weekday": nil, "due_day_of_month": float64(31), "reference": nil,
			"notes": "Consultoria | instalment [1 of 2]"}
		for k, v := range wantVals {
			if p[k] != v {
				t.Errorf("%s: %#v, want %#v", k, p[k], v)
			}
		}
		if ts, _ := p["updated_at"].(string); !bizStampRE.MatchString(ts) {
			t.Errorf("updated_at %q", ts)
		}
		all := w.payList(t, "/receivables", "")
		if len(all) != 2 || all[1]["due_at"] != "2030-02-28" || all[1]["notes"] != "Consultoria | instalment [2 of 2]" ||
			all[1]["total_amount"] != "1234.50" || all[1]["installment_count"] != float64(0) || all[1]["due_day_of_month"] != nil {
			t.Fatalf("second instalment %v", all)
		}
		// Without a category, category is null (not "None").
		r = e.do("POST", "/payables", payBody(cust, "2030-01-10", map[string]any{"category": nil, "amount_paid": "100",
			"status": "paid", "paid_at": "2030-01-01", "outstanding_balance": "0", "payment_type": "receivable",
			"updated_at": "x", "id": "x"}), w.owner)
		want(t, r, http.StatusCreated)
		q := bizObj(r, "payment")
		if q["category"] != nil || q["payment_type"] != "payable" || q["status"] != "pending" || q["amount_paid"] != "0.00" ||
			q["paid_at"] != nil || q["outstanding_balance"] != "100.00" || q["id"] == "x" {
			t.Fatalf("read-only keys applied: %v", q)
		}
		r = e.do("PATCH", "/payables/"+q["id"].(string), map[string]any{"amount_paid": "100", "status": "paid", "paid_at": "2030-01-01"}, w.owner)
		want(t, r, http.StatusOK)
		if q := bizObj(r, "payment"); q["status"] != "pending" || q["amount_paid"] != "0.00" || q["paid_at"] != nil {
			t.Fatalf("PATCH of read-only keys applied: %v", q)
		}
		bizWantInvalid(t, e.do("POST", "/payables", payBody(cust, "2030-01-10", map[string]any{"business": "x", "balance": 1, "colour": "red"}), w.owner), "colour")
		bizWantInvalid(t, e.do("PATCH", "/payables/"+q["id"].(string), map[string]any{}, w.owner))
		bizWantInvalid(t, e.do("POST", "/payables/"+q["id"].(string)+"/settle", map[string]any{"amount": 1, "timestamp": "x"}, w.owner), "timestamp")
	})
}

// TestBillingSettleFlow: settle answers 201 with the transaction, linked to its payment
// (defect 18); the account, the payment and the transaction list agree; transactions posted
// with a payment settle too, and deleting one takes its amount back (S22, §4.3).
func TestBillingSettleFlow(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		cust := w.newContact(w.owner, false, map[string]any{"name": "Ana"})
		cat := w.newCategory(w.owner, "Serviços", "")
		acc := w.newAccount(w.owner, "Banco")
		rec := w.newPayment(t, w.owner, "/receivables", payBody(cust, "2030-01-31", map[string]any{"category": cat, "notes": "Projeto X"}))
		pay := w.newPayment(t, w.owner, "/payables", payBody(cust, "2030-01-31", nil))
		rid, pid := rec["id"].(string), pay["id"].(string)

		r := e.do("POST", "/receivables/"+rid+"/settle", map[string]any{"amount": "-60", "account": acc, "type": "debit",
			"description": "ignored", "category": nil, "contact": "x", "operator": "y", "send_to": acc}, w.member)
		want(t, r, http.StatusCreated)
		tx := bizObj(r, "transaction")
		bizWantKeys(t, tx, transactionKeysOut...)
		if tx["payment"] != rid || tx["type"] != "credit" || tx["amount"] != "60.00" || tx["description"] != "Projeto X | Ref. Receivable ID "+rid ||
			tx["contact"].(map[string]any)["id"] != cust || tx["category"].(map[string]any)["name"] != "Serviços" ||
			tx["account"].(map[string]any)["id"] != acc || tx["operator"].(map[string]any)["id"] != w.memberUserID {
			t.Fatalf("settle transaction %v", tx)
		}
		r = w.settle(w.owner, "/payables", pid, "30.5", acc)
		want(t, r, http.StatusCreated)
		if dt := bizObj(r, "transaction"); dt["type"] != "debit" || dt["amount"] != "-30.50" || dt["payment"] != pid {
			t.Fatalf("payable settle %v", dt)
		}
		if w.balance(acc) != "29.50" {
			t.Fatalf("balance %s", w.balance(acc))
		}
		// The rest through POST /finance/transactions with a payment.
		r = w.postTx(w.member, map[string]any{"type": "credit", "amount": "40", "description": "Pix", "account": acc, "payment": rid})
		want(t, r, http.StatusCreated)
		manual := bizObj(r, "transaction")
		if manual["payment"] != rid {
			t.Fatalf("manual settle %v", manual)
		}
		p := w.payment(t, "/receivables", rid)
		today := time.Now().UTC().Format("2006-01-02")
		if p["status"] != "paid" || p["amount_paid"] != "100.00" || p["outstanding_balance"] != "0.00" || p["paid_at"] != today {
			t.Fatalf("paid in full: %v (today %s)", p, today)
		}
		if got := bizResults(t, e.do("GET", "/finance/transactions?search=projeto", nil, w.owner), "transaction"); len(got) != 1 || got[0]["payment"] != rid {
			t.Fatalf("transactions %v", got)
		}
		bizWantField(t, w.postTx(w.member, map[string]any{"type": "credit", "amount": "0.01", "description": "x", "account": acc, "payment": rid}),
			"amount", "Ensure this value is less than or equal to the outstanding balance (0.00).")
		bizWantField(t, w.postTx(w.member, map[string]any{"type": "debit", "amount": "1", "description": "x", "account": acc, "payment": rid}),
			"payment", "A receivable is settled by a credit.")
		bizWantField(t, w.postTx(w.member, map[string]any{"type": "credit", "amount": "1", "description": "x", "account": acc, "payment": pid}),
			"payment", "A payable is settled by a debit.")
		// Deleting a settling transaction takes its amount back off the payment and the account.
		want(t, e.do("DELETE", "/finance/transactions/"+manual["id"].(string), nil, w.member), http.StatusOK)
		p = w.payment(t, "/receivables", rid)
		if p["status"] != "partially_paid" || p["amount_paid"] != "60.00" || p["paid_at"] != nil || w.balance(acc) != "29.50" {
			t.Fatalf("after deleting the manual settle: %v, balance %s", p, w.balance(acc))
		}
		if !strings.HasPrefix(p["updated_at"].(string), today[:4]) {
			t.Fatalf("updated_at %v", p["updated_at"])
		}
	})
}
