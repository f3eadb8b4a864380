package auth

import (
	"context"
	"testing"
	"time"
)

type countingResolver struct {
	calls   int
	revoked bool
}

func (r *countingResolver) Resolve(context.Context, string) (Principal, error) {
	r.calls++
	if r.revoked {
		return Principal{}, ErrKeyNotFound
	}
	return Principal{KeyID: "k1", Role: Kiosk}, nil
}

func TestCachedResolverExpiresEntries(t *testing.T) {
	t.Parallel()
	next := &countingResolver{}
	c := NewCachedResolver(next, 30*time.Second)
	clock := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return clock }
	ctx := context.Background()

	for range 3 {
		if p, err := c.Resolve(ctx, "wm_a"); err != nil || p.KeyID != "k1" {
			t.Fatalf("Resolve = %+v, %v", p, err)
		}
	}
	if next.calls != 1 {
		t.Errorf("3 resolves within the TTL hit the store %d times, want 1", next.calls)
	}
	next.revoked = true
	clock = clock.Add(31 * time.Second)
	if _, err := c.Resolve(ctx, "wm_a"); err == nil {
		t.Error("a revoked key still resolved after the TTL")
	}
	if _, err := c.Resolve(ctx, "wm_a"); err == nil || next.calls != 3 {
		t.Errorf("unknown keys must not be cached: err=%v calls=%d", err, next.calls)
	}
}
