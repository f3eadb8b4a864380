package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx" driver for creating scratch databases
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/wenming/wenming/bench/internal/benchenv"
)

// server is one running wenming on a fresh database.
type server struct {
	backend  string
	name     string // backend, or backend+" "+extra serve flags
	dsn      string
	grpcAddr string
	httpAddr string
	proc     *process
	conn     *grpc.ClientConn
	keys     map[string]string // role → key
	dropDB   func()
}

// scratchPG creates a fresh database named prefix_<time> on the server of
// baseURL and returns its URL and a function that drops it.
func scratchPG(ctx context.Context, baseURL, prefix string) (string, func(), error) {
	admin, err := sql.Open("pgx", baseURL)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("%s_%d", prefix, time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database on %s: %w", redactURL(baseURL), err)
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		_, _ = admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	}
	return u.String(), drop, nil
}

func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "?"
}

// startCount numbers the SQLite databases of a run: each start gets a fresh one.
var startCount int

// startWenming migrates a fresh database of the backend, creates admin,
// kiosk and analyst keys with `wenming apikey create`, starts `wenming
// serve` on free loopback ports and waits until /readyz answers.
func startWenming(ctx context.Context, cfg *config, bins binaries, backend string, extra ...string) (*server, error) {
	s := &server{backend: backend, name: strings.TrimSpace(backend + " " + strings.Join(extra, " ")),
		keys: map[string]string{}, dropDB: func() {}}
	switch backend {
	case "sqlite":
		startCount++
		s.dsn = "sqlite:" + filepath.Join(cfg.work, fmt.Sprintf("wenming-%d.db", startCount))
	case "postgres":
		dsn, drop, err := scratchPG(ctx, cfg.pgURL, "wenming_bench")
		if err != nil {
			return nil, err
		}
		s.dsn, s.dropDB = dsn, drop
	}
	if err := runCmd(ctx, cfg.work, nil, bins.wenming, "migrate", "--db", s.dsn); err != nil {
		s.close()
		return nil, err
	}
	for _, role := range []string{"admin", "kiosk", "analyst"} {
		out, err := output(ctx, cfg.work, nil, bins.wenming, "apikey", "create", "--db", s.dsn, "--role", role, "--name", "bench-"+role)
		if err != nil {
			s.close()
			return nil, err
		}
		s.keys[role] = strings.TrimSpace(string(out))
	}
	var err error
	if s.grpcAddr, err = benchenv.FreeAddr(); err != nil {
		return nil, err
	}
	if s.httpAddr, err = benchenv.FreeAddr(); err != nil {
		return nil, err
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	args := append([]string{"serve", "--db", s.dsn, "--grpc-addr", s.grpcAddr, "--http-addr", s.httpAddr,
		"--secret-key", hex.EncodeToString(secret), "--log-format", "json"}, append(cfg.serveArgs, extra...)...)
	s.proc, _, err = start(cfg, "wenming-"+strings.NewReplacer(" ", "", "-", "").Replace(s.name), false, bins.wenming, args...)
	if err != nil {
		s.close()
		return nil, err
	}
	if err := waitReady(ctx, s.proc, "http://"+s.httpAddr+"/readyz"); err != nil {
		s.close()
		return nil, err
	}
	s.conn, err = grpc.NewClient(s.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		s.close()
		return nil, err
	}
	logf("wenming on %s ready (gRPC %s, HTTP %s)", s.name, s.grpcAddr, s.httpAddr)
	return s, nil
}

// as returns ctx carrying the key of role.
func (s *server) as(ctx context.Context, role string) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+s.keys[role])
}

func (s *server) close() {
	if s.conn != nil {
		s.conn.Close()
	}
	s.proc.stop()
	s.dropDB()
}
