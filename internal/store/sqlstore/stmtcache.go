package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStatements bounds the statement cache; queries past it run unprepared.
const maxCachedStatements = 512

// stmtCache keeps one prepared statement per query text. On SQLite, preparing (parsing and
// planning) a query costs more than running a small one, and database/sql without statements
// prepares every call anew; pgx already caches statements per connection, so PostgreSQL does
// not use this.
type stmtCache struct {
	db      *sql.DB
	mu      sync.RWMutex
	m       map[string]*sql.Stmt
	pending map[string]struct{} // seen inside a transaction, to prepare once it ends
	closed  bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: map[string]*sql.Stmt{}, pending: map[string]struct{}{}}
}

// lookup returns the cached statement of query without preparing it. Inside a transaction on
// the one-connection writer pool, preparing on the pool would wait for the connection the
// transaction holds; such queries are noted and prepared by flush after the transaction.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	c.mu.RLock()
	st := c.m[query]
	c.mu.RUnlock()
	if st == nil {
		c.mu.Lock()
		if len(c.pending) < maxCachedStatements {
			c.pending[query] = struct{}{}
		}
		c.mu.Unlock()
	}
	return st
}

// flush prepares the queries noted by lookup.
func (c *stmtCache) flush(ctx context.Context) {
	c.mu.RLock()
	n := len(c.pending)
	c.mu.RUnlock()
	if n == 0 {
		return
	}
	c.mu.Lock()
	queries := make([]string, 0, len(c.pending))
	for q := range c.pending {
		queries = append(queries, q)
		delete(c.pending, q)
	}
	c.mu.Unlock()
	for _, q := range queries {
		c.get(ctx, q)
	}
}

// get returns the prepared statement of query, preparing it once; nil when it cannot be
// prepared (the caller then runs the query unprepared and gets the same error from it).
//
// The lock is never held while preparing: on the one-connection writer pool, PrepareContext
// waits for the connection a transaction holds, and that transaction calls lookup.
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.RLock()
	st, n := c.m[query], len(c.m)
	c.mu.RUnlock()
	if st != nil {
		return st
	}
	if n >= maxCachedStatements {
		return nil
	}
	st, err := c.db.PrepareContext(context.WithoutCancel(ctx), query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	if old := c.m[query]; old != nil || c.closed {
		c.mu.Unlock()
		st.Close()
		return old
	}
	c.m[query] = st
	c.mu.Unlock()
	return st
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for q, st := range c.m {
		st.Close()
		delete(c.m, q)
	}
}

// cachedPool runs queries on a pool through the statement cache.
type cachedPool struct{ c *stmtCache }

func (p cachedPool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := p.c.get(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.c.db.ExecContext(ctx, query, args...)
}

func (p cachedPool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.c.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.c.db.QueryContext(ctx, query, args...)
}

func (p cachedPool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := p.c.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.c.db.QueryRowContext(ctx, query, args...)
}

// cachedTx runs queries in a transaction through the writer's statement cache; database/sql
// reuses the statement already prepared on the transaction's connection.
type cachedTx struct {
	tx *sql.Tx
	c  *stmtCache
}

func (t cachedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.c.lookup(query); st != nil {
		return t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.c.lookup(query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.c.lookup(query); st != nil {
		return t.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}
