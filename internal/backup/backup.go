package backup

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/wenming/wenming/internal/store"
)

// Format is the manifest's format tag; Restore refuses others.
const Format = "wenming-sqlite-backup/1"

// Manifest describes one backup file; it is written beside it as FILE.json.
type Manifest struct {
	Format string `json:"format"`
	// Created is when the copy's snapshot was taken (UTC).
	Created time.Time `json:"created"`
	// Source is the database it was copied from.
	Source string `json:"source"`
	// SchemaVersion is the newest migration applied in the copy.
	SchemaVersion int64  `json:"schema_version"`
	Bytes         int64  `json:"bytes"`
	SHA256        string `json:"sha256"`
	// KeyFingerprint is Fingerprint of the secret the server used, or
	// empty when none was given to the backup.
	KeyFingerprint string `json:"key_fingerprint,omitempty"`
}

// ManifestPath is where the manifest of the backup at path lives.
func ManifestPath(path string) string { return path + ".json" }

// ErrExists means the target of a backup, or of a restore without force,
// already holds data.
var ErrExists = errors.New("target already exists")

// Backup writes a consistent copy of db to path, which must not exist yet,
// and its manifest beside it. The server may keep writing meanwhile. secret
// is the server's secret (nil when it has none): only its fingerprint is
// recorded.
func Backup(ctx context.Context, db *store.DB, path string, secret []byte) (Manifest, error) {
	if db.Dialect != store.SQLite {
		return Manifest{}, fmt.Errorf("backup: %s is not SQLite; back PostgreSQL up with pg_dump (see docs/deploy.md)", db.DSN)
	}
	for _, p := range []string{path, ManifestPath(path)} {
		if _, err := os.Lstat(p); err == nil {
			return Manifest{}, fmt.Errorf("backup: %s: %w; choose a new name", p, ErrExists)
		}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return Manifest{}, err
	}
	tmp := tempName(abs)
	defer os.Remove(tmp)
	m := Manifest{Format: Format, Source: db.DSN, KeyFingerprint: Fingerprint(secret), Created: time.Now().UTC()}
	// VACUUM INTO reads in one transaction: the copy holds every commit
	// made before it began and none made while it ran.
	if _, err := db.R.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
		return Manifest{}, fmt.Errorf("backup: copy: %w", err)
	}
	// The copy holds hashed keys and sealed contacts: owner only, like
	// the database.
	if err := os.Chmod(tmp, 0o600); err != nil {
		return Manifest{}, err
	}
	// The version is read from the copy, so it describes the snapshot.
	if m.SchemaVersion, err = schemaVersion(ctx, tmp); err != nil {
		return Manifest{}, err
	}
	if m.Bytes, m.SHA256, err = syncAndHash(tmp); err != nil {
		return Manifest{}, err
	}
	if err := os.Rename(tmp, abs); err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	if err := writeManifest(ManifestPath(abs), m); err != nil {
		return Manifest{}, err
	}
	return m, syncDir(filepath.Dir(abs))
}

// ReadManifest reads the manifest beside the backup at path.
func ReadManifest(path string) (Manifest, error) {
	var m Manifest
	raw, err := os.ReadFile(ManifestPath(path))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return m, fmt.Errorf("%s: %w", ManifestPath(path), err)
	}
	if m.Format != Format {
		return m, fmt.Errorf("%s: format %q, want %q", ManifestPath(path), m.Format, Format)
	}
	return m, nil
}

func writeManifest(path string, m Manifest) error {
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := tempName(path)
	defer os.Remove(tmp)
	if err := os.WriteFile(tmp, append(raw, '\n'), 0o600); err != nil {
		return fmt.Errorf("backup: manifest: %w", err)
	}
	if _, _, err := syncAndHash(tmp); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// tempName is a fresh name in path's directory, so the final rename is
// atomic (same file system).
func tempName(path string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return path + ".tmp-" + hex.EncodeToString(b)
}

// syncAndHash flushes the file to disk (VACUUM INTO does not) and returns
// its size and SHA-256.
func syncAndHash(path string) (int64, string, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return 0, "", err
	}
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
