package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/wenming/wenming/internal/backup"
	"github.com/wenming/wenming/internal/store"
)

// SecretOption is --secret-key for backup and restore, which use only its
// fingerprint.
type SecretOption struct {
	SecretKey string `name:"secret-key" env:"WENMING_SECRET_KEY" placeholder:"KEY" help:"The server's secret; only its fingerprint is recorded or compared."`
}

func (o SecretOption) Validate() error {
	if _, err := parseSecret(o.SecretKey); err != nil {
		return fmt.Errorf("--secret-key: %w", err)
	}
	return nil
}

func (o SecretOption) secret() []byte {
	s, _ := parseSecret(o.SecretKey) // checked by Validate
	return s
}

type backupCmd struct {
	DBOption
	SecretOption
	To string `required:"" placeholder:"FILE" help:"File to write the copy to (must not exist); its manifest goes to FILE.json."`
}

// Run copies a SQLite database while the server keeps writing.
func (c *backupCmd) Run(ctx context.Context, std stdio) error {
	// Opening a SQLite path that does not exist would create an empty
	// database and back that up.
	if err := sqliteExists(c.DB); err != nil {
		return err
	}
	db, err := store.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	m, err := backup.Backup(ctx, db, c.To, c.secret())
	if err != nil {
		return err
	}
	if c.secret() == nil {
		fmt.Fprintln(std.err, "warning: no --secret-key given, so the backup records no key fingerprint")
	}
	describe(std.out, "backup written to "+c.To, m)
	return nil
}

type restoreCmd struct {
	DBOption
	SecretOption
	From  string `required:"" placeholder:"FILE" help:"Backup file written by 'wenming backup'."`
	Force bool   `help:"Replace a database that holds data, or restore with a key whose fingerprint differs (never one in use)."`
}

// Run puts a checked backup in place of a stopped server's database.
func (c *restoreCmd) Run(ctx context.Context, std stdio) error {
	path, ok := strings.CutPrefix(c.DB, "sqlite:")
	if !ok {
		return fmt.Errorf("--db %s is not SQLite; restore PostgreSQL with pg_restore (see docs/deploy.md)", c.DB)
	}
	m, err := backup.Restore(ctx, c.From, path, backup.RestoreOptions{Secret: c.secret(), Force: c.Force})
	if err != nil {
		return err
	}
	if m.SHA256 == "" {
		fmt.Fprintf(std.err, "warning: %s has no manifest; only SQLite's integrity check vouches for it\n", backup.ManifestPath(c.From))
	}
	describe(std.out, "restored "+c.From+" to "+path, m)
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
