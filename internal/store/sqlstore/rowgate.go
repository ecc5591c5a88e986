package sqlstore

import (
	"context"
	"hash/maphash"
	"slices"
)

// rowGate queues, inside this process, the writers of one hot row before they reach PostgreSQL.
// Sixteen requests that move one account's balance at once otherwise all wait in the database
// for the row's lock, and every handover wakes backends and re-checks the updated row: on a
// transfer between two hot accounts PostgreSQL spent 1.0–1.1 cores on that, and the writes were
// bound by it (issue 6). Queued here, at most one writer per row and process is in the database
// at a time.
//
// It is only a queue: the database's row locks still decide, so instances that share a database
// stay correct, and a writer is never refused here, only delayed (or stopped by its context,
// like any wait for the database). A writer enters before it takes a connection or any lock,
// in one global order (stripe index), and leaves after its commit; nothing that holds a
// connection or a lock waits here. Rows are hashed to stripes; two rows that share a stripe
// merely queue together.
type rowGate struct {
	seed    maphash.Seed
	stripes [256]chan struct{}
}

func newRowGate() *rowGate {
	g := &rowGate{seed: maphash.MakeSeed()}
	for i := range g.stripes {
		g.stripes[i] = make(chan struct{}, 1)
	}
	return g
}

// enter waits for the stripes of keys, in order, and returns the function that releases them;
// it returns ctx's error, holding nothing, when ctx ends first. A nil gate (SQLite, whose one
// writer connection queues writers already) lets everything through.
func (g *rowGate) enter(ctx context.Context, keys ...string) (leave func(), err error) {
	if g == nil {
		return func() {}, nil
	}
	idx := make([]int, 0, len(keys))
	for _, k := range keys {
		idx = append(idx, int(maphash.String(g.seed, k)%uint64(len(g.stripes))))
	}
	slices.Sort(idx)
	idx = slices.Compact(idx)
	release := func(n int) {
		for _, i := range slices.Backward(idx[:n]) {
			<-g.stripes[i]
		}
	}
	for n, i := range idx {
		select {
		case g.stripes[i] <- struct{}{}:
		case <-ctx.Done():
			release(n)
			return nil, ctx.Err()
		}
	}
	return func() { release(len(idx)) }, nil
}
