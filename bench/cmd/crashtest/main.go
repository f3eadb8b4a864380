// Command crashtest kills wenming with SIGKILL at random moments under a
// mixed write load (ratings, whole kiosk games, inspections, every call
// with a request id), starts it again each time, and then checks that no
// acknowledged write was lost, that replaying every request id made no
// duplicate, that the SQLite file passes PRAGMA integrity_check and that
// the aggregates equal a rebuild from the raw rows (docs/reliability.md,
// "Crashes").
//
//	go run ./bench/cmd/crashtest -n 100 -backends sqlite,postgres
//
// It exits 1 if any check fails.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/wenming/wenming/bench/internal/faults"
)

func main() {
	n := flag.Int("n", 10, "kills per backend")
	backends := flag.String("backends", "sqlite", "comma-separated: sqlite, postgres")
	seed := flag.Uint64("seed", uint64(time.Now().UnixNano()), "seed of the load mix and the kill moments")
	workers := flag.Int("workers", 6, "concurrent writers")
	minUp := flag.Duration("min-up", 300*time.Millisecond, "shortest time the server runs between kills")
	maxUp := flag.Duration("max-up", 1500*time.Millisecond, "longest time the server runs between kills")
	pg := flag.String("pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "PostgreSQL server where a scratch database is created")
	keep := flag.Bool("keep", false, "keep the work directory (server logs, the SQLite file)")
	flag.Parse()

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	work, err := os.MkdirTemp("", "crashtest-")
	if err != nil {
		fail(err)
	}
	if *keep {
		fmt.Fprintf(os.Stderr, "crashtest: work directory %s\n", work)
	} else {
		defer os.RemoveAll(work)
	}
	fmt.Fprintf(os.Stderr, "crashtest: seed %d; building wenming\n", *seed)
	bin, err := faults.Build(ctx, work)
	if err != nil {
		fail(err)
	}
	good := true
	for _, b := range strings.Split(*backends, ",") {
		b = strings.TrimSpace(b)
		res, err := faults.CrashRun(ctx, faults.CrashConfig{
			Backend: b, Bin: bin, Dir: filepath.Join(work, b), PGBase: *pg, Kills: *n, Workers: *workers,
			Seed: *seed, MinUp: *minUp, MaxUp: *maxUp, Log: os.Stderr,
		})
		if err != nil {
			fail(fmt.Errorf("%s: %w (seed %d)", b, err, *seed))
		}
		fmt.Println(res)
		good = good && res.Good()
	}
	if !good {
		fmt.Fprintf(os.Stderr, "crashtest: FAIL (seed %d)\n", *seed)
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "crashtest:", err)
	os.Exit(1)
}
