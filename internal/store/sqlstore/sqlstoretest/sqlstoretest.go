// Package sqlstoretest opens fresh, migrated stores for tests: a SQLite file in a temporary
// directory, or a new PostgreSQL schema dropped when the test ends.
package sqlstoretest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oklog/ulid/v2"

	"github.com/bursar/bursar/internal/store/sqlstore"
)

// EnvPostgres names the variable holding the PostgreSQL URL the tests may use.
const EnvPostgres = "BURSAR_TEST_POSTGRES_URL"

// SQLite returns a migrated store on a new SQLite file.
func SQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "bursar.db"))
}

// SQLiteURL returns the DSN of a new, not yet created SQLite file.
func SQLiteURL(t testing.TB) string {
	return filepath.Join(t.TempDir(), "bursar.db")
}

// Postgres returns a migrated store on a new schema of the database at base.
func Postgres(t testing.TB, base string) *sqlstore.DB {
	t.Helper()
	return open(t, PostgresURL(t, base))
}

// PostgresURL creates a new schema on the database at base, dropped when the test ends, and
// returns a URL whose connections use it.
func PostgresURL(t testing.TB, base string) string {
	t.Helper()
	schema := "t_" + strings.ToLower(ulid.Make().String())
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func open(t testing.TB, dsn string) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

// Backends runs fn once per available backend: SQLite always, PostgreSQL when
// BURSAR_TEST_POSTGRES_URL is set (skipped otherwise). Each run gets a fresh DSN, not yet migrated.
func Backends(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLiteURL(t)) })
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv(EnvPostgres)
		if base == "" {
			t.Skip(EnvPostgres + " not set")
		}
		fn(t, PostgresURL(t, base))
	})
}

// Each runs fn once per available backend with a fresh, migrated store.
func Each(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	Backends(t, func(t *testing.T, dsn string) { fn(t, open(t, dsn)) })
}
