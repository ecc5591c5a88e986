package sqlstore

// RecordPending is the number of RecordFinanceTransactions calls queued or being recorded by the
// batcher (recordbatch.go); RecordBatches the batches of more than one call and the calls in them.
func (db *DB) RecordPending() int {
	db.batch.mu.Lock()
	defer db.batch.mu.Unlock()
	n := 0
	for _, q := range db.batch.queues {
		n += len(q.waiting) + q.recorded
	}
	return n
}

func (db *DB) RecordBatches() (batches, calls int64) {
	db.batch.mu.Lock()
	defer db.batch.mu.Unlock()
	return db.batch.batches, db.batch.grouped
}

// WaitFor is waitFor (sessioncache_test.go) for the external tests.
var WaitFor = waitFor
