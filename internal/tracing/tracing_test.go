package tracing

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// With OTEL_EXPORTER_OTLP_ENDPOINT set, spans reach an OTLP/HTTP receiver
// (here a stand-in that decodes what it is sent) with the service's name.
func TestExportsToTheOTLPEndpoint(t *testing.T) {
	var (
		mu   sync.Mutex
		got  []string
		name string
	)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req coltracepb.ExportTraceServiceRequest
		if r.URL.Path != "/v1/traces" || proto.Unmarshal(body, &req) != nil {
			http.Error(w, "not a trace export", http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, rs := range req.GetResourceSpans() {
			for _, a := range rs.GetResource().GetAttributes() {
				if a.GetKey() == "service.name" {
					name = a.GetValue().GetStringValue()
				}
			}
			for _, ss := range rs.GetScopeSpans() {
				for _, s := range ss.GetSpans() {
					got = append(got, s.GetName())
				}
			}
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
		out, _ := proto.Marshal(&coltracepb.ExportTraceServiceResponse{})
		_, _ = w.Write(out)
	}))
	defer receiver.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.URL)
	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
	t.Setenv("OTEL_SERVICE_NAME", "")
	ctx := context.Background()
	tp, stop, err := FromEnv(ctx, "v-test")
	if err != nil || tp == nil {
		t.Fatalf("FromEnv = %v, %v", tp, err)
	}
	_, span := tp.Tracer("test").Start(ctx, "GET /v1/open-contests")
	span.End()
	if err := stop(ctx); err != nil { // flushes
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0] != "GET /v1/open-contests" || name != "wenming" {
		t.Errorf("receiver got spans %v from service %q", got, name)
	}
}

func TestNothingWithoutAnEndpoint(t *testing.T) {
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "")
	t.Setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "")
	tp, stop, err := FromEnv(context.Background(), "v-test")
	if tp != nil || err != nil || stop(context.Background()) != nil {
		t.Errorf("FromEnv without an endpoint = %v, %v", tp, err)
	}
}

func TestEnabledFollowsTheStandardVariables(t *testing.T) {
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	if Enabled(get) {
		t.Error("enabled with no OTEL_* set")
	}
	env["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "http://127.0.0.1:4318/v1/traces"
	if !Enabled(get) {
		t.Error("disabled with a traces endpoint")
	}
	env["OTEL_SDK_DISABLED"] = "true"
	if Enabled(get) {
		t.Error("enabled with OTEL_SDK_DISABLED=true")
	}
}
