package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"
)

// TestBillingConcurrentSettles: concurrent settles of one receivable and one payable through
// HTTP never over-pay them (defect 9, defect 14), while plain credits and debits hit the same
// account; afterwards the amounts paid, the outstanding balances and the account balance agree
// with the settles that succeeded. Run with -v for the figures.
func TestBillingConcurrentSettles(t *testing.T) {
	const workers, rounds = 12, 3 // 36 settle attempts of 7.00 on each 100.00 payment
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		acc := w.newAccount(w.owner, "Banco")
		cust := w.newContact(w.owner, false, map[string]any{"name": "Ana"})
		rid := w.newPayment(t, w.owner, "/receivables", payBody(cust, "2030-01-31", nil))["id"].(string)
		pid := w.newPayment(t, w.owner, "/payables", payBody(cust, "2030-01-31", nil))["id"].(string)
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 3 * workers}, Timeout: 30 * time.Second}
		post := func(path string, body any) (int, error) {
			b, _ := json.Marshal(body)
			req, _ := http.NewRequest("POST", e.srv.URL+path, bytes.NewReader(b))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+w.member)
			res, err := client.Do(req)
			if err != nil {
				return 0, err
			}
			defer res.Body.Close()
			return res.StatusCode, nil
		}
		var mu sync.Mutex
		counts := map[string]map[int]int{"/receivables": {}, "/payables": {}, "plain": {}}
		var errs []error
		record := func(kind string, status int, err error) {
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			counts[kind][status]++
		}
		start := time.Now()
		var wg sync.WaitGroup
		for g := range workers {
			wg.Add(3)
			go func() {
				defer wg.Done()
				for range rounds {
					s, err := post("/receivables/"+rid+"/settle", map[string]any{"amount": "7", "account": acc})
					record("/receivables", s, err)
				}
			}()
			go func() {
				defer wg.Done()
				for range rounds {
					s, err := post("/payables/"+pid+"/settle", map[string]any{"amount": "-7.00", "account": acc})
					record("/payables", s, err)
				}
			}()
			go func() {
				defer wg.Done()
				typ := []string{"credit", "debit"}[g%2]
				for range rounds {
					s, err := post("/finance/transactions", map[string]any{"type": typ, "amount": "1", "description": "noise", "account": acc})
					record("plain", s, err)
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		for _, err := range errs {
			t.Fatal(err)
		}
		for _, base := range billKinds {
			c := counts[base]
			if c[http.StatusCreated] != 14 || c[http.StatusBadRequest] != workers*rounds-14 || len(c) != 2 {
				t.Fatalf("%s settles: %v; want 14 × 201 and the rest 400", base, c)
			}
		}
		if counts["plain"][http.StatusCreated] != workers*rounds {
			t.Fatalf("plain transactions: %v", counts["plain"])
		}
		for _, base := range billKinds {
			id := rid
			if base == "/payables" {
				id = pid
			}
			p := w.payment(t, base, id)
			if p["amount_paid"] != "98.00" || p["outstanding_balance"] != "2.00" || p["status"] != "partially_paid" {
				t.Fatalf("%s after the race: %v", base, p)
			}
		}
		// +98 received, −98 paid, as many credits of 1 as debits of 1.
		if got := w.balance(acc); got != "0.00" {
			t.Fatalf("balance %s, want 0.00", got)
		}
		t.Logf("%d settle attempts of 7.00 on each of a receivable and a payable of 100.00, with %d plain transactions on the same account, in %v: receivable %v, payable %v (status: count); each paid 98.00, outstanding 2.00",
			workers*rounds, workers*rounds, elapsed.Round(time.Millisecond), counts["/receivables"], counts["/payables"])
	})
}
