// Package faults runs real `wenming serve` processes, kills them with
// SIGKILL under a mixed write load that carries a request id on every
// call, and checks afterwards that nothing acknowledged was lost or
// written twice. bench/cmd/crashtest (kill and restart, N times) and the
// two-replica test in this package share it.
package faults

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" driver for creating scratch databases

	"github.com/wenming/wenming/bench/internal/benchenv"
)

// Build compiles cmd/wenming into dir and returns the binary's path. It
// runs in the module's root, found from the working directory.
func Build(ctx context.Context, dir string) (string, error) {
	root, err := benchenv.ModuleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "wenming")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/wenming")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/wenming: %w\n%s", err, out)
	}
	return bin, nil
}

// Database is a fresh database of one backend for one run.
type Database struct {
	Backend string // "sqlite" or "postgres"
	DSN     string
	drop    func()
}

// NewDatabase makes an empty database: a file in dir for SQLite, a new
// database named wenming_faults_<time> on the server of pgBase for
// PostgreSQL (dropped by Close).
func NewDatabase(ctx context.Context, backend, dir, pgBase string) (*Database, error) {
	switch backend {
	case "sqlite":
		return &Database{Backend: backend, DSN: "sqlite:" + filepath.Join(dir, "wenming.db"), drop: func() {}}, nil
	case "postgres":
		admin, err := sql.Open("pgx", pgBase)
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("wenming_faults_%d", time.Now().UnixNano())
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			admin.Close()
			return nil, fmt.Errorf("create database: %w", err)
		}
		u, err := url.Parse(pgBase)
		if err != nil {
			admin.Close()
			return nil, err
		}
		u.Path = "/" + name
		q := u.Query()
		q.Del("search_path")
		u.RawQuery = q.Encode()
		return &Database{Backend: backend, DSN: u.String(), drop: func() {
			_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
			admin.Close()
		}}, nil
	}
	return nil, fmt.Errorf("faults: unknown backend %q: want sqlite or postgres", backend)
}

// Close drops a PostgreSQL database; the SQLite file goes with its directory.
func (d *Database) Close() { d.drop() }

// Keys creates one key per role the load needs with `wenming apikey
// create` (the database must be migrated).
func Keys(ctx context.Context, bin, dsn string) (map[string]string, error) {
	keys := map[string]string{}
	for _, role := range []string{"admin", "kiosk", "inspector"} {
		out, err := exec.CommandContext(ctx, bin, "apikey", "create", "--db", dsn, "--role", role, "--name", "faults-"+role).Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				err = fmt.Errorf("%w: %s", err, ee.Stderr)
			}
			return nil, fmt.Errorf("apikey create --role %s: %w", role, err)
		}
		keys[role] = strings.TrimSpace(string(out))
	}
	return keys, nil
}

// Migrate runs `wenming migrate`.
func Migrate(ctx context.Context, bin, dsn string) error {
	if out, err := exec.CommandContext(ctx, bin, "migrate", "--db", dsn).CombinedOutput(); err != nil {
		return fmt.Errorf("wenming migrate: %w\n%s", err, out)
	}
	return nil
}

// NewSecret returns a random --secret-key; every replica of one database
// must be given the same one.
func NewSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Server is one running `wenming serve`.
type Server struct {
	Name     string
	GRPCAddr string
	HTTPAddr string
	Log      string
	cmd      *exec.Cmd
	done     chan error
}

// Start launches `wenming serve` on free loopback ports with its log in
// logDir and returns at once; Ready waits until it serves.
func Start(bin, name, dsn, secret, logDir string, extra ...string) (*Server, error) {
	s := &Server{Name: name, Log: filepath.Join(logDir, name+".log"), done: make(chan error, 1)}
	var err error
	if s.GRPCAddr, err = benchenv.FreeAddr(); err != nil {
		return nil, err
	}
	if s.HTTPAddr, err = benchenv.FreeAddr(); err != nil {
		return nil, err
	}
	lf, err := os.OpenFile(s.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	args := append([]string{"serve", "--db", dsn, "--grpc-addr", s.GRPCAddr, "--http-addr", s.HTTPAddr,
		"--secret-key", secret, "--log-format", "json", "--timezone", ServerZone}, extra...)
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = lf, lf
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		lf.Close()
		return nil, err
	}
	go func() {
		s.done <- s.cmd.Wait()
		lf.Close()
	}()
	return s, nil
}

// Ready waits until /readyz answers 200, the process ends or ctx ends.
func (s *Server) Ready(ctx context.Context) error {
	for {
		select {
		case err := <-s.done:
			s.done <- err
			return fmt.Errorf("%s exited before it was ready: %v (log: %s)", s.Name, err, s.Log)
		default:
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+s.HTTPAddr+"/readyz", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not ready: %w (log: %s)", s.Name, ctx.Err(), s.Log)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Kill ends the process with SIGKILL and waits for it.
func (s *Server) Kill() {
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	err := <-s.done
	s.done <- err
}

// Stop ends the process with SIGTERM (SIGKILL after 20 s) and waits.
func (s *Server) Stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.done <- err
	case <-time.After(20 * time.Second):
		s.Kill()
	}
}

// ServerZone is the time zone the harness's servers run in: the quiz's
// per-day participation is rebuilt in it.
const ServerZone = "Asia/Shanghai"
