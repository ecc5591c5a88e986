package httpapi

import (
	"net/http"
	"testing"
)

// TestBillingRoutesShape: routes 23–30 answer with and without a trailing slash, a wrong method
// is 405 with Allow before authentication (S3), and every answer is JSON (S38).
func TestBillingRoutesShape(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		const fake = "01JYM6QVGZBSTGMECFQV138WAA"
		for _, base := range billKinds {
			for _, rt := range []struct{ path, allow string }{
				{base, "GET, HEAD, POST"},
				{base + "/" + fake, "DELETE, GET, HEAD, PATCH"},
				{base + "/" + fake + "/settle", "POST"},
			} {
				for _, p := range []string{rt.path, rt.path + "/"} {
					r := e.do("PUT", p, nil, "")
					bizWantError(t, r, http.StatusMethodNotAllowed, `Method "PUT" not allowed.`)
					if r.Header.Get("Allow") != rt.allow {
						t.Errorf("%s: Allow %q, want %q", p, r.Header.Get("Allow"), rt.allow)
					}
				}
			}
			for _, p := range []string{base, base + "/"} {
				r := e.do("GET", p, nil, w.owner)
				if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/json" {
					t.Errorf("GET %s: %d %s", p, r.Status, r.Header.Get("Content-Type"))
				}
			}
			bizWantError(t, e.do("GET", base+"/"+fake+"/other", nil, w.owner), http.StatusNotFound, "Not found.")
			bizWantError(t, e.do("GET", base+"/not-an-id", nil, w.owner), http.StatusNotFound, billNotFound(base))
			bizWantError(t, e.do("GET", base+"/"+fake+"/", nil, w.owner), http.StatusNotFound, billNotFound(base))
		}
	})
}

func billNotFound(base string) string {
	if base == "/payables" {
		return "Payable not found."
	}
	return "Receivable not found."
}

// TestBillingCallers: every route for every caller kind — owner and member with access act on
// their business; another business's owner sees none of it (404, defect 2 on references); a
// user who is neither owner nor member gets 403; an owner without a business 404; anonymous 401.
func TestBillingCallers(t *testing.T) {
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		acc := w.newAccount(w.owner, "Banco")
		otherAcc := w.newAccount(w.other, "Banco")
		customer := w.newContact(w.owner, false, map[string]any{"name": "Cliente"})
		otherCustomer := w.newContact(w.other, false, map[string]any{"name": "Cliente"})
		for _, base := range billKinds {
			t.Run(base, func(t *testing.T) {
				ours := w.newPayment(t, w.owner, base, payBody(customer, "2030-01-10", nil))["id"].(string)
				w.newPayment(t, w.other, base, payBody(otherCustomer, "2030-01-10", nil))
				for who, tok := range map[string]string{"owner": w.owner, "member": w.member} {
					if got := payIDs(bizResults(t, e.do("GET", base, nil, tok), "payment")); len(got) == 0 || got[0] != ours {
						t.Fatalf("%s lists %v", who, got)
					}
					want(t, e.do("GET", base+"?search=cliente", nil, tok), http.StatusOK)
					p := w.newPayment(t, tok, base, payBody(customer, "2030-01-10", nil))["id"].(string)
					want(t, e.do("GET", base+"/"+p, nil, tok), http.StatusOK)
					want(t, e.do("PATCH", base+"/"+p, map[string]any{"notes": "x"}, tok), http.StatusOK)
					want(t, w.settle(tok, base, p, "1", acc), http.StatusCreated)
					q := w.newPayment(t, tok, base, payBody(customer, "2030-01-10", nil))["id"].(string)
					r := e.do("DELETE", base+"/"+q, nil, tok)
					want(t, r, http.StatusOK)
					if d := bizObj(r, "payment"); len(d) != 2 || d["id"] != q || d["deleted"] != true {
						t.Fatalf("%s: DELETE answered %s", who, r.Body)
					}
				}
				// Another business: our payment does not exist for it; our contact neither.
				nf := billNotFound(base)
				if got := bizResults(t, e.do("GET", base, nil, w.other), "payment"); len(got) != 1 || got[0]["id"] == ours {
					t.Fatalf("other business lists %v", got)
				}
				bizWantError(t, e.do("GET", base+"/"+ours, nil, w.other), http.StatusNotFound, nf)
				bizWantError(t, e.do("PATCH", base+"/"+ours, map[string]any{"notes": "x"}, w.other), http.StatusNotFound, nf)
				bizWantError(t, e.do("DELETE", base+"/"+ours, nil, w.other), http.StatusNotFound, nf)
				bizWantError(t, w.settle(w.other, base, ours, "1", otherAcc), http.StatusNotFound, nf)
				bizWantField(t, e.do("POST", base, payBody(customer, "2030-01-10", nil), w.other), "contact",
					`Invalid pk "`+customer+`" - object does not exist.`)
				// Neither owner nor member; owner without a business; anonymous.
				for _, c := range []struct {
					tok    string
					status int
					msg    string
				}{
					{w.plain, http.StatusForbidden, "You do not have permission to perform this action."},
					{w.idle, http.StatusNotFound, "Owner does not have a business."},
					{"", http.StatusUnauthorized, "Authentication credentials were not provided."},
				} {
					for _, r := range []*resp{
						e.do("GET", base, nil, c.tok),
						e.do("GET", base+"/?search=cliente", nil, c.tok),
						e.do("POST", base, payBody(customer, "2030-01-10", nil), c.tok),
						e.do("GET", base+"/"+ours, nil, c.tok),
						e.do("PATCH", base+"/"+ours, map[string]any{"notes": "x"}, c.tok),
						e.do("DELETE", base+"/"+ours, nil, c.tok),
						w.settle(c.tok, base, ours, "1", acc),
					} {
						bizWantError(t, r, c.status, c.msg)
					}
				}
				if p := w.payment(t, base, ours); p["notes"] != "Invoice" || p["amount_paid"] != "0.00" {
					t.Fatalf("refused callers changed our payment: %v", p)
				}
			})
		}
		if w.balance(acc) != "0.00" { // one receivable and one payable settle of 1.00
			t.Fatalf("balance %s", w.balance(acc))
		}
	})
}
