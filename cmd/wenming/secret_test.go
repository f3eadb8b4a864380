package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/faultproxy"
	"github.com/wenming/wenming/internal/secretkey"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

// running is a `wenming serve` process started by startServe.
type running struct {
	cmd    *exec.Cmd
	base   string // "" when it exited before serving
	stdout *syncBuffer
	logs   *syncBuffer
	exited chan error
}

// startServe runs the binary's serve in dir with args and waits until it
// reports its HTTP address and answers /readyz, or exits.
func startServe(t *testing.T, dir string, env []string, args ...string) *running {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"serve", "--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), append([]string{"WENMING_DB=", "WENMING_SECRET_KEY="}, env...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	r := &running{cmd: cmd, stdout: &syncBuffer{}, logs: &syncBuffer{}, exited: make(chan error, 1)}
	cmd.Stdout = r.stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	addr := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`msg=serving .*http=(\S+)`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			r.logs.Write([]byte(sc.Text() + "\n"))
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				addr <- m[1]
			}
		}
		r.exited <- cmd.Wait()
	}()
	select {
	case a := <-addr:
		r.base = "http://" + a
	case err := <-r.exited:
		r.exited <- err
		return r
	case <-time.After(2 * time.Minute):
		t.Fatalf("serve did not start; stderr:\n%s", r.logs)
	}
	waitHTTPReady(t, r.base)
	return r
}

func waitHTTPReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never ready: %v", base, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (r *running) stop(t *testing.T) {
	t.Helper()
	_ = r.cmd.Process.Signal(os.Interrupt)
	select {
	case <-r.exited:
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// A --demo database restarted without --demo finds its key in the demo
// file (a kiosk game starts, which needs the key); restarted with another
// key it refuses to start, naming both fingerprints.
func TestADemoDatabaseKeepsItsKeyAndRefusesAnother(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first := startServe(t, dir, nil, "--demo")
	if first.base == "" {
		t.Fatalf("serve --demo exited: %v\n%s", <-first.exited, first.logs)
	}
	printed := first.stdout.String()
	first.stop(t)
	kiosk := regexp.MustCompile(`(?m)^\s*kiosk:\s+(\S+)`).FindStringSubmatch(printed)
	contest := regexp.MustCompile(`"contest_id": "([^"]+)"`).FindStringSubmatch(printed)
	if kiosk == nil || contest == nil {
		t.Fatalf("--demo printed no kiosk key or contest:\n%s", printed)
	}

	plain := startServe(t, dir, nil)
	if plain.base == "" {
		t.Fatalf("serve without --demo on the demo database exited: %v\n%s", <-plain.exited, plain.logs)
	}
	req, _ := http.NewRequest(http.MethodPost, plain.base+"/v1/contests/"+contest[1]+"/attempts",
		strings.NewReader(`{"displayName": "王阿姨", "participantIdentifier": "13800000000", "requestId": "restart-1"}`))
	req.Header.Set("Authorization", "Bearer "+kiosk[1])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("StartAttempt after a restart without --demo: %d %s", resp.StatusCode, body)
	}
	plain.stop(t)

	other := strings.Repeat("5a", 32)
	wrong := startServe(t, dir, nil, "--secret-key", other)
	if wrong.base != "" {
		t.Fatal("serve started with another secret key")
	}
	demoKey, err := readSecretFile(dir + "/" + demoSecretFile)
	if err != nil {
		t.Fatal(err)
	}
	otherKey, _ := parseSecret(other)
	for _, want := range []string{secretkey.Fingerprint(demoKey), secretkey.Fingerprint(otherKey), "wenming secret rotate"} {
		if !strings.Contains(wrong.logs.String(), want) {
			t.Errorf("the refusal does not say %q:\n%s", want, wrong.logs)
		}
	}
	if strings.Contains(wrong.logs.String(), other) || strings.Contains(wrong.logs.String(), hex.EncodeToString(demoKey)) {
		t.Errorf("the refusal prints a key:\n%s", wrong.logs)
	}
}

func TestSecretRotateMovesTheDatabaseToTheNewKey(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := migrated(t)
	oldHex, newHex := strings.Repeat("0f", 32), strings.Repeat("f0", 32)
	oldKey, _ := parseSecret(oldHex)
	newKey, _ := parseSecret(newHex)
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := secretkey.Settle(ctx, db, secretkey.Candidate{Key: oldKey, Source: secretkey.SourceFlag}, nil, time.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Bad input changes nothing.
	for _, args := range [][]string{
		{"secret", "rotate", "--db", dsn, "--secret-key", oldHex},
		{"secret", "rotate", "--db", dsn, "--secret-key", oldHex, "--new-secret-key", "short"},
		{"secret", "rotate", "--db", dsn, "--secret-key", newHex, "--new-secret-key", oldHex},
		{"secret", "rotate", "--db", dsn, "--secret-key", oldHex, "--new-secret-key", oldHex},
	} {
		if err := run(ctx, args, io.Discard, io.Discard); err == nil {
			t.Errorf("wenming %v succeeded", args)
		}
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"secret", "rotate", "--db", dsn, "--secret-key", oldHex, "--new-secret-key", newHex}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), secretkey.Fingerprint(newKey)) || !strings.Contains(out.String(), "contacts re-encrypted: 0") {
		t.Errorf("rotate printed:\n%s", out.String())
	}
	db, err = store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rec, _, err := secretkey.Recorded(ctx, db.W)
	if err != nil || rec.Fingerprint != secretkey.Fingerprint(newKey) {
		t.Fatalf("recorded %+v, %v; want the new key's fingerprint", rec, err)
	}
}

// serve waits for a PostgreSQL that is out of reach at start (--db-wait),
// unready meanwhile, and serves once it answers.
func TestServeWaitsForTheDatabase(t *testing.T) {
	t.Parallel()
	dsn := storetest.PostgresDSN(t)
	if dsn == "" {
		t.Skip(storetest.PostgresURLEnv + " is not set")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	proxy, err := faultproxy.Start(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer proxy.Close()
	u.Host = proxy.Addr()
	proxy.Cut()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", u.String(), "--db-wait", "5m", "--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0"},
			io.Discard, logs)
	}()
	waitLog(t, logs, "waiting for the database", done)
	if err := proxy.Restore(); err != nil {
		t.Fatal(err)
	}
	m := waitLog(t, logs, `msg=serving .*http=(\S+)`, done)
	waitHTTPReady(t, "http://"+m[1])
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}

	// Past --db-wait it gives up, saying why.
	proxy.Cut()
	err = run(context.Background(), []string{"serve", "--db", u.String(), "--db-wait", "1s", "--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0"},
		io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--db-wait") || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("serve with the database cut past --db-wait: %v", err)
	}
}

// waitLog waits until logs match pattern (returning the match) or serve
// ends.
func waitLog(t *testing.T, logs *syncBuffer, pattern string, done chan error) []string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if m := re.FindStringSubmatch(logs.String()); m != nil {
			return m
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended (%v) before logging %q:\n%s", err, pattern, logs)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q in the log:\n%s", pattern, logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
