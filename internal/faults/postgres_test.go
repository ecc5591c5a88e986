//go:build faults

package faults

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestPostgresRestart: with load running, PostgreSQL stops. Every request fails fast with 503
// and the error envelope (none hangs to its deadline, the process stays up), and once
// PostgreSQL is back Bursar serves again by itself; every acknowledged write survives and the
// invariants hold (issue 7, item 4).
func TestPostgresRestart(t *testing.T) {
	dsn := freshPostgres(t)
	ensureUp(t, "postgresql", pgUp, pgStart)
	const deadline = 5 * time.Second
	srv := newServer(t, dsn, "BURSAR_REQUEST_TIMEOUT="+deadline.String())
	srv.start()
	c := newClient(srv.url())
	w := setup(t, c)
	l := &ledger{}

	var phase atomic.Int32 // 0 before, 1 while PostgreSQL is down, 2 after it is back
	var mu sync.Mutex
	var down counter
	var slowest time.Duration
	bad := 0 // replies while down that are not a 503 envelope
	var firstOK atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		load(ctx, c, w, l, uint64(time.Now().UnixNano()), 8, "p", func(r reply) {
			switch phase.Load() {
			case 1:
				mu.Lock()
				defer mu.Unlock()
				down.add(r.status)
				slowest = max(slowest, r.elapsed)
				if r.status != http.StatusServiceUnavailable || !r.isEnvelope() {
					bad++
					if bad <= 3 {
						t.Logf("while down: status %d (err %v): %s", r.status, r.err, r.raw)
					}
				}
			case 2:
				if r.status >= 200 && r.status < 300 {
					firstOK.CompareAndSwap(0, time.Now().UnixNano())
				}
			}
		})
		close(done)
	}()
	time.Sleep(1500 * time.Millisecond)
	if err := sh(pgStop); err != nil {
		t.Fatal(err)
	}
	phase.Store(1)
	stopped := time.Now()
	time.Sleep(4 * time.Second)
	r := c.do(context.Background(), "GET", "/readyz", nil, "")
	if r.status != http.StatusServiceUnavailable {
		t.Errorf("/readyz answered %d while PostgreSQL was down, want 503", r.status)
	}
	mu.Lock()
	phase.Store(2)
	mu.Unlock()
	starting := time.Now()
	if err := sh(pgStart); err != nil {
		t.Fatal(err)
	}
	if _, ok := waitUp(pgUp, 60*time.Second); !ok {
		t.Fatal("postgresql did not come back")
	}
	up := time.Now() // the start command has returned and PostgreSQL accepts connections
	for firstOK.Load() == 0 && time.Since(up) < 30*time.Second {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	if firstOK.Load() == 0 {
		t.Fatal("no request succeeded within 30 s of PostgreSQL accepting connections")
	}
	// PostgreSQL may accept connections before its start command returns: measure from the
	// moment it was asked to start.
	recovered := time.Unix(0, firstOK.Load()).Sub(starting)
	if bad > 0 {
		t.Errorf("%d replies while PostgreSQL was down were not a 503 envelope", bad)
	}
	if slowest >= deadline {
		t.Errorf("a request took %s while PostgreSQL was down: it hung to its deadline (%s)", slowest, deadline)
	}
	if !srv.running() {
		t.Fatal("bursar exited while PostgreSQL was down")
	}
	db := openStore(t, dsn)
	checked, _ := verify(t, c, db, w, l)
	t.Logf("postgresql down %s: replies %s, slowest %s; first success %s after the start command (which took %s); %s; %d writes verified",
		starting.Sub(stopped).Round(time.Millisecond), &down, slowest.Round(time.Millisecond), recovered.Round(time.Millisecond),
		up.Sub(starting).Round(time.Millisecond), l, checked)
}
