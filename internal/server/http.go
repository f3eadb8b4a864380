package server

import (
	"context"
	"net"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/encoding/protojson"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	reflectionv1 "google.golang.org/grpc/reflection/grpc_reflection_v1"
	reflectionv1alpha "google.golang.org/grpc/reflection/grpc_reflection_v1alpha"

	"github.com/wenming/wenming/internal/apidoc"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/tabular"
	"github.com/wenming/wenming/internal/tracing"
	"github.com/wenming/wenming/internal/web"
)

// infraPolicy opens health checks and reflection to every caller: load
// balancers need them without a key, grpcurl sends whatever key it was
// given, and neither reveals data.
var infraPolicy = auth.Policy{
	healthpb.Health_Check_FullMethodName:                                   auth.Anyone(),
	healthpb.Health_Watch_FullMethodName:                                   auth.Anyone(),
	healthpb.Health_List_FullMethodName:                                    auth.Anyone(),
	reflectionv1.ServerReflection_ServerReflectionInfo_FullMethodName:      auth.Anyone(),
	reflectionv1alpha.ServerReflection_ServerReflectionInfo_FullMethodName: auth.Anyone(),
}

// newGateway connects a grpc-gateway mux to the gRPC server through the
// in-process listener, so HTTP calls pass the same interceptors.
func newGateway(lis *bufconn.Listener, mods []rpc.Service, tp trace.TracerProvider) (*runtime.ServeMux, *grpc.ClientConn, error) {
	opts := []grpc.DialOption{
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
	}
	if tp != nil {
		// Carries the HTTP request's trace into the gRPC call, so a
		// gateway call is one trace: HTTP server → gRPC client → server.
		opts = append(opts, grpc.WithStatsHandler(otelgrpc.NewClientHandler(
			otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(tracing.Propagator))))
	}
	conn, err := grpc.NewClient("passthrough:///wenming-inproc", opts...)
	if err != nil {
		return nil, nil, err
	}
	jsonpb := &runtime.JSONPb{
		MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: true},
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
	}
	mux := runtime.NewServeMux(
		runtime.WithIncomingHeaderMatcher(incomingHeader),
		runtime.WithMetadata(gatewayMetadata),
		runtime.WithErrorHandler(gatewayError),
		runtime.WithMarshalerOption(runtime.MIMEWildcard, jsonpb),
		runtime.WithMarshalerOption(csvMIME, csvMarshaler{jsonpb}),
		runtime.WithMarshalerOption(tabular.XLSXType, xlsxMarshaler{jsonpb}),
	)
	for _, m := range mods {
		if m.Gateway == nil {
			continue
		}
		if err := m.Gateway(context.Background(), mux, conn); err != nil {
			conn.Close()
			return nil, nil, err
		}
	}
	return mux, conn, nil
}

// incomingHeader forwards the headers our interceptors read; everything
// else follows the gateway's default rules.
func incomingHeader(key string) (string, bool) {
	switch k := textproto.CanonicalMIMEHeaderKey(key); k {
	case "Authorization":
		return "authorization", true
	case "X-Request-Id":
		return requestIDHeader, true
	default:
		// Grpc-Metadata-X-Forwarded-For and friends would let an HTTP
		// caller forge what the server believes about it.
		if rest, ok := strings.CutPrefix(k, runtime.MetadataHeaderPrefix); ok {
			switch strings.ToLower(rest) {
			case "x-forwarded-for", "x-forwarded-host", "authorization", requestIDHeader, clientAddrMD:
				return "", false
			}
		}
	}
	return runtime.DefaultHeaderMatcher(key)
}

func (s *Server) httpHandler(gw http.Handler, apps []web.App) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{}))
	mux.Handle("/v1/", gw)
	for _, app := range apps {
		for _, p := range app.Patterns {
			mux.Handle(p, web.Secure(app.Handler))
		}
	}
	if err := apidoc.Register(mux, s.cfg.Build.Version); err != nil {
		panic(err) // the embedded document is checked by apidoc's tests
	}
	return withCORS(mux, s.cfg.CORSOrigins)
}

// readyz is 200 only when the schema is current, the database answered
// the last probe and the process is not draining: the same verdict as
// gRPC health (probe.go).
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if ok, reason := s.serving(); !ok {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("not ready: " + reason + "\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}
