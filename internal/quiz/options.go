package quiz

import (
	"math/rand/v2"
	"time"
)

// ServiceOption adjusts how the quiz services are built; tests use it to control
// the clock and the draw.
type ServiceOption func(*config)

type config struct {
	now     func() time.Time
	shuffle Shuffler
}

func newConfig(opts []ServiceOption) config {
	c := config{now: time.Now, shuffle: rand.Shuffle}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithClock makes the services read the time from now instead of the
// system clock.
func WithClock(now func() time.Time) ServiceOption { return func(c *config) { c.now = now } }

// WithShuffler makes papers drawn and shuffled with s instead of
// math/rand/v2.Shuffle.
func WithShuffler(s Shuffler) ServiceOption { return func(c *config) { c.shuffle = s } }
