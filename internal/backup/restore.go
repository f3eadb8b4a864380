package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Errors Restore returns, for callers to tell the cases apart.
var (
	// ErrInUse: another process has the target database open.
	ErrInUse = errors.New("target database is in use; stop the server first")
	// ErrDamaged: the backup fails its checksum or integrity check.
	ErrDamaged = errors.New("backup is damaged")
	// ErrKeyMismatch: the secret given is not the one the backup was
	// written with.
	ErrKeyMismatch = errors.New("secret key does not match the backup")
)

// RestoreOptions adjust Restore.
type RestoreOptions struct {
	// Secret, when set, must have the fingerprint the manifest records.
	Secret []byte
	// Force replaces a target that holds data, and accepts a secret whose
	// fingerprint differs. It never replaces a database in use.
	Force bool
}

// Restore puts the backup at from in place as the SQLite database at to,
// after checking it, and returns its manifest (the zero Manifest when the
// backup has none, e.g. a copy of a stopped database). The copy is checked
// where it will live, then renamed over to, so a failed restore leaves the
// target as it was.
func Restore(ctx context.Context, from, to string, opts RestoreOptions) (Manifest, error) {
	m, err := ReadManifest(from)
	if errors.Is(err, fs.ErrNotExist) {
		m, err = Manifest{}, nil
	}
	if err != nil {
		return m, err
	}
	if m.KeyFingerprint != "" && opts.Secret != nil && !opts.Force {
		if got := Fingerprint(opts.Secret); got != m.KeyFingerprint {
			return m, fmt.Errorf("%w: backup %s, given key %s (pass the key the backup was made with, or --force)",
				ErrKeyMismatch, m.KeyFingerprint, got)
		}
	}
	to, err = filepath.Abs(to)
	if err != nil {
		return m, err
	}
	if err := checkTarget(to, opts.Force); err != nil {
		return m, err
	}

	tmp := tempName(to)
	defer os.Remove(tmp)
	if err := copyFile(from, tmp); err != nil {
		return m, err
	}
	_, sum, err := syncAndHash(tmp)
	if err != nil {
		return m, err
	}
	if m.SHA256 != "" && sum != m.SHA256 {
		return m, fmt.Errorf("%w: SHA-256 %s, manifest says %s", ErrDamaged, sum, m.SHA256)
	}
	if err := integrityCheck(ctx, tmp); err != nil {
		return m, err
	}
	if m.SchemaVersion, err = schemaVersion(ctx, tmp); err != nil {
		return m, err
	}

	// Checked again: the copy may have taken a while.
	if err := checkTarget(to, opts.Force); err != nil {
		return m, err
	}
	// A write-ahead log left by the old database would be replayed into
	// the new one; it goes with the file it belonged to.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(to + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return m, err
		}
	}
	if err := os.Rename(tmp, to); err != nil {
		return m, err
	}
	return m, syncDir(filepath.Dir(to))
}

// checkTarget refuses a database another process has open, and one with
// data unless forced.
func checkTarget(path string, force bool) error {
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if busy, err := inUse(path); err != nil {
		return err
	} else if busy {
		return fmt.Errorf("%s: %w", path, ErrInUse)
	}
	if st.Size() > 0 && !force {
		return fmt.Errorf("%s: %w (pass --force to replace it)", path, ErrExists)
	}
	return nil
}

// inUse reports whether another connection has the database open: every
// WAL connection holds a shared lock on the file for as long as it is
// open, so an exclusive lock taken without waiting fails exactly then.
func inUse(path string) (bool, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)&_pragma=locking_mode(EXCLUSIVE)")
	if err != nil {
		return false, err
	}
	defer db.Close()
	if _, err := db.Exec("BEGIN EXCLUSIVE"); err != nil {
		var sqErr *sqlite.Error
		if errors.As(err, &sqErr) && sqErr.Code()&0xff == sqlite3.SQLITE_BUSY {
			return true, nil
		}
		return false, fmt.Errorf("%s: %w", path, err)
	}
	_, err = db.Exec("ROLLBACK")
	return false, err
}

// openCopy opens a backup file read-only and immutable: checking it must
// not create -wal or -shm files beside it, nor change it.
func openCopy(path string) (*sql.DB, error) {
	return sql.Open("sqlite", "file:"+path+"?mode=ro&immutable=1")
}

func integrityCheck(ctx context.Context, path string) error {
	db, err := openCopy(path)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: integrity_check: %s", ErrDamaged, strings.Join(problems, "; "))
	}
	return nil
}

// schemaVersion is the newest migration goose recorded in the file; a file
// without goose's table is not a wenming database.
func schemaVersion(ctx context.Context, path string) (int64, error) {
	db, err := openCopy(path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var v sql.NullInt64
	err = db.QueryRowContext(ctx, "SELECT MAX(version_id) FROM goose_db_version WHERE is_applied").Scan(&v)
	if err != nil || !v.Valid {
		return 0, fmt.Errorf("%w: not a wenming database (no applied migrations): %v", ErrDamaged, err)
	}
	return v.Int64, nil
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
