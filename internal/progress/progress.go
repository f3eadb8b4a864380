// Package progress reports how far a long command has got: a bar redrawn
// in place on a terminal, and otherwise (a log, a pipe, CI) a plain line
// every few seconds, so a long import or export is never silent and never
// floods a log. It measures wall time for that purpose only; nothing it
// prints is stored.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
)

// Meter counts units of work done out of a total (0 when unknown).
type Meter struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	total int
	n     int
	tty   bool
	every time.Duration
	now   func() time.Time
	last  time.Time
	drawn bool
}

// Options tune a Meter; tests set them, commands use the defaults.
type Options struct {
	// TTY forces the terminal (true) or line (false) style; nil looks
	// at w.
	TTY *bool
	// Every is how often a line is printed (default 5 s) or the bar is
	// redrawn (default 100 ms).
	Every time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// New starts a meter that writes to w (usually standard error).
func New(w io.Writer, label string, total int, o Options) *Meter {
	m := &Meter{w: w, label: label, total: total, every: o.Every, now: o.Now}
	if o.TTY != nil {
		m.tty = *o.TTY
	} else {
		m.tty = IsTerminal(w)
	}
	if m.now == nil {
		m.now = time.Now
	}
	if m.every == 0 {
		m.every = 5 * time.Second
		if m.tty {
			m.every = 100 * time.Millisecond
		}
	}
	m.last = m.now()
	return m
}

// SetTotal sets the total once it is known.
func (m *Meter) SetTotal(total int) {
	m.mu.Lock()
	m.total = total
	m.mu.Unlock()
}

// Add records n more units done.
func (m *Meter) Add(n int) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.n += n
	if t := m.now(); t.Sub(m.last) >= m.every {
		m.last = t
		m.print(false)
	}
}

// Done prints the final count (and ends the bar's line on a terminal).
func (m *Meter) Done() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tty || m.drawn {
		m.print(true)
	}
}

func (m *Meter) print(final bool) {
	m.drawn = true
	if !m.tty {
		if m.total > 0 {
			fmt.Fprintf(m.w, "%s: %d/%d (%d%%)\n", m.label, m.n, m.total, m.n*100/m.total)
		} else {
			fmt.Fprintf(m.w, "%s: %d\n", m.label, m.n)
		}
		return
	}
	const width = 30
	var line string
	if m.total > 0 {
		done := min(width, m.n*width/m.total)
		line = fmt.Sprintf("\r%s [%s%s] %3d%% %d/%d", m.label,
			strings.Repeat("=", done), strings.Repeat(" ", width-done), min(100, m.n*100/m.total), m.n, m.total)
	} else {
		line = fmt.Sprintf("\r%s %d", m.label, m.n)
	}
	if final {
		line += "\n"
	}
	fmt.Fprint(m.w, line)
}

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
