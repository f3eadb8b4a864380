package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/logging"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/tracing"
)

// requestIDHeader carries a caller's request id in and ours out. HTTP
// callers may send X-Request-Id; the gateway forwards it.
const requestIDHeader = "x-request-id"

type requestIDKey struct{}

// RequestID returns the id of the current request ("" outside one).
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func newRequestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// withRequestID takes the caller's id when it is short and printable, or
// makes one, stores it in the context and echoes it in the response header.
func withRequestID(ctx context.Context) context.Context {
	id := ""
	// ValueFromIncomingContext reads one key without copying the whole
	// metadata, which FromIncomingContext does on every call.
	if v := metadata.ValueFromIncomingContext(ctx, requestIDHeader); len(v) > 0 && len(v[0]) <= 64 && printable(v[0]) {
		id = v[0]
	}
	if id == "" {
		id = newRequestID()
	}
	_ = grpc.SetHeader(ctx, metadata.Pairs(requestIDHeader, id))
	tracing.SetRequestID(ctx, id)
	return context.WithValue(ctx, requestIDKey{}, id)
}

func printable(s string) bool {
	for _, r := range s {
		if r < 0x21 || r > 0x7e {
			return false
		}
	}
	return s != ""
}

func requestIDUnary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	return next(withRequestID(ctx), req)
}

func requestIDStream(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, next grpc.StreamHandler) error {
	return next(srv, &ctxStream{ServerStream: ss, ctx: withRequestID(ss.Context())})
}

type ctxStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *ctxStream) Context() context.Context { return s.ctx }

// slogLogger adapts slog to the go-grpc-middleware logging interceptor.
func slogLogger(l *slog.Logger) logging.Logger {
	return logging.LoggerFunc(func(ctx context.Context, lvl logging.Level, msg string, fields ...any) {
		l.Log(ctx, slog.Level(lvl), msg, fields...)
	})
}

// callLevel logs a successful call at DEBUG and the rest as the
// middleware's defaults do (client errors INFO, server errors WARN/ERROR):
// a QR-code burst of thousands of ratings a second should not write
// thousands of log lines, and /metrics counts every call by method and
// code. --log-level debug shows every call.
func callLevel(c codes.Code) logging.Level {
	if c == codes.OK {
		return logging.LevelDebug
	}
	return logging.DefaultServerCodeToLevel(c)
}

// logFields adds the request id to a call's log line and, for unary
// calls (see logUnary), its duration.
func logFields(ctx context.Context) logging.Fields {
	var f logging.Fields
	if id := RequestID(ctx); id != "" {
		f = append(f, "request_id", id)
	}
	if start, ok := ctx.Value(callStartKey{}).(time.Time); ok {
		f = append(f, logging.DurationToTimeMillisFields(time.Since(start))...)
	}
	return f
}

type callStartKey struct{}

// logUnary logs finished unary calls with go-grpc-middleware's logging
// interceptor, but shows it only the calls that will be printed. That
// interceptor builds a dozen fields (method, peer, start time, …) for
// every call before the logger's level drops the line; with successful
// calls at DEBUG this was 10 % of the server's CPU in a rating burst, for
// no output (CPU profile under ghz load, docs/performance.md). So below
// DEBUG the call runs first, and only a failure that will be printed is
// replayed through the interceptor afterwards. The duration is taken from
// the call's own start in both cases (logFields), since the interceptor
// would time only the replay; the start goes into the context only of a
// call that will be logged, so an unlogged call costs no context layer.
func logUnary(l *slog.Logger, opts ...logging.Option) grpc.UnaryServerInterceptor {
	opts = append(opts, logging.WithDurationField(func(time.Duration) logging.Fields { return nil }))
	lib := logging.UnaryServerInterceptor(slogLogger(l), opts...)
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		start := time.Now()
		if l.Enabled(ctx, slog.LevelDebug) {
			return lib(context.WithValue(ctx, callStartKey{}, start), req, info, next)
		}
		resp, err := next(ctx, req)
		if err == nil || !l.Enabled(ctx, slog.Level(callLevel(status.Code(err)))) || loggedByMapper(err) {
			return resp, err
		}
		return lib(context.WithValue(ctx, callStartKey{}, start), req, info,
			func(context.Context, any) (any, error) { return resp, err })
	}
}

// loggedByMapper reports whether the error mapper has logged err's kind
// already (rate-limited): a call line per failure would undo the limit.
func loggedByMapper(err error) bool {
	return status.Code(err) == codes.DeadlineExceeded || apierr.ReasonOf(err) == apierr.DatabaseUnavailable
}

// errorMapper is the one place an error becomes what the caller sees: a
// refusal (*apierr.Error) keeps its code and reason; a database conflict
// becomes ABORTED so the client retries; anything else is INTERNAL, its
// cause logged with the request id; callers never see SQL or other
// internal text.
//
// A database out of reach (store.Unavailable) is UNAVAILABLE with reason
// DATABASE_UNAVAILABLE and a retry hint, and a call whose deadline ran out
// is DEADLINE_EXCEEDED; both are logged through outages/deadlines, one
// line per kind of failure per interval, not one per call.
type errorMapper struct {
	log       *slog.Logger
	outages   *failLog // database out of reach, ERROR
	deadlines *failLog // calls that ran out of time, WARN
}

func newErrorMapper(l *slog.Logger, now func() time.Time) errorMapper {
	return errorMapper{log: l,
		outages:   newFailLog(l, slog.LevelError, failLogEvery, now),
		deadlines: newFailLog(l, slog.LevelWarn, failLogEvery, now),
	}
}

// dbRetryAfter is the retry hint of DATABASE_UNAVAILABLE: about how often
// the readiness probe looks, so a retry after it meets a fresh verdict.
const dbRetryAfter = 2 * time.Second

func (m errorMapper) mapErr(ctx context.Context, method string, err error) error {
	if err == nil || apierr.IsRefusal(err) {
		return err
	}
	if store.IsConflict(err) {
		return apierr.Aborted(apierr.TransactionConflict, "the request conflicted with a concurrent one; retry")
	}
	if _, ok := status.FromError(err); ok {
		return err // a status from gRPC or a library interceptor
	}
	// The call's own deadline explains a stalled database better than
	// whatever the driver made of its connection being cut short.
	switch cerr := ctx.Err(); {
	case errors.Is(err, context.Canceled) || errors.Is(cerr, context.Canceled):
		return status.Error(codes.Canceled, "request canceled")
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(cerr, context.DeadlineExceeded):
		m.deadlines.add(ctx, "calls ran out of time", "method", method, "request_id", RequestID(ctx), "error", err)
		return status.Error(codes.DeadlineExceeded, "deadline exceeded: the call took longer than it may (the database may be slow or stalled); retry later")
	}
	if kind, ok := store.Unavailable(err); ok {
		id := RequestID(ctx)
		m.outages.add(ctx, kind, "method", method, "request_id", id, "error", err)
		return apierr.Unavailable(apierr.DatabaseUnavailable, dbRetryAfter,
			"the database cannot be reached just now; retry in a few seconds with the same request_id (request id %s)", id)
	}
	id := RequestID(ctx)
	m.log.ErrorContext(ctx, "internal error", "method", method, "request_id", id, "error", err)
	return status.Errorf(codes.Internal, "internal error; quote request id %s when reporting it", id)
}

func (m errorMapper) unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	resp, err := next(ctx, req)
	return resp, m.mapErr(ctx, info.FullMethod, err)
}

func (m errorMapper) stream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
	return m.mapErr(ss.Context(), info.FullMethod, next(srv, ss))
}

// recovered logs a handler panic with its stack; the caller gets INTERNAL
// and the process keeps serving.
func (m errorMapper) recovered(ctx context.Context, p any) error {
	id := RequestID(ctx)
	m.log.ErrorContext(ctx, "panic in handler", "request_id", id, "panic", p, "stack", string(debug.Stack()))
	return status.Errorf(codes.Internal, "internal error; quote request id %s when reporting it", id)
}
