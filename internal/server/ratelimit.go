package server

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"

	"github.com/wenming/wenming/internal/auth"
)

// ClientAddr is the network address of the caller: the TCP peer for gRPC
// callers, and for HTTP callers (who reach us through the in-process
// gateway) the remote address the gateway saw, which it appends as the
// last X-Forwarded-For entry. A gRPC caller cannot forge it, because the
// forwarded header is only believed on the in-process connection.
func ClientAddr(ctx context.Context) string {
	p, ok := peer.FromContext(ctx)
	if !ok || p.Addr == nil {
		return ""
	}
	if p.Addr.Network() != "bufconn" {
		host, _, err := net.SplitHostPort(p.Addr.String())
		if err != nil {
			return p.Addr.String()
		}
		return host
	}
	vals := metadata.ValueFromIncomingContext(ctx, "x-forwarded-for")
	if len(vals) == 0 {
		return ""
	}
	last := vals[len(vals)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	return strings.TrimSpace(last)
}

// anonLimiter throttles callers without a key (the public feedback form),
// per client address, so one script cannot flood a department's ratings.
// Keyed callers are not limited here. The buckets live in this process:
// with several replicas each enforces its own share, which is the intent
// of an abuse guard, not an exact quota.
type anonLimiter struct {
	every time.Duration
	burst int

	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// newAnonLimiter allows perMinute requests a minute with the given burst;
// perMinute <= 0 disables it.
func newAnonLimiter(perMinute, burst int) *anonLimiter {
	if perMinute <= 0 {
		return nil
	}
	if burst <= 0 {
		burst = 1
	}
	return &anonLimiter{every: time.Minute / time.Duration(perMinute), burst: burst, buckets: map[string]*bucket{}}
}

// Limit implements the go-grpc-middleware ratelimit.Limiter interface.
func (l *anonLimiter) Limit(ctx context.Context) error {
	if l == nil || !auth.FromContext(ctx).Anonymous() {
		return nil
	}
	// Health checks and reflection come from load balancers and tools.
	if m, ok := grpc.Method(ctx); ok && strings.HasPrefix(m, "/grpc.") {
		return nil
	}
	addr := ClientAddr(ctx)
	now := time.Now()
	l.mu.Lock()
	b, ok := l.buckets[addr]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.buckets[addr] = b
	}
	b.seen = now
	allowed := b.lim.AllowN(now, 1)
	l.sweep(now)
	l.mu.Unlock()
	if !allowed {
		return fmt.Errorf("too many requests from %s without an API key; wait a minute", addr)
	}
	return nil
}

// sweep forgets addresses idle long enough for their bucket to be full
// again, so memory stays bounded by recent callers. Called with mu held.
func (l *anonLimiter) sweep(now time.Time) {
	idle := l.every*time.Duration(l.burst) + time.Minute
	if now.Sub(l.swept) < idle {
		return
	}
	l.swept = now
	for addr, b := range l.buckets {
		if now.Sub(b.seen) > idle {
			delete(l.buckets, addr)
		}
	}
}

type noLimit struct{}

func (noLimit) Limit(context.Context) error { return nil }
