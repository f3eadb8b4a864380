package server

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// failLogEvery is how often one kind of failure is logged while it
// lasts: a 60 s outage at 100 calls a second writes a handful of lines,
// each counting the calls it stands for, instead of 6,000.
const failLogEvery = 10 * time.Second

// failLog writes at most one line per kind of failure per interval; the
// next line of that kind says how many it left out. A kind that
// has been quiet for an interval is logged at once again, so the first
// failure of a new outage always shows.
type failLog struct {
	log   *slog.Logger
	level slog.Level
	every time.Duration
	now   func() time.Time

	mu    sync.Mutex
	kinds map[string]*failKind
}

type failKind struct {
	last       time.Time
	suppressed int
}

func newFailLog(l *slog.Logger, level slog.Level, every time.Duration, now func() time.Time) *failLog {
	return &failLog{log: l, level: level, every: every, now: now, kinds: map[string]*failKind{}}
}

// add records one failure of kind and logs it unless a line of the same
// kind was written within the interval.
func (f *failLog) add(ctx context.Context, kind string, attrs ...any) {
	t := f.now()
	f.mu.Lock()
	k := f.kinds[kind]
	if k == nil {
		k = &failKind{}
		f.kinds[kind] = k
	}
	if !k.last.IsZero() && t.Sub(k.last) < f.every {
		k.suppressed++
		f.mu.Unlock()
		return
	}
	suppressed := k.suppressed
	k.last, k.suppressed = t, 0
	f.mu.Unlock()
	attrs = append(attrs, "suppressed", suppressed, "log_every", f.every.String())
	f.log.Log(ctx, f.level, kind, attrs...)
}
