package sqlstore_test

import (
	"context"
	"io/fs"
	"os"
	"slices"
	"testing"

	"github.com/bursar/bursar/internal/store/sqlstore"
	"github.com/bursar/bursar/internal/store/sqlstore/sqlstoretest"
)

// columns lists "table.column" of every application table (goose's own table excluded).
func columns(t *testing.T, db *sqlstore.DB) []string {
	t.Helper()
	q := `SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'goose_db_version'`
	if db.Engine() == sqlstore.Postgres {
		q = `SELECT table_name || '.' || column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name <> 'goose_db_version'`
	}
	rows, err := db.Reader().QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// TestDialectsHaveTheSameSchema: both dialects' migrations end with the same tables and columns.
func TestDialectsHaveTheSameSchema(t *testing.T) {
	lite := columns(t, sqlstoretest.SQLite(t))
	if len(lite) < 10 {
		t.Fatalf("SQLite schema has only %v", lite)
	}
	names := func(dir string) []string {
		ents, err := fs.ReadDir(os.DirFS("migrations"), dir)
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, e := range ents {
			n = append(n, e.Name())
		}
		return n
	}
	if a, b := names("sqlite"), names("postgres"); !slices.Equal(a, b) {
		t.Fatalf("migration files differ: sqlite %v, postgres %v", a, b)
	}
	url := os.Getenv(sqlstoretest.EnvPostgres)
	if url == "" {
		t.Skip(sqlstoretest.EnvPostgres + " not set: PostgreSQL schema not compared")
	}
	if pg := columns(t, sqlstoretest.Postgres(t, url)); !slices.Equal(lite, pg) {
		t.Fatalf("schemas differ:\nsqlite   %v\npostgres %v", lite, pg)
	}
}

func TestSettingIsStoredOnce(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		a, err := db.Setting(ctx, "k", func() (string, error) { return "first", nil })
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.Setting(ctx, "k", func() (string, error) { return "second", nil })
		if err != nil || a != "first" || b != "first" {
			t.Fatalf("got %q, %q, %v; want first twice", a, b, err)
		}
	})
}
