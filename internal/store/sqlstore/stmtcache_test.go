package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

func openSQLiteForTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestStatementsPreparedInsideTransactions: a query first seen inside a transaction runs there
// unprepared (the one writer connection is busy) and is prepared once the transaction ends.
func TestStatementsPreparedInsideTransactions(t *testing.T) {
	db := openSQLiteForTest(t)
	ctx := context.Background()
	const q = `INSERT INTO settings (key, value) VALUES ($1, $2)`
	for i := 0; i < 2; i++ {
		err := db.InTx(ctx, func(tx *DB) error {
			_, err := tx.write().ExecContext(ctx, q, fmt.Sprint("k", i), "v")
			return err
		})
		if err != nil {
			t.Fatalf("transaction %d: %v", i, err)
		}
		db.wc.mu.RLock()
		_, cached := db.wc.m[q]
		db.wc.mu.RUnlock()
		if !cached {
			t.Fatalf("after transaction %d the insert is not prepared", i)
		}
	}
	var n int
	if err := db.read().QueryRowContext(ctx, `SELECT COUNT(*) FROM settings`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("count %d, %v", n, err)
	}
}

// TestStatementCacheIsBounded: past the bound, queries still run, unprepared.
func TestStatementCacheIsBounded(t *testing.T) {
	db := openSQLiteForTest(t)
	ctx := context.Background()
	for i := 0; i < maxCachedStatements+10; i++ {
		var v int
		if err := db.read().QueryRowContext(ctx, fmt.Sprintf("SELECT %d", i)).Scan(&v); err != nil || v != i {
			t.Fatalf("query %d: %d, %v", i, v, err)
		}
	}
	if n := len(db.rc.m); n != maxCachedStatements {
		t.Fatalf("%d statements cached, want the bound %d", n, maxCachedStatements)
	}
	// A query that cannot be prepared gives its error through the normal path.
	if err := db.read().QueryRowContext(ctx, `SELECT nope FROM nowhere`).Scan(new(int)); err == nil {
		t.Fatal("a bad query must fail")
	}
}

// TestStatementCacheUnderConcurrentTransactions: writers outside transactions prepare new
// queries while transactions hold the one writer connection and meet queries of their own; none
// waits on the other forever (the cache lock is never held while preparing).
func TestStatementCacheUnderConcurrentTransactions(t *testing.T) {
	db := openSQLiteForTest(t)
	ctx := context.Background()
	const workers, rounds = 8, 40
	done := make(chan error, workers)
	for w := 0; w < workers; w++ {
		go func() {
			for i := 0; i < rounds; i++ {
				key := fmt.Sprintf("w%d-%d", w, i)
				// A distinct query text per round, so every round prepares.
				q := fmt.Sprintf(`INSERT INTO settings (key, value) VALUES ($1, '%d')`, i)
				if w%2 == 0 {
					if _, err := db.write().ExecContext(ctx, q, key); err != nil {
						done <- err
						return
					}
					continue
				}
				err := db.InTx(ctx, func(tx *DB) error {
					var n int
					if err := tx.read().QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) + %d FROM settings`, i)).Scan(&n); err != nil {
						return err
					}
					_, err := tx.write().ExecContext(ctx, q, key)
					return err
				})
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for w := 0; w < workers; w++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := db.read().QueryRowContext(ctx, `SELECT COUNT(*) FROM settings`).Scan(&n); err != nil || n != workers*rounds {
		t.Fatalf("count %d, %v; want %d", n, err, workers*rounds)
	}
}

// TestPageClause: the page's placeholders follow the query's own and its arguments line up with
// them; on PostgreSQL a first page carries no parameter (so its statement gets a generic plan).
func TestPageClause(t *testing.T) {
	for _, tc := range []struct {
		engine   Engine
		offset   int
		clause   string
		wantArgs []any
	}{
		{SQLite, 0, " LIMIT $3 OFFSET $4", []any{"a", "b", 50, 0}},
		{SQLite, 100, " LIMIT $3 OFFSET $4", []any{"a", "b", 50, 100}},
		{Postgres, 0, " LIMIT 50", []any{"a", "b"}},
		{Postgres, 100, " LIMIT 50 OFFSET $3", []any{"a", "b", 100}},
	} {
		clause, args := dialect{engine: tc.engine}.pageClause([]any{"a", "b"}, 50, tc.offset)
		if clause != tc.clause || fmt.Sprint(args) != fmt.Sprint(tc.wantArgs) {
			t.Errorf("%s offset %d: %q %v, want %q %v", tc.engine, tc.offset, clause, args, tc.clause, tc.wantArgs)
		}
	}
}
