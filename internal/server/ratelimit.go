package server

import (
	"context"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
	"google.golang.org/grpc"

	"github.com/wenming/wenming/internal/auth"
)

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
		return retryLater(l.every, "too many requests from %s without an API key; retry later", addr)
	}
	return nil
}

func (l *anonLimiter) unary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	if err := l.Limit(ctx); err != nil {
		return nil, err
	}
	return next(ctx, req)
}

func (l *anonLimiter) stream(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, next grpc.StreamHandler) error {
	if err := l.Limit(ss.Context()); err != nil {
		return err
	}
	return next(srv, ss)
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
