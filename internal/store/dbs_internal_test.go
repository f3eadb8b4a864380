package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// testDBs opens an empty SQLite database and, when WENMING_TEST_POSTGRES_URL
// is set, a fresh PostgreSQL schema (storetest cannot be used here: it
// imports this package).
func testDBs(t *testing.T) []*DB {
	t.Helper()
	ctx := context.Background()
	lite, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lite.Close() })
	out := []*DB{lite}
	base := os.Getenv("WENMING_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but WENMING_TEST_POSTGRES_URL is not set")
		}
		return out
	}
	admin, err := Open(ctx, base)
	if err != nil {
		t.Fatalf("PostgreSQL unreachable: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	schema := "wm_batch_" + hex.EncodeToString(b)
	if _, err := admin.W.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	pg, err := Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pg.Close()
		if a, err := Open(context.Background(), base); err == nil {
			_, _ = a.W.Exec("DROP SCHEMA " + schema + " CASCADE")
			a.Close()
		}
	})
	return append(out, pg)
}
