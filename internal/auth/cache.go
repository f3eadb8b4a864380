package auth

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"
)

// CachedResolver remembers resolved keys for a short time so that a busy
// kiosk does not cost a database read per call. The cache is advisory: a
// revoked key stops working on every replica within ttl, and unknown keys
// are not cached at all (so a new key works at once).
type CachedResolver struct {
	next Resolver
	ttl  time.Duration
	now  func() time.Time

	mu      sync.Mutex
	entries map[[32]byte]cacheEntry
}

type cacheEntry struct {
	p       Principal
	expires time.Time
}

// maxCachedKeys bounds the cache; past it the cache starts over.
const maxCachedKeys = 10000

// NewCachedResolver caches next's answers for ttl.
func NewCachedResolver(next Resolver, ttl time.Duration) *CachedResolver {
	return &CachedResolver{next: next, ttl: ttl, now: time.Now, entries: map[[32]byte]cacheEntry{}}
}

// Resolve implements Resolver.
func (c *CachedResolver) Resolve(ctx context.Context, secret string) (Principal, error) {
	k := sha256.Sum256([]byte(secret))
	now := c.now()
	c.mu.Lock()
	e, ok := c.entries[k]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.p, nil
	}
	p, err := c.next.Resolve(ctx, secret)
	if err != nil {
		if errors.Is(err, ErrKeyNotFound) {
			c.mu.Lock()
			delete(c.entries, k)
			c.mu.Unlock()
		}
		return Principal{}, err
	}
	c.mu.Lock()
	if len(c.entries) >= maxCachedKeys {
		c.entries = map[[32]byte]cacheEntry{}
	}
	c.entries[k] = cacheEntry{p: p, expires: now.Add(c.ttl)}
	c.mu.Unlock()
	return p, nil
}
