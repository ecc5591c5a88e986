package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/money"
)

// TestBusinessConcurrentBalances posts credits, debits and transfers among a few accounts of one
// business from many goroutines at once, and deletes some of them, all through HTTP (defect 9).
// Afterwards every stored balance equals the sum of its account's transactions, and all
// balances together equal credits − debits. Run with -v for the figures.
func TestBusinessConcurrentBalances(t *testing.T) {
	const workers, opsEach, nAccounts = 16, 40, 4
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		accounts := make([]string, nAccounts)
		for i := range accounts {
			accounts[i] = w.newAccount(w.owner, fmt.Sprintf("Conta %d", i))
		}
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}, Timeout: 30 * time.Second}
		post := func(method, path string, body any) (int, map[string]any, error) {
			var rd io.Reader
			if body != nil {
				b, _ := json.Marshal(body)
				rd = bytes.NewReader(b)
			}
			req, _ := http.NewRequest(method, e.srv.URL+path, rd)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+w.member)
			res, err := client.Do(req)
			if err != nil {
				return 0, nil, err
			}
			defer res.Body.Close()
			var m map[string]any
			err = json.NewDecoder(res.Body).Decode(&m)
			return res.StatusCode, m, err
		}

		var credits, debits atomic.Int64 // cents
		var ops, deletes atomic.Int64
		errs := make(chan error, workers)
		start := time.Now()
		var wg sync.WaitGroup
		for g := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(g), 42))
				type mine struct {
					id     string
					typ    string
					amount int64
				}
				var made []mine
				for range opsEach {
					ops.Add(1)
					if len(made) > 0 && rng.IntN(8) == 0 { // delete one of ours
						k := rng.IntN(len(made))
						m := made[k]
						made = append(made[:k], made[k+1:]...)
						status, body, err := post("DELETE", "/finance/transactions/"+m.id, nil)
						if err != nil || status != http.StatusOK {
							errs <- fmt.Errorf("delete %s: %d %v %v", m.id, status, body, err)
							return
						}
						deletes.Add(1)
						switch m.typ {
						case "credit":
							credits.Add(-m.amount)
						case "debit":
							debits.Add(-m.amount)
						}
						continue
					}
					cents := int64(1 + rng.IntN(100_000))
					typ := []string{"credit", "debit", "transfer"}[rng.IntN(3)]
					from := rng.IntN(nAccounts)
					body := map[string]any{"type": typ, "amount": money.Cents(cents).String(), "description": "load",
						"account": accounts[from]}
					if typ == "transfer" {
						body["send_to"] = accounts[(from+1+rng.IntN(nAccounts-1))%nAccounts]
					}
					status, res, err := post("POST", "/finance/transactions", body)
					if err != nil || status != http.StatusCreated {
						errs <- fmt.Errorf("post %v: %d %v %v", body, status, res, err)
						return
					}
					switch typ {
					case "credit":
						credits.Add(cents)
					case "debit":
						debits.Add(cents)
					}
					made = append(made, mine{id: res["transaction"].(map[string]any)["id"].(string), typ: typ, amount: cents})
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		t.Logf("%d operations (%d deletes) by %d goroutines on %d accounts in %v (%.0f ops/s)",
			ops.Load(), deletes.Load(), workers, nAccounts, elapsed.Round(time.Millisecond), float64(ops.Load())/elapsed.Seconds())

		sums := map[string]int64{}
		rows, err := e.db.Reader().Query(`SELECT account_id, SUM(amount) FROM finance_transactions GROUP BY account_id`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var acc string
			var sum int64
			if err := rows.Scan(&acc, &sum); err != nil {
				t.Fatal(err)
			}
			sums[acc] = sum
		}
		rows.Close()
		var total money.Cents
		for _, acc := range accounts {
			got := w.balance(acc)
			if want := money.Cents(sums[acc]).String(); got != want {
				t.Errorf("account %s: balance %s, sum of its transactions %s", acc, got, want)
			}
			c, _ := money.Parse(got)
			total += c
		}
		if want := money.Cents(credits.Load() - debits.Load()); total != want {
			t.Errorf("balances total %s, credits − debits %s", total, want)
		}
	})
}
