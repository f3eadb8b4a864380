package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wenming/wenming/internal/store"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	binDir    string
)

// TestMain removes the binary built by binary.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binary builds wenming once for the tests that run it as a process,
// stamped with a version and commit as a release build would be.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "wenming-bin"); buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "wenming")
		out, err := exec.Command("go", "build", "-ldflags",
			"-X github.com/wenming/wenming/internal/buildinfo.version=v0.0.0-test -X github.com/wenming/wenming/internal/buildinfo.commit=0123456789abcdef",
			"-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return binPath
}

// migrated returns the DSN of a new, migrated SQLite database.
func migrated(t *testing.T) string {
	t.Helper()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "w.db")
	if err := run(context.Background(), []string{"migrate", "--db", dsn}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	return dsn
}

// Every command and subcommand has help, printed to stdout, exit 0.
func TestHelpForEveryCommandSucceeds(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"", "serve", "migrate", "migrate status", "apikey", "apikey create", "apikey list",
		"apikey revoke", "import", "import questions", "import targets", "import framework", "import sites",
		"export", "export ratings", "export cases", "export index", "version", "healthcheck"} {
		for _, h := range []string{"--help", "-h"} {
			args := append(strings.Fields(path), h)
			var out bytes.Buffer
			if err := run(context.Background(), args, &out, io.Discard); err != nil {
				t.Errorf("wenming %s: %v", strings.Join(args, " "), err)
				continue
			}
			if want := strings.TrimSpace("Usage: wenming " + path); !strings.Contains(out.String(), want) {
				t.Errorf("wenming %s printed no %q:\n%s", strings.Join(args, " "), want, out.String())
			}
		}
	}
	var out bytes.Buffer
	if err := run(context.Background(), nil, &out, io.Discard); err != nil || !strings.Contains(out.String(), "apikey create") {
		t.Errorf("bare wenming = %v, printed:\n%s\nwant the command list", err, out.String())
	}
}

// Exit codes as a shell sees them: 0 for help and version, 2 for a
// command line that is wrong, 1 for a command that fails.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	bin := binary(t)
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		out  string
	}{
		{nil, 0, "Commands:"},
		{[]string{"--help"}, 0, "Commands:"},
		{[]string{"apikey", "create", "-h"}, 0, "--role=ROLE"},
		{[]string{"version"}, 0, "wenming v0.0.0-test (commit 0123456789ab"},
		{[]string{"frobnicate"}, 2, "unexpected argument frobnicate"},
		{[]string{"serve", "--anon-rate=-1"}, 2, "--anon-rate must be 0"},
		{[]string{"apikey", "list"}, 1, "does not exist"},
	} {
		cmd := exec.Command(bin, c.args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "WENMING_DB=")
		out, err := cmd.CombinedOutput()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.code || !strings.Contains(string(out), c.out) {
			t.Errorf("wenming %v: exit %d, want %d; output lacks %q:\n%s", c.args, code, c.code, c.out, out)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("help, version and refusals left files behind: %v", entries)
	}
}

// Flags are checked before anything runs; the message names the flag.
func TestBadFlagsAreRefusedByName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "x.db")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--db", filepath.Join(dir, "x.db")}, "did you mean sqlite:"},
		{[]string{"serve", "--db", "mysql://h/db"}, "want sqlite:PATH or postgres://"},
		{[]string{"serve", "--db", "sqlite:"}, "needs a file path"},
		{[]string{"serve", "--db", db, "--anon-rate=-1"}, "--anon-rate"},
		{[]string{"serve", "--db", db, "--anon-burst", "0"}, "--anon-burst"},
		{[]string{"serve", "--db", db, "--case-due-days", "0"}, "--case-due-days"},
		{[]string{"serve", "--db", db, "--timezone", "Mars/Olympus"}, "--timezone"},
		{[]string{"serve", "--db", db, "--secret-key", "short"}, "--secret-key"},
		{[]string{"serve", "--db", db, "--grpc-addr", "9090"}, "--grpc-addr"},
		{[]string{"serve", "--db", db, "--log-format", "xml"}, "--log-format"},
		{[]string{"serve", "--db", db, "--drain-timeout", "0s"}, "--drain-timeout"},
		{[]string{"serve", "--db", db, "--cors-origins", "https://ok.example,example.org"}, "--cors-origins"},
		{[]string{"apikey", "create", "--db", db, "--role", "root", "--name", "x"}, "--role"},
		{[]string{"apikey", "create", "--db", db, "--role", "admin"}, "--name"},
		{[]string{"apikey", "create", "--db", db, "--role", "officer", "--name", "x"}, "--scope is required"},
		{[]string{"apikey", "create", "--db", db, "--role", "analyst", "--name", "x", "--scope", "d"}, "--scope means nothing"},
		{[]string{"apikey", "revoke", "--db", db}, "--id"},
		{[]string{"export", "ratings", "--db", db, "--from", "2026-13-01", "--to", "2026-12-31"}, "--from"},
		{[]string{"export", "index", "--db", db}, "--round"},
		{[]string{"import", "sites", "--db", db, filepath.Join(dir, "missing.csv")}, "missing.csv"},
		{[]string{"import", "castles"}, "castles"},
	} {
		err := run(context.Background(), c.args, io.Discard, io.Discard)
		var u usageError
		if !errors.As(err, &u) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("wenming %v = %v; want a usage error naming %q", c.args, err, c.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		t.Errorf("refused commands created files: %v", entries)
	}
}

// Only serve and migrate create a database; every other command refuses a
// missing file or a schema that is not current, and creates nothing.
func TestCommandsRefuseADatabaseThatDoesNotExist(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	sites := filepath.Join(dir, "sites.csv")
	if err := os.WriteFile(sites, []byte("name,category,unit\n人民路,street,东城区\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := "sqlite:" + filepath.Join(dir, "typo.db")
	empty := filepath.Join(dir, "empty.db")
	raw, err := store.Open(ctx, "sqlite:"+empty) // a file, but no schema
	if err != nil {
		t.Fatal(err)
	}
	raw.Close()
	for _, c := range []struct {
		db, want string
	}{{missing, "does not exist"}, {"sqlite:" + empty, "no wenming schema"}} {
		for _, args := range [][]string{
			{"apikey", "create", "--role", "admin", "--name", "x"},
			{"apikey", "list"},
			{"apikey", "revoke", "--id", "x"},
			{"import", "sites", sites},
			{"export", "ratings", "--from", "2026-01-01", "--to", "2026-01-31"},
			{"export", "index", "--round", "r"},
			{"migrate", "status"},
		} {
			if c.want == "no wenming schema" && args[0] == "migrate" {
				continue // status reports an empty database, it does not refuse it
			}
			err := run(ctx, append(args, "--db", c.db), io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "wenming migrate") {
				t.Errorf("wenming %v --db %s = %v; want %q and how to fix it", args, c.db, err, c.want)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a command created the mistyped database: %v", err)
	}
}

func TestOfficerKeysNeedAnExistingDepartment(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := migrated(t)
	tree := filepath.Join(t.TempDir(), "targets.yaml")
	if err := os.WriteFile(tree, []byte("targets:\n  - kind: DEPARTMENT\n    name: 市政务局\n    children:\n      - {kind: WINDOW, name: 1号窗口}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"import", "targets", tree, "--db", dsn}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	var dept, window string
	if err := db.R.Get(&dept, `SELECT id FROM feedback_targets WHERE kind = 'DEPARTMENT'`); err != nil {
		t.Fatal(err)
	}
	if err := db.R.Get(&window, `SELECT id FROM feedback_targets WHERE kind = 'WINDOW'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	officer := func(scope string) error {
		return run(ctx, []string{"apikey", "create", "--role", "officer", "--name", "窗口", "--scope", scope, "--db", dsn}, io.Discard, io.Discard)
	}
	if err := officer("no-such-department"); err == nil || !strings.Contains(err.Error(), "no such department") {
		t.Errorf("unknown department: %v", err)
	}
	if err := officer(window); err == nil || !strings.Contains(err.Error(), "not a department") {
		t.Errorf("a window as scope: %v", err)
	}
	var list bytes.Buffer
	if err := run(ctx, []string{"apikey", "list", "--db", dsn}, &list, io.Discard); err != nil || strings.Count(list.String(), "\n") != 1 {
		t.Fatalf("refused keys were stored: %v\n%s", err, list.String())
	}
	if err := officer(dept); err != nil {
		t.Errorf("officer key for a real department: %v", err)
	}
}

func TestMigrateSaysWhatItApplied(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "m.db")
	var out, status bytes.Buffer
	if err := run(ctx, []string{"migrate", "--db", dsn}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "applied 00001 00001_chassis.sql") {
		t.Errorf("migrate printed:\n%s", out.String())
	}
	applied := strings.Count(out.String(), "applied ")
	out.Reset()
	var errOut bytes.Buffer
	if err := run(ctx, []string{"migrate", "--db", dsn}, &out, &errOut); err != nil || out.Len() != 0 || !strings.Contains(errOut.String(), "nothing applied") {
		t.Errorf("second migrate: %v, stdout %q, stderr %q", err, out.String(), errOut.String())
	}
	if err := run(ctx, []string{"migrate", "status", "--db", dsn}, &status, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(status.String()), "\n")
	if len(lines) != applied+1 || strings.Contains(status.String(), "pending") {
		t.Errorf("status lists %d lines for %d applied migrations:\n%s", len(lines), applied, status.String())
	}
}
