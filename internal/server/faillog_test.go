package server

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestFailLogWritesOneLinePerKindPerInterval(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	f := newFailLog(slog.New(slog.NewTextHandler(&buf, nil)), slog.LevelError, 10*time.Second, func() time.Time { return now })
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		f.add(ctx, "database refuses connections")
	}
	f.add(ctx, "database connection lost")
	now = now.Add(9 * time.Second)
	f.add(ctx, "database refuses connections") // still within the interval
	now = now.Add(time.Second)
	f.add(ctx, "database refuses connections") // 10 s after the first line

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3 (two kinds, then the first again):\n%s", len(lines), buf.String())
	}
	for i, want := range []string{
		`msg="database refuses connections" suppressed=0`,
		`msg="database connection lost" suppressed=0`,
		`msg="database refuses connections" suppressed=5`, // 4 in the first burst and 1 at 9 s
	} {
		if !strings.Contains(lines[i], want) || !strings.Contains(lines[i], "level=ERROR") {
			t.Errorf("line %d = %q, want %q", i, lines[i], want)
		}
	}
}
