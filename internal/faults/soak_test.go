//go:build faults

package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestSoak: a mixed load (writers, readers of every list, a sign-in a second) for
// BURSAR_SOAK_DURATION (default 30 s; the documented soak is 10m) while /metrics is sampled.
// Goroutines and memory must be flat: after the first quarter (warm-up), the peak of the last
// quarter may not exceed the second's by more than the noise of requests in flight (25%). No request may fail with 5xx, and the invariants hold at the end
// (issue 7, item 6).
func TestSoak(t *testing.T) {
	d := 30 * time.Second
	if v := command("BURSAR_SOAK_DURATION", ""); v != "" {
		var err error
		if d, err = time.ParseDuration(v); err != nil {
			t.Fatalf("BURSAR_SOAK_DURATION: %v", err)
		}
	}
	eachBackend(t, func(t *testing.T, b backend) {
		srv := newServer(t, b.dsn)
		srv.start()
		c := newClient(srv.url())
		w := setup(t, c)
		username := c.do(context.Background(), "GET", "/me", nil, w.token).must(t, http.StatusOK)
		login, _ := username.obj("user")["username"].(string)
		l := &ledger{}
		var replies counter
		ctx, cancel := context.WithTimeout(context.Background(), d)
		defer cancel()
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			load(ctx, c, w, l, uint64(time.Now().UnixNano()), 4, "s", func(r reply) { replies.add(r.status) })
		}()
		reads := []string{"/finance/transactions", "/finance/transactions?search=s-w1", "/finance/accounts",
			"/finance/accounts/" + w.accounts[0], "/budgets/", "/budgets/" + w.budget + "/", "/cash-flows/?budget=" + w.budget,
			"/finance/transactions?date=today"}
		for i := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(i), 7))
				for ctx.Err() == nil {
					replies.add(c.do(context.Background(), "GET", reads[rng.IntN(len(reads))], nil, w.token).status)
				}
			}()
		}
		wg.Add(1)
		go func() { // a sign-in a second: the password hash is the largest allocation
			defer wg.Done()
			tick := time.NewTicker(time.Second)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
					replies.add(c.do(context.Background(), "POST", "/token", map[string]any{"username": login, "password": password}, "").status)
				}
			}
		}()

		type sample struct {
			at                    time.Duration
			goroutines, rss, heap float64
		}
		var samples []sample
		every := max(d/20, 2*time.Second)
		start := time.Now()
		tick := time.NewTicker(every)
		for ctx.Err() == nil {
			select {
			case <-ctx.Done():
			case <-tick.C:
				g, err1 := srv.metric("go_goroutines")
				rss, err2 := srv.metric("process_resident_memory_bytes")
				heap, err3 := srv.metric("go_memstats_heap_inuse_bytes")
				if err1 != nil || err2 != nil || err3 != nil {
					t.Fatalf("metrics: %v %v %v", err1, err2, err3)
				}
				samples = append(samples, sample{time.Since(start), g, rss, heap})
			}
		}
		tick.Stop()
		wg.Wait()

		var tbl strings.Builder
		fmt.Fprintf(&tbl, "%8s %10s %8s %9s\n", "t", "goroutines", "RSS MiB", "heap MiB")
		for _, s := range samples {
			fmt.Fprintf(&tbl, "%8s %10.0f %8.1f %9.1f\n", s.at.Round(time.Second), s.goroutines, s.rss/(1<<20), s.heap/(1<<20))
		}
		t.Logf("%s soak, %s: replies %s; %s\n%s", b.name, d, &replies, l, tbl.String())
		for status, n := range replies.n {
			if status >= 500 || status == 0 {
				t.Errorf("%d requests answered %d during the soak", n, status)
			}
		}
		q := len(samples) / 4
		if q < 1 {
			t.Fatalf("only %d samples", len(samples))
		}
		peak := func(ss []sample, f func(sample) float64) float64 {
			m := 0.0
			for _, s := range ss {
				m = max(m, f(s))
			}
			return m
		}
		second, last := samples[q:2*q], samples[len(samples)-q:]
		// Goroutines come and go with the requests and statements in flight (two per busy
		// connection, one per running SQLite statement), so a single sample spikes; a leak
		// raises the middle of the distribution, which the median follows.
		median := func(ss []sample) float64 {
			g := make([]float64, len(ss))
			for i, s := range ss {
				g[i] = s.goroutines
			}
			slices.Sort(g)
			return g[len(g)/2]
		}
		if g2, g4 := median(second), median(last); g4 > max(g2*1.25, g2+25) {
			t.Errorf("goroutines grew: median %0.f in the second quarter, %0.f in the last", g2, g4)
		}
		if r2, r4 := peak(second, func(s sample) float64 { return s.rss }), peak(last, func(s sample) float64 { return s.rss }); r4 > r2*1.25+16<<20 {
			t.Errorf("RSS grew: peak %.1f MiB in the second quarter, %.1f MiB in the last", r2/(1<<20), r4/(1<<20))
		}
		db := openStore(t, b.dsn)
		checked, _ := verify(t, c, db, w, l)
		t.Logf("%s: %d writes verified after the soak", b.name, checked)
	})
}
