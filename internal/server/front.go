package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/wenming/wenming/internal/clientaddr"
	"github.com/wenming/wenming/internal/tracing"
)

// httpCall is what the HTTP front learns about one request while it runs:
// the gateway fills in the route, the body reader notes an oversized body.
type httpCall struct {
	client   string
	route    string
	maxBody  int64
	tooLarge bool
}

type httpCallKey struct{}

func callOf(ctx context.Context) *httpCall {
	c, _ := ctx.Value(httpCallKey{}).(*httpCall)
	return c
}

// front wraps every HTTP request: it resolves the client address (behind
// --trusted-proxies), gives the request an id, caps the body before any
// of it is read, and writes one access-log line when the reply is done.
func (s *Server) front(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		call := &httpCall{
			client:  s.cfg.TrustedProxies.Client(hostOnly(r.RemoteAddr), r.Header.Values("X-Forwarded-For")),
			maxBody: s.cfg.MaxBody,
		}
		https := s.cfg.TrustedProxies.HTTPS(hostOnly(r.RemoteAddr), r.TLS != nil, r.Header.Values("X-Forwarded-Proto"))
		// The gateway would forward these; the client address travels
		// resolved instead (clientAddrMD), the scheme in the context.
		r.Header.Del("X-Forwarded-For")
		r.Header.Del("X-Forwarded-Proto")
		id := r.Header.Get("X-Request-Id")
		if len(id) > 64 || !printable(id) {
			id = newRequestID()
			r.Header.Set("X-Request-Id", id)
		}
		w.Header().Set("X-Request-Id", id)
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		r = r.WithContext(clientaddr.WithHTTPS(clientaddr.With(context.WithValue(r.Context(), httpCallKey{}, call), call.client), https))

		if r.ContentLength > s.cfg.MaxBody {
			writeTooLarge(rec, s.cfg.MaxBody)
		} else {
			if r.Body != nil && r.Body != http.NoBody {
				r.Body = &cappedBody{ReadCloser: http.MaxBytesReader(rec, r.Body, s.cfg.MaxBody), call: call}
			}
			next.ServeHTTP(rec, r)
		}
		route := call.route
		if route == "" {
			route = r.Pattern
		}
		level := slog.LevelInfo
		// 503 is "not now" (draining, database out of reach): expected
		// answers whose cause the prober and the error mapper log once.
		if rec.status >= 500 && rec.status != http.StatusServiceUnavailable {
			level = slog.LevelWarn
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method), slog.String("route", route), slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes), slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.String("client", call.client), slog.String("request_id", id),
		}
		if span := trace.SpanFromContext(r.Context()); span.IsRecording() {
			span.SetName(r.Method + " " + route)
			span.SetAttributes(attribute.String("http.route", route), tracing.RequestIDKey.String(id))
		}
		if tid := tracing.TraceID(r.Context()); tid != "" {
			attrs = append(attrs, slog.String("trace_id", tid))
		}
		s.log.LogAttrs(r.Context(), level, "http", attrs...)
	})
}

// cappedBody notes in the call that the body went over --max-body, so the
// gateway's error handler answers 413 rather than a decoding error.
type cappedBody struct {
	io.ReadCloser
	call *httpCall
}

func (b *cappedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		b.call.tooLarge = true
	}
	return n, err
}

// recorder remembers the status and size of a reply for the access log.
type recorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wroteHeader = true
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flush,
// deadlines).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// writeTooLarge answers 413 with the gateway's JSON error shape.
func writeTooLarge(w http.ResponseWriter, limit int64) {
	st := status.New(codes.ResourceExhausted, fmt.Sprintf("the request body is larger than the limit of %d bytes", limit))
	body, _ := protojson.Marshal(st.Proto())
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Connection", "close")
	w.WriteHeader(http.StatusRequestEntityTooLarge)
	_, _ = w.Write(body)
}

// gatewayMetadata passes the resolved client address to the gRPC side
// and tells the access log which route matched.
func gatewayMetadata(ctx context.Context, r *http.Request) metadata.MD {
	call := callOf(r.Context())
	if call == nil {
		return nil
	}
	if p, ok := runtime.HTTPPathPattern(ctx); ok {
		call.route = p
	}
	return metadata.Pairs(clientAddrMD, call.client)
}

// gatewayError is the gateway's error handler: an oversized body is 413,
// and a status with a retry hint carries Retry-After; everything else is
// the gateway's usual mapping.
func gatewayError(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	if call := callOf(r.Context()); call != nil && call.tooLarge {
		writeTooLarge(w, call.maxBody)
		return
	}
	if st, ok := status.FromError(err); ok {
		if ra := retryAfter(st); ra != "" {
			w.Header().Set("Retry-After", ra)
		}
	}
	runtime.DefaultHTTPErrorHandler(ctx, mux, m, w, r, err)
}
