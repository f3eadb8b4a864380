package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupAndRestoreCommands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	live := "sqlite:" + filepath.Join(dir, "live.db")
	key := strings.Repeat("cd", 32)
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"migrate", "--db", live}, &out, &errOut); err != nil {
		t.Fatalf("migrate: %v\n%s", err, errOut.String())
	}
	if err := run(ctx, []string{"apikey", "create", "--role", "admin", "--name", "备份演练", "--db", live}, &out, &errOut); err != nil {
		t.Fatalf("apikey create: %v\n%s", err, errOut.String())
	}

	bak := filepath.Join(dir, "nightly.db")
	out.Reset()
	if err := run(ctx, []string{"backup", "--db", live, "--to", bak, "--secret-key", key}, &out, &errOut); err != nil {
		t.Fatalf("backup: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(out.String(), "key fingerprint") || strings.Contains(out.String(), key) {
		t.Errorf("backup printed %q; want the fingerprint, never the key", out.String())
	}

	restored := "sqlite:" + filepath.Join(dir, "drill", "wenming.db")
	if err := os.Mkdir(filepath.Join(dir, "drill"), 0o700); err != nil {
		t.Fatal(err)
	}
	restore := []string{"restore", "--from", bak, "--db", restored, "--secret-key", key}
	if err := run(ctx, restore, io.Discard, &errOut); err != nil {
		t.Fatalf("restore: %v\n%s", err, errOut.String())
	}
	out.Reset()
	if err := run(ctx, []string{"apikey", "list", "--db", restored}, &out, &errOut); err != nil || !strings.Contains(out.String(), "备份演练") {
		t.Fatalf("keys of the restored database: %q, %v", out.String(), err)
	}
	if err := run(ctx, restore, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("restore over a database with data = %v, want a refusal naming --force", err)
	}
	if err := run(ctx, append(restore, "--force"), io.Discard, io.Discard); err != nil {
		t.Errorf("restore --force: %v", err)
	}

	for _, args := range [][]string{
		{"backup", "--db", live},              // no --to
		{"backup", "--db", live, "--to", bak}, // exists
		{"restore", "--db", restored},         // no --from
		{"restore", "--from", bak, "--db", "postgres://localhost/x"},
		{"restore", "--from", bak, "--db", "sqlite:" + filepath.Join(dir, "other.db"), "--secret-key", strings.Repeat("ef", 32)},
	} {
		if err := run(ctx, args, io.Discard, io.Discard); err == nil {
			t.Errorf("wenming %v succeeded, want an error", args)
		}
	}
	missing := filepath.Join(dir, "missing.db")
	if err := run(ctx, []string{"backup", "--db", "sqlite:" + missing, "--to", filepath.Join(dir, "m.db")}, io.Discard, io.Discard); err == nil {
		t.Error("backup of a database that does not exist succeeded")
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("backup created the database it was asked to copy")
	}
}
