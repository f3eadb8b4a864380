package backup_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wenming/wenming/internal/backup"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

// fixture is a SQLite database with one marked row, and a backup of it.
func fixture(t *testing.T, mark string) (src *store.DB, bak string) {
	t.Helper()
	ctx := context.Background()
	src = storetest.SQLite(t)
	if _, err := src.W.ExecContext(ctx, "CREATE TABLE mark (v TEXT)"); err != nil {
		t.Fatal(err)
	}
	if _, err := src.W.ExecContext(ctx, "INSERT INTO mark VALUES (?)", mark); err != nil {
		t.Fatal(err)
	}
	bak = filepath.Join(t.TempDir(), "b.db")
	if _, err := backup.Backup(ctx, src, bak, secret); err != nil {
		t.Fatal(err)
	}
	return src, bak
}

func markOf(t *testing.T, path string) string {
	t.Helper()
	db, err := store.Open(context.Background(), "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.R.Get(&v, "SELECT v FROM mark"); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

func TestRestoreRefusesATargetWithDataUnlessForced(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, bak := fixture(t, "backup")
	target, _ := fixture(t, "live")
	path := strings.TrimPrefix(target.DSN, "sqlite:")
	target.Close() // stopped server

	_, err := backup.Restore(ctx, bak, path, backup.RestoreOptions{Secret: secret})
	if !errors.Is(err, backup.ErrExists) {
		t.Fatalf("Restore over data = %v, want ErrExists", err)
	}
	if got := markOf(t, path); got != "live" {
		t.Fatalf("refused restore changed the target: mark %q", got)
	}
	if _, err := backup.Restore(ctx, bak, path, backup.RestoreOptions{Secret: secret, Force: true}); err != nil {
		t.Fatalf("forced Restore: %v", err)
	}
	if got := markOf(t, path); got != "backup" {
		t.Fatalf("after a forced restore the mark is %q, want backup", got)
	}
}

func TestRestoreRefusesADatabaseInUseEvenWhenForced(t *testing.T) {
	t.Parallel()
	_, bak := fixture(t, "backup")
	live, _ := fixture(t, "live") // still open, as a running server has it
	path := strings.TrimPrefix(live.DSN, "sqlite:")
	_, err := backup.Restore(context.Background(), bak, path, backup.RestoreOptions{Force: true})
	if !errors.Is(err, backup.ErrInUse) {
		t.Fatalf("Restore under a running server = %v, want ErrInUse", err)
	}
	var v string
	if err := live.R.Get(&v, "SELECT v FROM mark"); err != nil || v != "live" {
		t.Fatalf("live database after a refused restore: %q, %v", v, err)
	}
}

func TestRestoreRefusesADamagedBackup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, bak := fixture(t, "backup")
	raw, err := os.ReadFile(bak)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()

	// One byte changed: the manifest's checksum catches it.
	flipped := filepath.Join(dir, "flipped.db")
	copyBackup(t, bak, flipped)
	bad := bytes.Clone(raw)
	bad[len(bad)/2] ^= 0xff
	if err := os.WriteFile(flipped, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	// Without a manifest, SQLite's own check catches a file that is not
	// a database at all.
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, bytes.Repeat([]byte("wenming"), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, from := range []string{flipped, garbage} {
		to := filepath.Join(dir, "restored-from-"+filepath.Base(from))
		if _, err := backup.Restore(ctx, from, to, backup.RestoreOptions{}); !errors.Is(err, backup.ErrDamaged) {
			t.Errorf("Restore(%s) = %v, want ErrDamaged", filepath.Base(from), err)
		}
		if _, err := os.Stat(to); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("refused Restore(%s) left %s behind: %v", filepath.Base(from), to, err)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.tmp-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestRestoreRefusesAnotherSecretUnlessForced(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, bak := fixture(t, "backup")
	other := bytes.Repeat([]byte{9}, 32)
	to := filepath.Join(t.TempDir(), "r.db")
	if _, err := backup.Restore(ctx, bak, to, backup.RestoreOptions{Secret: other}); !errors.Is(err, backup.ErrKeyMismatch) {
		t.Fatalf("Restore with another key = %v, want ErrKeyMismatch", err)
	}
	if _, err := backup.Restore(ctx, bak, to, backup.RestoreOptions{Secret: other, Force: true}); err != nil {
		t.Fatalf("forced Restore with another key: %v", err)
	}
	if got := markOf(t, to); got != "backup" {
		t.Fatalf("mark %q", got)
	}
}

func TestBackupRefusesAnExistingFile(t *testing.T) {
	t.Parallel()
	src, bak := fixture(t, "first")
	if st, err := os.Stat(bak); err != nil {
		t.Fatal(err)
	} else if st.Mode().Perm() != 0o600 {
		t.Errorf("backup file mode = %v, want 0600 (it holds hashed keys and sealed contacts)", st.Mode())
	}
	if _, err := backup.Backup(context.Background(), src, bak, nil); !errors.Is(err, backup.ErrExists) {
		t.Fatalf("second Backup to %s = %v, want ErrExists", bak, err)
	}
	if got := markOf(t, bak); got != "first" {
		t.Fatalf("the first backup was changed: %q", got)
	}
}

func TestBackupOfPostgresPointsToPgDump(t *testing.T) {
	t.Parallel()
	dsn := storetest.PostgresDSN(t)
	if dsn == "" {
		t.Skip("no PostgreSQL configured (" + storetest.PostgresURLEnv + ")")
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = backup.Backup(context.Background(), db, filepath.Join(t.TempDir(), "pg.db"), nil)
	if err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("Backup of PostgreSQL = %v, want an error naming pg_dump", err)
	}
}

func TestFingerprintNamesTheSecretWithoutRevealingIt(t *testing.T) {
	t.Parallel()
	a, b := backup.Fingerprint(secret), backup.Fingerprint(bytes.Repeat([]byte{43}, 32))
	if len(a) != 16 || a == b || a != backup.Fingerprint(bytes.Clone(secret)) {
		t.Fatalf("fingerprints %q and %q", a, b)
	}
	if strings.Contains(hex.EncodeToString(secret), a) {
		t.Fatalf("fingerprint %q is part of the secret", a)
	}
	if backup.Fingerprint(nil) != "" {
		t.Fatal("no secret should have no fingerprint")
	}
}

func copyBackup(t *testing.T, from, to string) {
	t.Helper()
	m, err := os.ReadFile(backup.ManifestPath(from))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(backup.ManifestPath(to), m, 0o600); err != nil {
		t.Fatal(err)
	}
}
