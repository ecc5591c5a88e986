package sqlstore

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bursar/bursar/internal/finance"
	"github.com/bursar/bursar/internal/money"
)

// recordBatcher groups this process's concurrent RecordFinanceTransactions of the same accounts
// into one database transaction: a group commit in the application. A hot account's writes are
// otherwise bound by one durable commit at a time, since each holds the account's row lock
// until its commit (issue 6: sixteen clients transferring between two accounts on PostgreSQL
// managed 570 a second with the database and the server each using a quarter of the machine).
//
// The calls of one set of accounts queue here; one goroutine at a time (the queue's worker)
// takes every call waiting, up to maxRecordBatch, and records them together: one INSERT of
// their legs, one bounded UPDATE and one hour count per account, one commit. Each call is
// answered only after that commit, with its own row, exactly as if it had been recorded alone:
//   - the bound of S21 is checked for every call in turn (moveAccount's running totals); when
//     any call would leave it, or anything else fails, the transaction is rolled back and the
//     calls are recorded one by one, each answered with its own result;
//   - a call whose context ends while it waits is removed and never recorded; once taken it
//     waits for the batch's answer, which is then known (recorded, or not).
//
// Nothing here decides correctness: the database's row locks and constraints still do, so
// instances that share a database stay correct, each batching its own calls.
type recordBatcher struct {
	mu     sync.Mutex
	queues map[string]*recordQueue
	// batches and grouped count the batches of more than one call and the calls in them
	// (TestRecordBatches reads them, through export_test.go, to see that grouping happens)
	batches, grouped int64
}

// maxRecordBatch bounds a batch: 64 transfers are 128 rows of 14 parameters, well within
// either engine's limit on a statement's parameters.
const maxRecordBatch = 64

type recordQueue struct {
	waiting  []*recordCall
	recorded int // calls the worker took and is recording
}

type recordCall struct {
	ctx   context.Context
	legs  []*finance.Transaction
	taken bool          // a worker took it: it is being recorded (guarded by recordBatcher.mu)
	done  chan struct{} // closed when out and err are final
	out   *finance.Transaction
	err   error
}

func newRecordBatcher() *recordBatcher {
	return &recordBatcher{queues: map[string]*recordQueue{}}
}

// record queues legs with the other calls of the same accounts and returns their result once
// recorded (RecordFinanceTransactions' contract).
func (b *recordBatcher) record(ctx context.Context, db *DB, legs []*finance.Transaction) (*finance.Transaction, error) {
	accounts := make([]string, len(legs))
	for i, l := range legs {
		accounts[i] = l.Account.ID
	}
	slices.Sort(accounts)
	accounts = slices.Compact(accounts)
	key := legs[0].BusinessID + "\x00" + strings.Join(accounts, "\x00")
	c := &recordCall{ctx: ctx, legs: legs, done: make(chan struct{})}

	b.mu.Lock()
	q, running := b.queues[key]
	if !running {
		q = &recordQueue{}
		b.queues[key] = q
	}
	q.waiting = append(q.waiting, c)
	b.mu.Unlock()
	if !running {
		go b.work(db, key, q, accounts)
	}

	select {
	case <-c.done:
	case <-ctx.Done():
		b.mu.Lock()
		if !c.taken {
			q.waiting = slices.DeleteFunc(q.waiting, func(w *recordCall) bool { return w == c })
			b.mu.Unlock()
			return nil, ctx.Err()
		}
		b.mu.Unlock()
		<-c.done // being recorded: its outcome is known only after the commit
	}
	return c.out, c.err
}

// work records the queue's calls, batch after batch, until none waits; then it removes the
// queue (under the lock, so a call either joins a running worker's queue or starts a new one).
func (b *recordBatcher) work(db *DB, key string, q *recordQueue, accounts []string) {
	for {
		b.mu.Lock()
		var calls []*recordCall
		n := 0
		for _, c := range q.waiting {
			if len(calls) == maxRecordBatch {
				q.waiting[n] = c
				n++
				continue
			}
			c.taken = true
			calls = append(calls, c)
		}
		clear(q.waiting[n:])
		q.waiting = q.waiting[:n]
		if len(calls) == 0 {
			delete(b.queues, key)
			b.mu.Unlock()
			return
		}
		q.recorded = len(calls)
		if len(calls) > 1 {
			b.batches++
			b.grouped += int64(len(calls))
		}
		b.mu.Unlock()
		db.recordCalls(accounts, calls)
		for _, c := range calls {
			close(c.done)
		}
		b.mu.Lock()
		q.recorded = 0
		b.mu.Unlock()
	}
}

// recordCalls records calls, which move the same accounts: together in one transaction when
// they can be, else one by one. This process's other writers of these accounts queue at the
// row gate meanwhile (rowgate.go).
func (db *DB) recordCalls(accounts []string, calls []*recordCall) {
	ctx, cancel := batchContext(calls)
	defer cancel()
	leave, err := db.gate.enter(ctx, accounts...)
	if err != nil {
		for _, c := range calls {
			c.err = err
		}
		return
	}
	defer leave()
	if len(calls) > 1 {
		if err := db.recordBatch(ctx, calls); err == nil {
			return
		}
	}
	for _, c := range calls {
		if c.err = c.ctx.Err(); c.err == nil {
			c.out, c.err = db.recordLegs(c.ctx, c.legs)
		}
	}
}

// batchContext is the context a batch is recorded in: no one caller's cancellation stops the
// others' writes; it ends at the latest of their deadlines (none when one has none).
func batchContext(calls []*recordCall) (context.Context, context.CancelFunc) {
	var latest time.Time
	for _, c := range calls {
		d, ok := c.ctx.Deadline()
		if !ok {
			return context.WithoutCancel(calls[0].ctx), func() {}
		}
		if d.After(latest) {
			latest = d
		}
	}
	return context.WithDeadline(context.WithoutCancel(calls[0].ctx), latest)
}

// errBatchRefused rolls a batch back when one of its calls would leave the bound of S21: the
// calls are then recorded one by one, and only that one is refused.
var errBatchRefused = errors.New("batch refused")

// recordBatch records calls in one transaction and sets each call's answer, or changes
// nothing and returns why not.
func (db *DB) recordBatch(ctx context.Context, calls []*recordCall) error {
	var legs []*finance.Transaction
	for _, c := range calls {
		legs = append(legs, c.legs...)
	}
	// Each account's running total after each call, in order: every state the account passes
	// through must be one the bound allows, as if the calls were recorded one after another.
	type span struct{ delta, lo, hi money.Cents }
	spans := map[string]*span{}
	for _, c := range calls {
		for _, m := range finance.MovesOf(c.legs, 1) {
			s := spans[m.AccountID]
			if s == nil {
				s = &span{lo: m.Delta, hi: m.Delta}
				spans[m.AccountID] = s
			}
			s.delta += m.Delta
			s.lo, s.hi = min(s.lo, s.delta), max(s.hi, s.delta)
		}
	}
	var rows map[string]*finance.Transaction
	err := db.InTx(ctx, func(tx *DB) error {
		var err error
		if rows, err = tx.insertReadBack(ctx, legs); err != nil {
			return err
		}
		for _, m := range finance.MovesOf(legs, 1) {
			s := spans[m.AccountID]
			ok, err := tx.moveAccount(ctx, legs[0].BusinessID, m.AccountID, m.Delta, s.lo, s.hi, m.At, 1)
			if err == nil && !ok {
				err = errBatchRefused
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range calls {
		c.out = rows[c.legs[0].ID]
	}
	return nil
}
