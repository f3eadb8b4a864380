package progress

import (
	"strings"
	"testing"
	"time"
)

// clock advances one second per reading.
func clock() func() time.Time {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time { t = t.Add(time.Second); return t }
}

func TestLinesWhenNotATerminal(t *testing.T) {
	var b strings.Builder
	no := false
	m := New(&b, "ratings", 10, Options{TTY: &no, Every: 3 * time.Second, Now: clock()})
	for range 10 {
		m.Add(1)
	}
	m.Done()
	// Readings at 2 s … 11 s after the start at 1 s: lines at 4, 7 and
	// 10 s (after 3, 6 and 9 rows), then the final count.
	want := "ratings: 3/10 (30%)\nratings: 6/10 (60%)\nratings: 9/10 (90%)\nratings: 10/10 (100%)\n"
	if b.String() != want {
		t.Errorf("got %q\nwant %q", b.String(), want)
	}
}

func TestQuietForAShortRun(t *testing.T) {
	var b strings.Builder
	no := false
	m := New(&b, "rows", 0, Options{TTY: &no, Every: time.Hour, Now: clock()})
	m.Add(5)
	m.Done()
	if b.String() != "" {
		t.Errorf("a run shorter than one interval printed %q", b.String())
	}
}

func TestBarOnATerminal(t *testing.T) {
	var b strings.Builder
	yes := true
	m := New(&b, "ratings", 4, Options{TTY: &yes, Every: time.Second, Now: clock()})
	m.Add(1)
	m.Add(3)
	m.Done()
	out := b.String()
	if !strings.HasSuffix(out, "\rratings [==============================] 100% 4/4\n") ||
		!strings.Contains(out, "\rratings [=======                       ]  25% 1/4") {
		t.Errorf("got %q", out)
	}
}
