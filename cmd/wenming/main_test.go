package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestAPIKeyCreatePrintsOnlyTheKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := migrated(t)
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"apikey", "create", "--role", "analyst", "--name", "指数测评组", "--db", dsn}, &out, &errOut); err != nil {
		t.Fatalf("apikey create: %v\n%s", err, errOut.String())
	}
	if !regexp.MustCompile(`^wm_[a-z2-7]{48}\n$`).MatchString(out.String()) {
		t.Fatalf("stdout = %q, want the key alone on one line", out.String())
	}

	out.Reset()
	if err := run(ctx, []string{"apikey", "list", "--db", dsn}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[1], "analyst") || !strings.Contains(lines[1], "指数测评组") {
		t.Fatalf("apikey list = %q", out.String())
	}
	id := strings.Fields(lines[1])[0]
	if err := run(ctx, []string{"apikey", "revoke", "--id", id, "--db", dsn}, &out, &errOut); err != nil {
		t.Fatal(err)
	}

	for _, args := range [][]string{
		{"apikey", "create", "--role", "root", "--name", "x", "--db", dsn},
		{"apikey", "create", "--role", "admin", "--db", dsn},
		{"apikey", "revoke", "--db", dsn},
		{"apikey", "revoke", "--id", "no-such-id", "--db", dsn},
		{"frobnicate"},
	} {
		if err := run(ctx, args, io.Discard, io.Discard); err == nil {
			t.Errorf("wenming %v succeeded, want an error", args)
		}
	}
}

func TestParseSecret(t *testing.T) {
	t.Parallel()
	hex := strings.Repeat("ab", 32)
	if b, err := parseSecret(hex); err != nil || len(b) != 32 {
		t.Errorf("hex secret: %v", err)
	}
	if _, err := parseSecret("too-short"); err == nil {
		t.Error("short secret accepted")
	}
	if b, err := parseSecret(""); err != nil || b != nil {
		t.Errorf("empty secret = %v, %v; want nil, nil", b, err)
	}
}

// TestServeStopsCleanlyOnSIGTERM runs the real binary: it must come up on an
// empty folder, answer /readyz, and exit 0 on SIGTERM.
func TestServeStopsCleanlyOnSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	dir := t.TempDir()
	bin := binary(t)
	cmd := exec.Command(bin, "serve", "--demo", "--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--drain-timeout", "5s")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "WENMING_DB=", "WENMING_SECRET_KEY=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := &syncBuffer{}
	cmd.Stdout = stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	logs := &syncBuffer{}
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`http=(\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logs.Write([]byte(sc.Text() + "\n"))
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
	}()
	var base string
	select {
	case a := <-addr:
		base = "http://" + a
	case <-time.After(60 * time.Second):
		t.Fatalf("server did not report its address; stderr:\n%s", logs)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("never ready: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(dir, "wenming.db")); err != nil {
		t.Errorf("default SQLite file not created in the working directory: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, demoSecretFile)); err != nil {
		t.Errorf("--demo kept no secret in the working directory: %v", err)
	}
	hc := exec.Command(bin, "healthcheck", "--http-addr", strings.TrimPrefix(base, "http://"))
	if out, err := hc.CombinedOutput(); err != nil {
		t.Errorf("healthcheck of a ready server: %v\n%s", err, out)
	}
	if !strings.Contains(stdout.String(), "admin:") || !strings.Contains(stdout.String(), "grpcurl") {
		t.Errorf("--demo did not print keys and examples:\n%s", stdout.String())
	}
	checkDemoKiosk(t, base, stdout.String())
	// The printed feedback form of a demo window opens.
	if m := regexp.MustCompile(`(http://\S+/f/[0-9A-Z]{8})\n`).FindStringSubmatch(stdout.String()); m == nil {
		t.Errorf("--demo did not print a feedback form URL:\n%s", stdout.String())
	} else if resp, err := http.Get(m[1]); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("demo form %s: %v %v", m[1], err, resp)
	} else {
		resp.Body.Close()
	}
	if !strings.Contains(stdout.String(), "/f/posters/") {
		t.Errorf("--demo did not print the poster page:\n%s", stdout.String())
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v, want status 0", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not exit within the drain deadline")
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A malformed number in the environment stops serve with the variable's
// name instead of quietly running on the default. Not parallel: it sets
// environment variables.
func TestServeRefusesMalformedNumbersInTheEnvironment(t *testing.T) {
	t.Setenv("WENMING_DB", "")
	t.Setenv("WENMING_ANON_RATE", "sixty")
	t.Setenv("WENMING_CASE_DUE_DAYS", " 7 ")
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "env.db")
	err := run(context.Background(), []string{"serve", "--db", dsn, "--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0"},
		io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `WENMING_ANON_RATE="sixty"`) {
		t.Fatalf("serve = %v, want an error naming WENMING_ANON_RATE", err)
	}
	if strings.Contains(err.Error(), "WENMING_CASE_DUE_DAYS") {
		t.Errorf("a number with spaces around it was refused: %v", err)
	}
}
