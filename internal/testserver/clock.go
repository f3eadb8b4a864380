package testserver

import (
	"sync"
	"time"
)

// Clock is the wall clock moved forward by however much a test has
// advanced it, for tests that need a deadline or a due date to pass while
// everything else keeps real time. Pass its Now to WithClock. Safe for
// concurrent use.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now is the wall clock plus the offset.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}
