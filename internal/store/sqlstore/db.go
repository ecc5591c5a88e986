// Package sqlstore is Bursar's one SQL store over database/sql for SQLite (modernc) and PostgreSQL
// (pgx stdlib). SQL is written once with $1 placeholders; the few differences live in dialect.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Engine names a database engine.
type Engine string

// The supported engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// dialect holds the little SQL that differs between the engines.
type dialect struct {
	engine Engine
	// forUpdate is the row-lock suffix for SELECTs inside a write transaction: FOR NO KEY
	// UPDATE on PostgreSQL, which serialises writers of the row but not the inserts whose
	// foreign keys point at it (they take KEY SHARE); Bursar never changes a key.
	forUpdate string
}

// querier is what *sql.DB and *sql.Tx share.
// pageClause returns the LIMIT and OFFSET of a page for a query whose arguments are args, and
// the arguments with the page's appended. On PostgreSQL the limit, and the offset of a first
// page, are written into the SQL: as parameters the planner cannot cost the generic plan of a
// cached statement (it assumes a tenth of the rows) and plans every call anew, which was 70% of
// the database's time on a page of transactions (issue 6). Deeper pages keep the offset a
// parameter, so paging does not mint a statement per page. SQLite prepares each text once.
func (d dialect) pageClause(args []any, limit, offset int) (string, []any) {
	if d.engine != Postgres {
		return fmt.Sprintf(" LIMIT $%d OFFSET $%d", len(args)+1, len(args)+2), append(args, limit, offset)
	}
	if offset == 0 {
		return fmt.Sprintf(" LIMIT %d", limit), args
	}
	return fmt.Sprintf(" LIMIT %d OFFSET $%d", limit, len(args)+1), append(args, offset)
}

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type pools struct {
	w, r    *sql.DB // writer and reader; the same pool on PostgreSQL
	dialect dialect
	// prepared-statement caches of the writer and the reader (SQLite only; nil on PostgreSQL)
	wc, rc *stmtCache
	// sessions answers SessionUser from memory between writes (sessioncache.go)
	sessions *sessionCache
	// stopListen ends the PostgreSQL listener that keeps sessions current, and waits for it
	stopListen func()
	// gate queues this process's writers of a hot row (rowgate.go; PostgreSQL only, nil on SQLite)
	gate *rowGate
	// batch records this process's concurrent writes of the same accounts together (recordbatch.go)
	batch *recordBatcher
}

// DB is the store. Outside a transaction reads use the reader pool and writes the writer; inside
// InTx both go through the transaction.
type DB struct {
	*pools
	tx *sql.Tx
	// authWrite is set, inside a transaction, when it wrote what the session cache keeps: the session
	// cache is invalidated again once the commit makes the write visible.
	authWrite *bool
}

// Open connects to the database named by dsn: a postgres:// or postgresql:// URL, a sqlite: URL,
// a file: URL, or a plain file path (SQLite). It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var p *pools
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		p, err = openPostgres(dsn)
	} else {
		p, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	db := &DB{pools: p}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if p.dialect.engine == Postgres {
		p.stopListen = listenAuth(dsn, p.sessions)
	}
	return db, nil
}

func openPostgres(dsn string) (*pools, error) {
	w, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	w.SetMaxOpenConns(4 * runtime.GOMAXPROCS(0))
	w.SetMaxIdleConns(4 * runtime.GOMAXPROCS(0))
	return &pools{w: w, r: w, dialect: dialect{engine: Postgres, forUpdate: " FOR NO KEY UPDATE"},
		sessions: newSessionCache(false), gate: newRowGate(), batch: newRecordBatcher()}, nil
}

// SQLitePath returns the file path a SQLite DSN names.
func SQLitePath(dsn string) string {
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "sqlite:")
	path = strings.TrimPrefix(path, "file:")
	path, _, _ = strings.Cut(path, "?")
	return path
}

func openSQLite(dsn string) (*pools, error) {
	path := SQLitePath(dsn)
	if path == "" {
		return nil, errors.New("open sqlite: empty file path")
	}
	// One writer connection with BEGIN IMMEDIATE: writers queue inside Go instead of failing with
	// SQLITE_BUSY; readers use their own pool and WAL lets them run beside the writer.
	common := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	u := "file:" + (&url.URL{Path: path}).EscapedPath()
	w, err := sql.Open("sqlite", u+"?"+common+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	r, err := sql.Open("sqlite", u+"?"+common+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	n := readerConns(runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	r.SetConnMaxLifetime(0)
	return &pools{w: w, r: r, dialect: dialect{engine: SQLite}, wc: newStmtCache(w), rc: newStmtCache(r),
		sessions: newSessionCache(true), batch: newRecordBatcher()}, nil
}

// readerConns sizes the SQLite reader pool: at least 8, 2 per core above 4 cores. Readers run
// beside each other and beside the writer (WAL). With 4 (2 per core on 2 cores) 16 concurrent
// requests spent most of their waiting in database/sql's queue for a connection (issue 6); with
// 8 they no longer queue there, and the cores are the limit (measured: 4, 8 and 16 readers serve
// the same within the noise once statements are cached; 16 costs 4-8 MiB more RSS). Each
// connection holds a page cache of up to 2 MiB.
func readerConns(procs int) int { return max(8, 2*procs) }

// Engine reports which engine the store runs on.
func (db *DB) Engine() Engine { return db.dialect.engine }

// Writer returns the writer pool (for River and metrics); Reader the reader pool.
func (db *DB) Writer() *sql.DB { return db.w }

// Reader returns the pool used for reads outside transactions.
func (db *DB) Reader() *sql.DB { return db.r }

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("ping %s: %w", db.dialect.engine, err)
	}
	if db.r != db.w {
		if err := db.w.PingContext(ctx); err != nil {
			return fmt.Errorf("ping %s writer: %w", db.dialect.engine, err)
		}
	}
	return nil
}

// Close closes the pools.
func (db *DB) Close() error {
	if db.stopListen != nil {
		db.stopListen()
	}
	if db.wc != nil {
		db.wc.close()
		db.rc.close()
	}
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// authChanged records a write to users, sessions, owners, members or businesses: it invalidates
// the session cache now and, inside a transaction, again after the commit (InTx).
func (db *DB) authChanged() {
	if db.sessions == nil {
		return
	}
	db.sessions.changed()
	if db.authWrite != nil {
		*db.authWrite = true
	}
}

func (db *DB) read() querier {
	if db.tx != nil {
		return db.write()
	}
	if db.rc != nil {
		return cachedPool{db.rc}
	}
	return db.r
}

func (db *DB) write() querier {
	switch {
	case db.tx != nil && db.wc != nil:
		return cachedTx{db.tx, db.wc}
	case db.tx != nil:
		return db.tx
	case db.wc != nil:
		return cachedPool{db.wc}
	}
	return db.w
}

// InTx runs fn in one write transaction: committed when fn returns nil, rolled back otherwise.
// Inside a transaction it simply calls fn with the same transaction.
func (db *DB) InTx(ctx context.Context, fn func(tx *DB) error) error {
	if db.tx != nil {
		return fn(db)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	var authWrite bool
	if err := fn(&DB{pools: db.pools, tx: tx, authWrite: &authWrite}); err != nil {
		_ = tx.Rollback()
		return err
	}
	err = tx.Commit()
	if authWrite {
		db.authChanged()
	}
	if err != nil {
		return fmt.Errorf("commit: %w", translate(err))
	}
	if db.wc != nil {
		db.wc.flush(ctx)
	}
	return nil
}
