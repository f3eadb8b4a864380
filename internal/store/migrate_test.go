package store

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// schemaOf lists a migrated database's tables with their columns
// ("table.column") and its explicitly created indexes ("index ON table"),
// sorted: what both dialects must agree on. Types differ by dialect (BLOB
// and BYTEA) and are left out.
func schemaOf(t *testing.T, db *DB) []string {
	t.Helper()
	queries := map[Dialect][]string{
		SQLite: {
			`SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
			 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
			`SELECT name || ' ON ' || tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`,
		},
		Postgres: {
			`SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema()`,
			`SELECT i.relname || ' ON ' || c.relname FROM pg_index x
			 JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
			 JOIN pg_namespace n ON n.oid = c.relnamespace
			 WHERE n.nspname = current_schema()
			   AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`,
		},
	}
	var out []string
	for _, q := range queries[db.Dialect] {
		var rows []string
		if err := db.R.Select(&rows, q); err != nil {
			t.Fatal(err)
		}
		out = append(out, rows...)
	}
	slices.Sort(out)
	return out
}

func TestBothDialectsMigrateToTheSameSchema(t *testing.T) {
	t.Parallel()
	dbs := testDBs(t)
	if len(dbs) < 2 {
		t.Skip("WENMING_TEST_POSTGRES_URL is not set; only SQLite to compare")
	}
	var schemas [][]string
	for _, db := range dbs {
		if err := db.Migrate(context.Background()); err != nil {
			t.Fatalf("%s: %v", db.Dialect, err)
		}
		schemas = append(schemas, schemaOf(t, db))
	}
	lite, pg := schemas[0], schemas[1]
	for _, s := range lite {
		if !slices.Contains(pg, s) {
			t.Errorf("only SQLite has %s", s)
		}
	}
	for _, s := range pg {
		if !slices.Contains(lite, s) {
			t.Errorf("only PostgreSQL has %s", s)
		}
	}
	if len(lite) < 50 || !slices.Contains(lite, "feedback_daily_day ON feedback_daily") {
		t.Errorf("the schema read is too small to trust: %v", lite)
	}
}

func TestDialectBlocksKeepOnlyTheirDialectsLines(t *testing.T) {
	t.Parallel()
	src := strings.Join([]string{
		"CREATE TABLE t (",
		"-- +wenming sqlite",
		"    b BLOB",
		"-- +wenming postgres",
		"    b BYTEA",
		"-- +wenming end",
		");",
	}, "\n")
	for d, want := range map[Dialect]string{SQLite: "CREATE TABLE t (\n    b BLOB\n);\n", Postgres: "CREATE TABLE t (\n    b BYTEA\n);\n"} {
		if got, err := dialectSQL(src, d); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", d, got, err, want)
		}
	}
	for _, bad := range []string{"-- +wenming mysql\nx\n-- +wenming end", "-- +wenming sqlite\nx", "-- +wenming end"} {
		if _, err := dialectSQL(bad, SQLite); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}
