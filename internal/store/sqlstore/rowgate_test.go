package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"sync"
	"testing"
	"time"
)

func mustEnter(t *testing.T, g *rowGate, keys ...string) func() {
	t.Helper()
	leave, err := g.enter(context.Background(), keys...)
	if err != nil {
		t.Fatal(err)
	}
	return leave
}

// TestRowGateQueuesOneRowsWriters: a second writer of a row waits until the first leaves; the
// writers of two rows, taking them in either order, never deadlock; a nil gate (SQLite) lets
// everything through; a writer whose context ends while it waits gives up, holding nothing.
func TestRowGateQueuesOneRowsWriters(t *testing.T) {
	g := newRowGate()
	// acct-b must not share acct-a's stripe (the seed is random): pick one that does not.
	stripe := func(k string) uint64 { return maphash.String(g.seed, k) % uint64(len(g.stripes)) }
	b := "acct-b"
	for i := 0; stripe(b) == stripe("acct-a"); i++ {
		b = fmt.Sprint("acct-b", i)
	}
	leave := mustEnter(t, g, "acct-a")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := g.enter(ctx, b, "acct-a"); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled writer at a busy row: %v, want context.Canceled", err)
	}
	mustEnter(t, g, b)() // the cancelled writer left acct-b free
	entered := make(chan struct{})
	go func() {
		leave, err := g.enter(context.Background(), b, "acct-a")
		if err == nil {
			defer leave()
		}
		close(entered)
	}()
	select {
	case <-entered:
		t.Fatal("a second writer of acct-a entered while the first was inside")
	case <-time.After(50 * time.Millisecond):
	}
	leave()
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the second writer never entered after the first left")
	}

	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 2000 {
				if i%2 == 0 {
					mustEnter(t, g, "acct-a", b)()
				} else {
					mustEnter(t, g, b, "acct-a", b)()
				}
			}
		})
	}
	wg.Wait() // a deadlock hangs here and fails the test by its timeout

	var none *rowGate
	mustEnter(t, none, "x")
	mustEnter(t, none, "x")()
}
