package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/wenming/wenming/internal/backup"
	"github.com/wenming/wenming/internal/store"
)

// secretFlag adds --secret-key as serve has it; backup and restore only
// compare fingerprints with it.
func secretFlag(fs *flag.FlagSet) *string {
	return fs.String("secret-key", envOr("WENMING_SECRET_KEY", ""),
		"the server's secret (env WENMING_SECRET_KEY); only its fingerprint is used")
}

func backupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := dbFlag(fs)
	to := fs.String("to", "", "file to write the copy to (must not exist); its manifest goes to FILE.json")
	key := secretFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("backup: --to FILE is required")
	}
	secret, err := parseSecret(*key)
	if err != nil {
		return fmt.Errorf("--secret-key: %w", err)
	}
	// Opening a SQLite path that does not exist would create an empty
	// database and back that up.
	if path, ok := sqlitePath(*dsn); ok {
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("backup: %w", err)
		}
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := backup.Backup(ctx, db, *to, secret)
	if err != nil {
		return err
	}
	if secret == nil {
		fmt.Fprintln(stderr, "warning: no --secret-key given, so the backup records no key fingerprint")
	}
	describe(stdout, "backup written to "+*to, m)
	return nil
}

func restoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := dbFlag(fs)
	from := fs.String("from", "", "backup file written by `wenming backup`")
	key := secretFlag(fs)
	force := fs.Bool("force", false, "replace a database that holds data, or restore with a key whose fingerprint differs (never one in use)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return errors.New("restore: --from FILE is required")
	}
	path, ok := sqlitePath(*dsn)
	if !ok {
		return fmt.Errorf("restore: --db %s is not SQLite; restore PostgreSQL with pg_restore (see docs/deploy.md)", *dsn)
	}
	secret, err := parseSecret(*key)
	if err != nil {
		return fmt.Errorf("--secret-key: %w", err)
	}
	m, err := backup.Restore(ctx, *from, path, backup.RestoreOptions{Secret: secret, Force: *force})
	if err != nil {
		return err
	}
	if m.SHA256 == "" {
		fmt.Fprintf(stderr, "warning: %s has no manifest; only SQLite's integrity check vouches for it\n", backup.ManifestPath(*from))
	}
	describe(stdout, "restored "+*from+" to "+path, m)
	return nil
}

func describe(w io.Writer, what string, m backup.Manifest) {
	fmt.Fprintln(w, what)
	fmt.Fprintf(w, "  schema version  %d\n", m.SchemaVersion)
	if !m.Created.IsZero() {
		fmt.Fprintf(w, "  taken at        %s\n", m.Created.Format("2006-01-02 15:04:05Z"))
	}
	if m.SHA256 != "" {
		fmt.Fprintf(w, "  sha256          %s\n", m.SHA256)
	}
	fp := m.KeyFingerprint
	if fp == "" {
		fp = "(not recorded)"
	}
	fmt.Fprintf(w, "  key fingerprint %s\n", fp)
}

// sqlitePath is the file of a SQLite DSN as store.Open reads it.
func sqlitePath(dsn string) (string, bool) {
	if p, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		return p, true
	}
	if strings.HasSuffix(dsn, ".db") && !strings.Contains(dsn, "://") {
		return dsn, true
	}
	return "", false
}
