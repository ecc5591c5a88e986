//go:build faults

package faults

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestCrashDurability: concurrent writes, SIGKILL at a random moment, restart on the same
// database; every acknowledged write is there, no refused or cut-off write is half-applied,
// and the invariants hold (issue 7, item 3). BURSAR_FAULTS_CYCLES sets the kills per
// database (default 3); BURSAR_FAULTS_SEED replays a run.
func TestCrashDurability(t *testing.T) {
	cycles := envInt(t, "BURSAR_FAULTS_CYCLES", 3)
	seed := uint64(envInt(t, "BURSAR_FAULTS_SEED", int(time.Now().UnixNano()%1e9)))
	t.Logf("seed %d (BURSAR_FAULTS_SEED=%d replays the kill times)", seed, seed)
	eachBackend(t, func(t *testing.T, b backend) {
		srv := newServer(t, b.dsn)
		srv.start()
		c := newClient(srv.url())
		w := setup(t, c)
		db := openStore(t, b.dsn)
		rng := rand.New(rand.NewPCG(seed, 0))
		l := &ledger{}
		total := 0
		for cycle := range cycles {
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				load(ctx, c, w, l, seed+uint64(cycle), 8, "c"+strconv.Itoa(cycle), nil)
				close(done)
			}()
			time.Sleep(time.Duration(500+rng.IntN(2000)) * time.Millisecond)
			srv.kill()
			cancel()
			<-done
			srv.start()
			checked, _ := verify(t, c, db, w, l)
			t.Logf("%s cycle %d: killed mid-load; %s; %d writes checked after restart", b.name, cycle+1, l, checked)
			total = checked
			if t.Failed() {
				t.Fatalf("seed %d: durability broken after kill %d", seed, cycle+1)
			}
		}
		t.Logf("%s: %d kills, %d writes verified", b.name, cycles, total)
	})
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return n
}
