package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/tracing"
)

// spanNamed waits until rec holds an ended span called name and returns it.
func spanNamed(t *testing.T, rec *tracetest.SpanRecorder, name string) sdktrace.ReadOnlySpan {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, s := range rec.Ended() {
			if s.Name() == name {
				return s
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	var names []string
	for _, s := range rec.Ended() {
		names = append(names, s.Name())
	}
	t.Fatalf("no span %q; spans: %v", name, names)
	return nil
}

func attr(s sdktrace.ReadOnlySpan, key string) string {
	for _, a := range s.Attributes() {
		if string(a.Key) == key {
			return a.Value.String()
		}
	}
	return ""
}

// With a tracer provider, a gRPC call, an HTTP request through the gateway
// (one trace from the HTTP span down to the gRPC server span) and a
// database transaction each produce spans, carrying the request id; the
// access-log line names the trace.
func TestCallsProduceSpans(t *testing.T) {
	t.Parallel()
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	h := start(t, Config{TracerProvider: tp})

	ctx := metadata.AppendToOutgoingContext(context.Background(),
		"authorization", "Bearer "+h.kiosk, "x-request-id", "trace-test-grpc")
	if err := h.conn.Invoke(ctx, "/"+probeService+"/Public", &emptypb.Empty{}, &emptypb.Empty{}); err != nil {
		t.Fatal(err)
	}
	g := spanNamed(t, rec, probeService+"/Public")
	if g.SpanKind() != trace.SpanKindServer || attr(g, string(tracing.RequestIDKey)) != "trace-test-grpc" {
		t.Errorf("gRPC span: kind %v, request id %q", g.SpanKind(), attr(g, string(tracing.RequestIDKey)))
	}

	req, _ := http.NewRequest(http.MethodGet, "http://"+h.srv.HTTPAddr()+"/v1/open-contests", nil)
	req.Header.Set("Authorization", "Bearer "+h.kiosk)
	req.Header.Set("X-Request-Id", "trace-test-http")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /v1/open-contests = %d", resp.StatusCode)
	}
	hs := spanNamed(t, rec, "GET /v1/open-contests")
	inner := spanNamed(t, rec, "wenming.quiz.v1.PlayService/ListOpenContests")
	if hs.SpanKind() != trace.SpanKindServer || attr(hs, "http.route") != "/v1/open-contests" ||
		attr(hs, string(tracing.RequestIDKey)) != "trace-test-http" {
		t.Errorf("HTTP span: kind %v, route %q, request id %q", hs.SpanKind(), attr(hs, "http.route"), attr(hs, string(tracing.RequestIDKey)))
	}
	if inner.SpanContext().TraceID() != hs.SpanContext().TraceID() || inner.SpanKind() != trace.SpanKindServer {
		t.Errorf("the gateway's gRPC call is not in the HTTP request's trace (%s vs %s)",
			inner.SpanContext().TraceID(), hs.SpanContext().TraceID())
	}
	if !h.logsContain("trace_id=" + hs.SpanContext().TraceID().String()) {
		t.Errorf("no access-log line names trace %s:\n%s", hs.SpanContext().TraceID(), h.logs.String())
	}

	if err := h.srv.db.WithTx(context.Background(), func(*store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	d := spanNamed(t, rec, "db.transaction")
	if attr(d, "db.system.name") != "sqlite" || d.SpanKind() != trace.SpanKindClient {
		t.Errorf("db span: system %q, kind %v", attr(d, "db.system.name"), d.SpanKind())
	}
}

// logsContain polls the server log: the access line is written after the
// reply has gone out.
func (h *harness) logsContain(s string) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(h.logs.String(), s) {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}
