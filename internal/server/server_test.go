package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/logging"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store/storetest"
)

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

type harness struct {
	srv    *Server
	conn   *grpc.ClientConn
	probe  *probe
	logs   *syncBuffer
	kiosk  string
	cancel context.CancelFunc
	done   chan error
}

func start(t *testing.T, cfg Config) *harness {
	t.Helper()
	return startLogging(t, cfg, slog.LevelInfo)
}

// startLogging is start with the server's log at the given level.
func startLogging(t *testing.T, cfg Config, level slog.Level) *harness {
	t.Helper()
	db := storetest.SQLite(t)
	logs := &syncBuffer{}
	p := &probe{release: make(chan struct{}), entered: make(chan struct{})}
	cfg.GRPCAddr, cfg.HTTPAddr = "127.0.0.1:0", "127.0.0.1:0"
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: level}))
	cfg.Extra = append(cfg.Extra, p.service())
	srv, err := New(cfg, rpc.Deps{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &harness{srv: srv, probe: p, logs: logs, cancel: cancel, done: make(chan error, 1)}
	go func() { h.done <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-h.done
	})
	h.conn, err = grpc.NewClient(srv.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.conn.Close() })
	h.kiosk, _, err = auth.NewKeys(db).Create(context.Background(), auth.Kiosk, "kiosk", "")
	if err != nil {
		t.Fatal(err)
	}
	h.waitHealth(t, healthpb.HealthCheckResponse_SERVING)
	return h
}

func (h *harness) waitHealth(t *testing.T, want healthpb.HealthCheckResponse_ServingStatus) {
	t.Helper()
	client := healthpb.NewHealthClient(h.conn)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{})
		if err == nil && resp.Status == want {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("health never became %v", want)
}

func (h *harness) call(key, method string) error {
	ctx := context.Background()
	if key != "" {
		ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+key)
	}
	return h.conn.Invoke(ctx, "/"+probeService+"/"+method, &emptypb.Empty{}, &emptypb.Empty{})
}

func TestEveryRegisteredMethodHasAnAccessRule(t *testing.T) {
	t.Parallel()
	h := start(t, Config{})
	methods := 0
	for svc, info := range h.srv.grpc.GetServiceInfo() {
		for _, m := range info.Methods {
			methods++
			name := "/" + svc + "/" + m.Name
			if _, ok := h.srv.policy[name]; !ok {
				t.Errorf("%s has no access rule", name)
			}
		}
	}
	if methods < 10 {
		t.Fatalf("only %d methods registered; the walk is not seeing the services", methods)
	}
	// And the other way: no rule names a method that does not exist.
	registered := map[string]bool{}
	for svc, info := range h.srv.grpc.GetServiceInfo() {
		for _, m := range info.Methods {
			registered["/"+svc+"/"+m.Name] = true
		}
	}
	for name := range h.srv.policy {
		if !registered[name] && !strings.HasPrefix(name, "/grpc.") {
			t.Errorf("rule for %s, which is not registered", name)
		}
	}
}

func TestUnguardedMethodIsReported(t *testing.T) {
	t.Parallel()
	p := &probe{}
	svc := p.service()
	delete(svc.Policy, "/"+probeService+"/Fail")
	_, err := New(Config{Extra: []rpc.Service{svc}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))},
		rpc.Deps{DB: storetest.SQLite(t)})
	if err == nil || !strings.Contains(err.Error(), "/wenming.test.Probe/Fail") {
		t.Fatalf("New with an unguarded method: err = %v, want it named", err)
	}
}

func TestAuthBoundaries(t *testing.T) {
	t.Parallel()
	h := start(t, Config{})
	tests := []struct {
		name, key, method string
		want              codes.Code
	}{
		{"no key on a keyed method", "", "Fail", codes.Unauthenticated},
		{"unknown key", "wm_nope", "Fail", codes.Unauthenticated},
		{"no key on a public method", "", "Public", codes.OK},
		{"kiosk key on a public method", h.kiosk, "Public", codes.OK},
	}
	for _, tt := range tests {
		if got := status.Code(h.call(tt.key, tt.method)); got != tt.want {
			t.Errorf("%s: code = %v, want %v", tt.name, got, tt.want)
		}
	}
	ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Basic abc")
	err := h.conn.Invoke(ctx, "/"+probeService+"/Public", &emptypb.Empty{}, &emptypb.Empty{})
	if status.Code(err) != codes.Unauthenticated {
		t.Errorf("malformed authorization header: code = %v, want Unauthenticated", status.Code(err))
	}
}

func TestPanicBecomesInternalAndServerLivesOn(t *testing.T) {
	t.Parallel()
	h := start(t, Config{})
	err := h.call(h.kiosk, "Panic")
	if status.Code(err) != codes.Internal {
		t.Fatalf("panicking handler: code = %v, want Internal", status.Code(err))
	}
	if strings.Contains(err.Error(), "exploded") {
		t.Errorf("panic value leaked to the caller: %v", err)
	}
	if !strings.Contains(h.logs.String(), "probe exploded") {
		t.Errorf("panic was not logged; logs:\n%s", h.logs)
	}
	if err := h.call(h.kiosk, "Public"); err != nil {
		t.Fatalf("server did not survive the panic: %v", err)
	}
}

func TestInternalErrorsAreHiddenAndLoggedWithRequestID(t *testing.T) {
	t.Parallel()
	h := start(t, Config{})
	ctx := metadata.AppendToOutgoingContext(context.Background(),
		"authorization", "Bearer "+h.kiosk, "x-request-id", "trace-123")
	var header metadata.MD
	err := h.conn.Invoke(ctx, "/"+probeService+"/Fail", &emptypb.Empty{}, &emptypb.Empty{}, grpc.Header(&header))
	st := status.Convert(err)
	if st.Code() != codes.Internal || strings.Contains(st.Message(), "secret_table") {
		t.Fatalf("got %v, want INTERNAL without the SQL text", err)
	}
	if !strings.Contains(st.Message(), "trace-123") {
		t.Errorf("message %q does not quote the request id", st.Message())
	}
	if got := header.Get("x-request-id"); len(got) != 1 || got[0] != "trace-123" {
		t.Errorf("x-request-id header = %v, want the caller's id echoed", got)
	}
	if logs := h.logs.String(); !strings.Contains(logs, "secret_table") || !strings.Contains(logs, "request_id=trace-123") {
		t.Errorf("internal cause not logged with the request id; logs:\n%s", logs)
	}
}

func TestHTTPEndpoints(t *testing.T) {
	t.Parallel()
	h := start(t, Config{})
	base := "http://" + h.srv.HTTPAddr()
	if err := h.call(h.kiosk, "Public"); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"/healthz": "ok",
		"/readyz":  "ready",
		"/metrics": `grpc_server_handled_total{grpc_code="OK",grpc_method="Public",grpc_service="wenming.test.Probe",grpc_type="unary"} 1`,
	} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("GET %s = %d, body lacks %q:\n%.2000s", path, resp.StatusCode, want, body)
		}
	}
}

func TestNotReadyUntilMigrated(t *testing.T) {
	t.Parallel()
	db := storetest.SQLite(t)
	// A database whose schema is one migration short.
	if _, err := db.W.Exec(`DELETE FROM goose_db_version WHERE version_id = (SELECT MAX(version_id) FROM goose_db_version)`); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{GRPCAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, rpc.Deps{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get("http://" + srv.HTTPAddr() + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusServiceUnavailable && strings.Contains(string(body), "schema") {
				return
			}
			t.Fatalf("readyz on an unmigrated database = %d %q, want 503", resp.StatusCode, body)
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestShutdownDrainsInFlightCalls(t *testing.T) {
	t.Parallel()
	h := start(t, Config{DrainTimeout: 20 * time.Second})
	result := make(chan error, 1)
	go func() { result <- h.call(h.kiosk, "Block") }()
	<-h.probe.entered

	h.cancel()
	// Asked in process: once draining, the server sends GOAWAY, so a new
	// health call over the old connection may fail instead of answering.
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := h.srv.health.Check(context.Background(), &healthpb.HealthCheckRequest{})
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_NOT_SERVING {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("health never became NOT_SERVING (last %v, %v)", resp, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	select {
	case err := <-h.done:
		t.Fatalf("Serve returned (%v) while a call was in flight", err)
	default:
	}
	close(h.probe.release)
	if err := <-result; err != nil {
		t.Errorf("in-flight call was cut off: %v", err)
	}
	if err := <-h.done; err != nil {
		t.Errorf("Serve after drain = %v, want nil", err)
	}
	h.done <- nil // for the cleanup
}

func TestAnonymousCallersAreThrottledPerAddress(t *testing.T) {
	t.Parallel()
	h := start(t, Config{AnonRatePerMinute: 1, AnonBurst: 3})
	for i := range 3 {
		if err := h.call("", "Public"); err != nil {
			t.Fatalf("anonymous call %d within the burst: %v", i+1, err)
		}
	}
	err := h.call("", "Public")
	if status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("call beyond the burst: %v, want ResourceExhausted", err)
	}
	if err := h.call(h.kiosk, "Public"); err != nil {
		t.Errorf("a keyed caller from the same address was throttled: %v", err)
	}
}

func TestLimiterKeepsAddressesApart(t *testing.T) {
	t.Parallel()
	l := newAnonLimiter(1, 1)
	a, b := Proxies(nil).withClientAddr(peerCtx("10.0.0.1:5000")), Proxies(nil).withClientAddr(peerCtx("10.0.0.2:5000"))
	if err := l.Limit(a); err != nil {
		t.Fatal(err)
	}
	if err := l.Limit(a); err == nil {
		t.Error("second call from 10.0.0.1 was allowed")
	}
	if err := l.Limit(b); err != nil {
		t.Errorf("10.0.0.2 was throttled because of 10.0.0.1: %v", err)
	}
	if err := l.Limit(auth.WithPrincipal(a, auth.Principal{KeyID: "k", Role: auth.Kiosk})); err != nil {
		t.Errorf("keyed caller limited: %v", err)
	}
}

// A successful call is logged only at DEBUG (a rating burst must not write
// a line per rating); a refused one still shows at INFO, with its method,
// code, request id and duration.
func TestSuccessfulCallsAreLoggedOnlyAtDebug(t *testing.T) {
	t.Parallel()
	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		h := startLogging(t, Config{}, level)
		if err := h.call(h.kiosk, "Public"); err != nil {
			t.Fatal(err)
		}
		ctx := metadata.AppendToOutgoingContext(context.Background(),
			"authorization", "Bearer no-such-key", "x-request-id", "trace-401")
		err := h.conn.Invoke(ctx, "/"+probeService+"/Public", &emptypb.Empty{}, &emptypb.Empty{})
		if status.Code(err) != codes.Unauthenticated {
			t.Fatalf("bad key: %v", err)
		}
		logs := h.logs.String()
		if got := strings.Contains(logs, "grpc.code=OK"); got != (level == slog.LevelDebug) {
			t.Errorf("at %v, successful call logged = %v:\n%s", level, got, logs)
		}
		var refused string
		for line := range strings.Lines(logs) {
			if strings.Contains(line, "grpc.code=Unauthenticated") {
				refused = line
			}
		}
		for _, want := range []string{"level=INFO", "grpc.method=Public", "request_id=trace-401", "grpc.time_ms="} {
			if !strings.Contains(refused, want) {
				t.Errorf("at %v, the refused call's line %q lacks %s", level, refused, want)
			}
		}
	}
	if callLevel(codes.OK) != logging.LevelDebug || callLevel(codes.Internal) != logging.LevelError {
		t.Errorf("levels: OK %v, Internal %v", callLevel(codes.OK), callLevel(codes.Internal))
	}
}
