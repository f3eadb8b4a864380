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

func TestCivindexImportAndExport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dsn := migrated(t)
	var out, errOut bytes.Buffer
	fw := filepath.Join("..", "..", "internal", "demo", "civindex_framework.yaml")
	if err := run(ctx, []string{"import", "framework", fw, "--publish", "--db", dsn}, &out, &errOut); err != nil {
		t.Fatalf("import framework: %v\n%s", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), "version 1 (published) with 27 check items") {
		t.Errorf("import framework said %q", errOut.String())
	}

	sites := filepath.Join(dir, "sites.csv")
	if err := os.WriteFile(sites, []byte("name,category,unit\n人民路,street,东城区\n市民中心,service_hall,市政务局\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"import", "sites", "--db", dsn, sites}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(out.String(), "\n"); n != 2 {
		t.Errorf("import sites printed %q", out.String())
	}
	// Importing the same file again (with one site twice in it) adds
	// nothing: a site is its name within its unit.
	first := out.String()
	if err := os.WriteFile(sites, []byte("name,category,unit\n人民路,street,东城区\n市民中心,service_hall,市政务局\n人民路,street,东城区\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	errOut.Reset()
	if err := run(ctx, []string{"import", "sites", "--db", dsn, sites}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(out.String(), "\n"); !strings.HasPrefix(first, lines[0]+"\n"+lines[1]) || lines[0] != lines[2] ||
		!strings.Contains(errOut.String(), "imported 0 sites, 3 already present") {
		t.Errorf("re-import printed %q, %q; first import %q", out.String(), errOut.String(), first)
	}

	// Export a round of the demo data.
	demoDSN, round := civIndexDemo(t, dir)
	csvPath := filepath.Join(dir, "index.csv")
	if err := run(ctx, []string{"export", "index", "--round", round, "--out", csvPath, "--db", demoDSN}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(body)), "\n"); len(lines) != 13 || !strings.HasPrefix(lines[1], "1,") {
		t.Errorf("export has %d lines:\n%s", len(lines), body)
	}

	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("name,category,unit\n,CASTLE,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"import", "framework", "--db", dsn},
		{"import", "framework", filepath.Join(dir, "missing.yaml"), "--db", dsn},
		{"import", "sites", bad, "--db", dsn},
		{"export", "index", "--db", dsn},
		{"export", "index", "--round", "no-such-round", "--db", dsn},
		{"import", "castles"},
	} {
		if err := run(ctx, args, io.Discard, io.Discard); err == nil {
			t.Errorf("wenming %v succeeded, want an error", args)
		}
	}
}
