package server

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/net/netutil"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"
)

// Defaults of the limits a public server needs (docs/security.md lists
// each with its flag).
const (
	DefaultMaxBody           = 1 << 20 // --max-body
	DefaultMaxConns          = 4096    // --max-conns, per listener
	DefaultCallTimeout       = 10 * time.Second
	DefaultMaxInflightWrites = 128 // --max-inflight-writes, per write method (a ceiling; see writeGate)

	// A slow client gets this long for its headers and its whole request,
	// an idle keep-alive connection this long before it is closed.
	httpReadHeaderTimeout = 10 * time.Second
	httpReadTimeout       = 30 * time.Second
	httpIdleTimeout       = 30 * time.Second
	// The reply must be written within the call's deadline plus this.
	httpWriteSlack = 10 * time.Second
	maxHeaderBytes = 64 << 10

	// gRPC: streams per connection, and how often a client may ping.
	maxConcurrentStreams = 1024
	grpcHandshakeTimeout = 10 * time.Second
)

func (c *Config) setLimitDefaults() {
	if c.MaxBody <= 0 {
		c.MaxBody = DefaultMaxBody
	}
	if c.MaxConns <= 0 {
		c.MaxConns = DefaultMaxConns
	}
	if c.CallTimeout <= 0 {
		c.CallTimeout = DefaultCallTimeout
	}
	if c.MaxInflightWrites == 0 {
		c.MaxInflightWrites = DefaultMaxInflightWrites
	}
}

// grpcLimitOptions bound what one gRPC client can hold: message size,
// streams per connection, idle connections and ping floods.
func grpcLimitOptions(c Config) []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.MaxRecvMsgSize(int(c.MaxBody)),
		grpc.MaxConcurrentStreams(maxConcurrentStreams),
		grpc.ConnectionTimeout(grpcHandshakeTimeout),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 10 * time.Second, PermitWithoutStream: true}),
		grpc.KeepaliveParams(keepalive.ServerParameters{
			MaxConnectionIdle: 5 * time.Minute,
			Time:              time.Minute,
			Timeout:           20 * time.Second,
		}),
	}
}

// limitListener caps the connections one listener holds at once; further
// clients wait in the kernel's backlog until one closes (the timeouts
// above make sure idle and slow ones do).
func limitListener(l net.Listener, n int) net.Listener { return netutil.LimitListener(l, n) }

// callTimeout gives every unary call a deadline of at most d, whether the
// caller set none or a longer one, so a stalled database cannot hold a
// call (and its connection and goroutine) for ever. Streams (health
// Watch) are long-lived by design and not bounded.
func callTimeout(d time.Duration) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
		ctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		return next(ctx, req)
	}
}

// writeGate bounds the calls of each write method in flight at once. A
// call beyond the bound is refused at once with RESOURCE_EXHAUSTED and a
// retry hint instead of queueing: under a burst the admitted calls keep a
// short latency and the rest know to come back, where a queue would make
// every caller wait seconds. Reads are not gated; they take no write lock.
//
// The bound adapts: calls in flight wait for one another (SQLite has one
// writer), so by Little's law they wait about inflight ÷ throughput. Each
// second, if the calls that finished took longer than writeLatencyTarget
// on average, the gate moves its bound towards the throughput it just saw
// times that target; otherwise back towards the ceiling. The bound stays
// within [minInflightWrites, --max-inflight-writes]: a hall of kiosks is
// always served, a fast method (ratings, group-committed) keeps the
// ceiling, and a slow one on a slow disk admits only what it can finish
// in time. Low demand says nothing about capacity, so it never lowers
// the bound.
type writeGate map[string]*methodGate

// A negative perMethod turns the gate off (load comparisons).
func newWriteGate(g *grpc.Server, perMethod int) writeGate {
	gate := writeGate{}
	if perMethod < 0 {
		return gate
	}
	for svc, info := range g.GetServiceInfo() {
		for _, m := range info.Methods {
			if isWrite(m.Name) && !strings.HasPrefix(svc, "grpc.") {
				gate["/"+svc+"/"+m.Name] = newMethodGate(perMethod, time.Now())
			}
		}
	}
	return gate
}

// isWrite tells writes from reads by the verb that starts an RPC's name.
func isWrite(method string) bool {
	for _, read := range []string{"Get", "List", "Export", "Validate", "Rank"} {
		if strings.HasPrefix(method, read) {
			return false
		}
	}
	return true
}

const (
	writeLatencyTarget = 500 * time.Millisecond
	minInflightWrites  = 64
	gateWindow         = time.Second
)

type methodGate struct {
	ceiling  int64
	inflight atomic.Int64
	limit    atomic.Int64
	done     atomic.Int64 // completions in the current window
	busy     atomic.Int64 // their summed latency, nanoseconds

	mu    sync.Mutex
	since time.Time // start of the current window
}

func newMethodGate(ceiling int, now time.Time) *methodGate {
	g := &methodGate{ceiling: int64(ceiling), since: now}
	g.limit.Store(g.ceiling)
	return g
}

func (g *methodGate) admit(now time.Time) bool {
	g.adjust(now)
	if g.inflight.Add(1) > g.limit.Load() {
		g.inflight.Add(-1)
		return false
	}
	return true
}

func (g *methodGate) release(took time.Duration) {
	g.inflight.Add(-1)
	g.busy.Add(int64(took))
	g.done.Add(1)
}

// adjust closes a window that has run gateWindow: the bound moves halfway
// towards throughput × target if calls were slow (or none finished while
// some were in flight: a stall), else halfway back to the ceiling. A
// window with nothing in flight and nothing done leaves it alone.
func (g *methodGate) adjust(now time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	elapsed := now.Sub(g.since)
	if elapsed < gateWindow {
		return
	}
	done, busy := g.done.Swap(0), time.Duration(g.busy.Swap(0))
	g.since = now
	if done == 0 && g.inflight.Load() == 0 {
		return
	}
	want := g.ceiling
	if done == 0 || busy/time.Duration(done) > writeLatencyTarget {
		want = int64(float64(done) / elapsed.Seconds() * writeLatencyTarget.Seconds())
	}
	want = min(max(want, minInflightWrites), g.ceiling)
	g.limit.Store((g.limit.Load() + want + 1) / 2)
}

func (g writeGate) unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	m, ok := g[info.FullMethod]
	if !ok {
		return next(ctx, req)
	}
	if !m.admit(time.Now()) {
		return nil, retryLater(shedRetryAfter, "the server is busy with %d %s calls; retry in a second",
			m.limit.Load(), info.FullMethod[strings.LastIndexByte(info.FullMethod, '/')+1:])
	}
	start := time.Now()
	defer func() { m.release(time.Since(start)) }()
	return next(ctx, req)
}

// shedRetryAfter is the hint given to a shed call: long enough for the
// burst in flight to clear.
const shedRetryAfter = time.Second

// retryLater is RESOURCE_EXHAUSTED with a google.rpc.RetryInfo detail; the
// HTTP side turns the delay into a Retry-After header.
func retryLater(after time.Duration, format string, args ...any) error {
	st := status.New(codes.ResourceExhausted, fmt.Sprintf(format, args...))
	if d, err := st.WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(after)}); err == nil {
		st = d
	}
	return st.Err()
}

// retryAfter is the Retry-After value (whole seconds, at least 1) for a
// status carrying RetryInfo, or "".
func retryAfter(st *status.Status) string {
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok && ri.GetRetryDelay() != nil {
			secs := int(ri.GetRetryDelay().AsDuration().Round(time.Second) / time.Second)
			return strconv.Itoa(max(secs, 1))
		}
	}
	return ""
}
