// Package testserver runs the production server, built by server.New, on
// real loopback ports for end-to-end tests, with one API key per role, a
// gRPC client connection and helpers to call the HTTP gateway.
package testserver

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/server"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

// Server is a running wenming for one test.
type Server struct {
	DB   *store.DB
	Conn *grpc.ClientConn
	// BaseURL is the HTTP side, e.g. "http://127.0.0.1:41234".
	BaseURL string
	// Keys holds one key per role.
	Keys map[auth.Role]string
	logs *lockedWriter
}

// Logs returns what the server has logged at WARN and above so far.
func (s *Server) Logs() string {
	s.logs.mu.Lock()
	defer s.logs.mu.Unlock()
	return s.logs.buf.String()
}

// PublicURL is the --public-url every test server runs with (what QR
// codes point at).
const PublicURL = "https://pj.example.test"

// Option adjusts the dependencies a test server is built with.
type Option func(*rpc.Deps)

// WithClock makes the server's domains read the time from now (rpc.Deps.Now),
// so a test can move past a deadline or a due date without touching rows.
func WithClock(now func() time.Time) Option { return func(d *rpc.Deps) { d.Now = now } }

// Each starts a server per storage backend (SQLite, and PostgreSQL when
// configured) and runs fn against each.
func Each(t *testing.T, fn func(t *testing.T, s *Server), opts ...Option) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, Start(t, db, opts...)) })
}

// Start runs a server over db until the test ends.
func Start(t testing.TB, db *store.DB, opts ...Option) *Server {
	t.Helper()
	return StartConfig(t, db, nil, opts...)
}

// StartConfig is Start with the server's configuration adjusted by
// config (e.g. a short CallTimeout or ProbeEvery); nil changes nothing.
func StartConfig(t testing.TB, db *store.DB, config func(*server.Config), opts ...Option) *Server {
	t.Helper()
	logs := &lockedWriter{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	deps := rpc.Deps{DB: db, Location: loc, Logger: logger}
	cfg := server.Config{
		GRPCAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", Migrate: true,
		DrainTimeout: 5 * time.Second, Logger: logger, PublicURL: PublicURL,
		// Tests run with the race detector on shared, busy machines, where
		// 50 concurrent SQLite writes can take longer than the default 10 s.
		CallTimeout: time.Minute,
	}
	for _, o := range opts {
		o(&deps)
	}
	if config != nil {
		config(&cfg)
	}
	srv, err := server.New(cfg, deps)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("server shutdown: %v", err)
		}
	})

	s := &Server{DB: db, BaseURL: "http://" + srv.HTTPAddr(), Keys: map[auth.Role]string{}, logs: logs}
	waitReady(t, s.BaseURL)
	conn, err := grpc.NewClient(srv.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	s.Conn = conn
	for _, r := range auth.Roles {
		s.Keys[r] = s.NewKey(t, r, "")
	}
	return s
}

// NewKey creates another key, e.g. an officer key scoped to a department.
func (s *Server) NewKey(t testing.TB, role auth.Role, scope string) string {
	t.Helper()
	secret, _, err := auth.NewKeys(s.DB).Create(context.Background(), role, "test-"+string(role), scope)
	if err != nil {
		t.Fatal(err)
	}
	return secret
}

func waitReady(t testing.TB, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("server at %s did not become ready", base)
}

// Ctx returns a context whose outgoing gRPC metadata carries the role's key
// ("" role: anonymous).
func (s *Server) Ctx(role auth.Role) context.Context {
	return KeyCtx(s.Keys[role])
}

// KeyCtx returns a context carrying a given key ("" for none).
func KeyCtx(key string) context.Context {
	ctx := context.Background()
	if key == "" {
		return ctx
	}
	return metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+key)
}

// Response is an HTTP reply.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body into a generic map (failing the test if it is not
// a JSON object).
func (r Response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("response is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// Reason is the ErrorInfo reason of an error reply ("" if it has none).
func (r Response) Reason(t testing.TB) apierr.Reason {
	t.Helper()
	var body struct {
		Details []struct {
			Type   string `json:"@type"`
			Reason string `json:"reason"`
			Domain string `json:"domain"`
		} `json:"details"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("error reply is not JSON: %v\n%s", err, r.Body)
	}
	for _, d := range body.Details {
		if strings.HasSuffix(d.Type, "google.rpc.ErrorInfo") && d.Domain == apierr.Domain {
			return apierr.Reason(d.Reason)
		}
	}
	return ""
}

// Do calls the HTTP side with the role's key; body may be nil, a string or
// anything json.Marshal accepts.
func (s *Server) Do(t testing.TB, role auth.Role, method, path string, body any) Response {
	t.Helper()
	return s.DoKey(t, s.Keys[role], method, path, body)
}

// DoKey is Do with an explicit key ("" for none).
func (s *Server) DoKey(t testing.TB, key, method, path string, body any) Response {
	t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, s.BaseURL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if r != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}
