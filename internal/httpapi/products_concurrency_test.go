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
)

// TestProductConcurrentOutbound: many clients move one tracked product's stock at once through
// HTTP — outbounds of 1 to 3, some inbounds, some deletes of their own inbounds — while a
// reader watches the stock; then they all drain it one unit at a time (S24, defect 9). The
// stock is never seen below 0, every refusal is 400 Insufficient stock., the final stock equals
// the initial stock plus accepted inbounds minus accepted outbounds and the sum of the
// movements, and the drain ends at exactly 0. Run with -v for the figures.
func TestProductConcurrentOutbound(t *testing.T) {
	const workers, opsEach, initial = 16, 30, 60
	eachBiz(t, func(t *testing.T, w *bizWorld) {
		e := w.e
		p := w.prodNew(w.owner, "Concorrido", map[string]any{"stock": initial})["id"].(string)
		inv := w.prodInventory(w.owner, p)
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers + 1}, Timeout: 30 * time.Second}
		call := func(method, path string, body any) (int, map[string]any, error) {
			var rd io.Reader
			if body != nil {
				b, _ := json.Marshal(body)
				rd = bytes.NewReader(b)
			}
			req, _ := http.NewRequest(method, e.srv.URL+path, rd)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+w.owner)
			res, err := client.Do(req)
			if err != nil {
				return 0, nil, err
			}
			defer res.Body.Close()
			var m map[string]any
			err = json.NewDecoder(res.Body).Decode(&m)
			return res.StatusCode, m, err
		}
		insufficient := func(status int, body map[string]any) bool {
			e, _ := body["error"].(map[string]any)
			d, _ := e["details"].(map[string]any)
			q, _ := d["quantity"].([]any)
			return status == http.StatusBadRequest && len(q) == 1 && q[0] == "Insufficient stock."
		}

		var in, out, refused, deleted, inCount, outCount atomic.Int64
		minSeen := atomic.Int64{}
		minSeen.Store(initial)
		errs := make(chan error, workers+1)
		stop := make(chan struct{})
		var reads atomic.Int64
		var watch sync.WaitGroup
		watch.Add(1)
		go func() { // the reader: the stock is never below 0
			defer watch.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				status, body, err := call("GET", "/products/"+p, nil)
				if err != nil || status != http.StatusOK {
					errs <- fmt.Errorf("read stock: %d %v %v", status, body, err)
					return
				}
				s := int64(body["product"].(map[string]any)["stock"].(float64))
				reads.Add(1)
				for cur := minSeen.Load(); s < cur && !minSeen.CompareAndSwap(cur, s); cur = minSeen.Load() {
				}
			}
		}()

		start := time.Now()
		var wg sync.WaitGroup
		for g := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(g), 7))
				type mine struct {
					id string
					q  int64
				}
				var inbounds []mine
				for range opsEach {
					switch k := rng.IntN(10); {
					case k == 0 && len(inbounds) > 0: // delete one of our inbounds
						i := rng.IntN(len(inbounds))
						m := inbounds[i]
						status, body, err := call("DELETE", "/products/inventory/transactions/"+m.id, nil)
						switch {
						case err == nil && status == http.StatusOK:
							inbounds = append(inbounds[:i], inbounds[i+1:]...)
							in.Add(-m.q)
							deleted.Add(1)
						case err == nil && insufficient(status, body):
							refused.Add(1)
						default:
							errs <- fmt.Errorf("delete: %d %v %v", status, body, err)
							return
						}
					case k <= 2: // inbound of 1–2
						q := int64(1 + rng.IntN(2))
						status, body, err := call("POST", "/products/inventory/"+inv+"/transactions",
							map[string]any{"type": "inbound", "quantity": q})
						if err != nil || status != http.StatusCreated {
							errs <- fmt.Errorf("inbound: %d %v %v", status, body, err)
							return
						}
						inbounds = append(inbounds, mine{body["transaction"].(map[string]any)["id"].(string), q})
						in.Add(q)
						inCount.Add(1)
					default: // outbound of 1–3
						q := int64(1 + rng.IntN(3))
						status, body, err := call("POST", "/products/inventory/"+inv+"/transactions",
							map[string]any{"type": "outbound", "quantity": q})
						switch {
						case err == nil && status == http.StatusCreated:
							out.Add(q)
							outCount.Add(1)
						case err == nil && insufficient(status, body):
							refused.Add(1)
						default:
							errs <- fmt.Errorf("outbound: %d %v %v", status, body, err)
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		mixed := time.Since(start)
		mixedStock := int64(w.prodStock(t, p))
		if want := initial + in.Load() - out.Load(); mixedStock != want || mixedStock < 0 {
			t.Fatalf("after the mixed phase stock %d, want %d + %d − %d = %d", mixedStock, initial, in.Load(), out.Load(), want)
		}

		// Drain: top the stock up, then everyone takes 1 until refused; exactly the stock left
		// goes out.
		const topUp = 5 * workers
		if status, body, err := call("POST", "/products/inventory/"+inv+"/transactions",
			map[string]any{"type": "inbound", "quantity": topUp}); err != nil || status != http.StatusCreated {
			t.Fatalf("top up: %d %v %v", status, body, err)
		}
		var drained atomic.Int64
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					status, body, err := call("POST", "/products/inventory/"+inv+"/transactions",
						map[string]any{"type": "outbound", "quantity": 1})
					switch {
					case err == nil && status == http.StatusCreated:
						drained.Add(1)
					case err == nil && insufficient(status, body):
						return
					default:
						errs <- fmt.Errorf("drain: %d %v %v", status, body, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(stop)
		watch.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if final := w.prodStock(t, p); final != 0 || drained.Load() != mixedStock+topUp || minSeen.Load() < 0 {
			t.Fatalf("after the drain stock %d (drained %d of %d), lowest seen %d", final, drained.Load(), mixedStock+topUp, minSeen.Load())
		}
		t.Logf("%d clients × %d ops in %v: %d inbounds (+%d units, %d deleted), %d outbounds (−%d units), %d refused "+
			"Insufficient stock.; stock %d → %d; +%d, then the drain took %d units to exactly 0; %d concurrent reads, lowest stock seen %d",
			workers, opsEach, mixed.Round(time.Millisecond), inCount.Load(), in.Load(), deleted.Load(), outCount.Load(),
			out.Load(), refused.Load(), initial, mixedStock, topUp, drained.Load(), reads.Load(), minSeen.Load())
	})
}
