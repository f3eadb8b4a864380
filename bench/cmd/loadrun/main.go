// Command loadrun is wenming's load harness: it builds wenming and a bare
// grpc-go server, starts wenming on a fresh database, drives each scenario
// with pinned load generators (ghz for gRPC, vegeta for HTTP) and a Go
// driver for multi-step games, measures baselines in the same run (bare
// gRPC, pgbench single-row INSERT, one SQLite transaction per row) and
// prints one table with the median of several repetitions and each
// scenario's ratio to its baseline. See bench/README.md.
//
//	go run ./bench/cmd/loadrun                      # SQLite, c=50, 10 s, 3 repetitions
//	go run ./bench/cmd/loadrun -backends sqlite,postgres
//	go run ./bench/cmd/loadrun -scaling             # analytic reads at two data sizes
//	go run ./bench/cmd/loadrun -console             # console pages on the large data set
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/wenming/wenming/bench/internal/benchenv"
	"github.com/wenming/wenming/bench/internal/datagen"
)

// config is everything the flags decide.
type config struct {
	duration    time.Duration
	concurrency int
	reps        int
	scenarios   []string
	backends    []string
	pgURL       string
	connections int
	serveArgs   []string
	keep        bool
	jsonOut     string
	verbose     bool

	scaling     bool
	scaleSizes  []string
	scaleIters  int
	scaleAttQ   bool
	scaleOnlyDs []string

	console         bool
	consoleIters    int
	consoleAttempts int

	root string // module root
	work string // temporary directory of this run
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "loadrun:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "loadrun:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (*config, error) {
	fs := flag.NewFlagSet("loadrun", flag.ContinueOnError)
	cfg := &config{}
	fs.DurationVar(&cfg.duration, "duration", 10*time.Second, "length of each measurement")
	fs.IntVar(&cfg.concurrency, "c", 50, "concurrent clients (ghz -c, vegeta workers, pgbench -c, game drivers)")
	fs.IntVar(&cfg.reps, "reps", 3, "repetitions of every measurement; the table shows the median")
	scen := fs.String("scenarios", "all", "comma-separated scenarios to run, or all: "+strings.Join(scenarioNames(), ","))
	back := fs.String("backends", "sqlite", "comma-separated databases for wenming: sqlite, postgres")
	fs.StringVar(&cfg.pgURL, "pg", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"PostgreSQL server for -backends postgres and the pgbench baseline; fresh databases are created on it and dropped after")
	fs.IntVar(&cfg.connections, "connections", 1, "gRPC connections ghz and the game driver open (ghz default: 1)")
	serveArgs := fs.String("serve-args", "", "extra flags for `wenming serve`, space-separated (e.g. to switch a server feature off)")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the temporary directory (databases, logs, raw ghz/vegeta output)")
	fs.StringVar(&cfg.jsonOut, "json", "", "also write the rows as JSON to this file")
	fs.BoolVar(&cfg.verbose, "v", false, "log each measurement as it finishes")

	fs.BoolVar(&cfg.scaling, "scaling", false, "instead of the load table, generate the analytic data sets at two sizes and time the read RPCs")
	sizes := fs.String("scale-sizes", "tenth,full", "data sizes for -scaling: tenth, full (or e.g. 0.01 for a quick try)")
	fs.IntVar(&cfg.scaleIters, "scale-iters", 30, "sequential calls per read RPC and size under -scaling (median latency is reported)")
	fs.BoolVar(&cfg.scaleAttQ, "scale-attempt-questions", false, "under -scaling also write the 10 answered paper rows of every attempt (10× the rows; leaderboard reads do not touch them)")
	fs.BoolVar(&cfg.console, "console", false, "instead of the load table, build the large data set and time each console page's first view (server time, API calls)")
	fs.IntVar(&cfg.consoleIters, "console-iters", 20, "views of each console page under -console")
	fs.IntVar(&cfg.consoleAttempts, "console-attempts", datagen.FullAttempts, "quiz attempts in the -console data set")
	only := fs.String("scale-datasets", "all", "data sets for -scaling: feedback, quiz, civindex, or all")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if cfg.concurrency < 1 || cfg.reps < 1 || cfg.duration < time.Second {
		return nil, errors.New("-c and -reps must be ≥ 1 and -duration ≥ 1s")
	}
	cfg.scenarios = splitList(*scen)
	if len(cfg.scenarios) == 1 && cfg.scenarios[0] == "all" {
		cfg.scenarios = scenarioNames()
	}
	for _, s := range cfg.scenarios {
		if !slices.Contains(scenarioNames(), s) {
			return nil, fmt.Errorf("-scenarios: unknown %q (have %s)", s, strings.Join(scenarioNames(), ", "))
		}
	}
	cfg.backends = splitList(*back)
	for _, b := range cfg.backends {
		if b != "sqlite" && b != "postgres" {
			return nil, fmt.Errorf("-backends: unknown %q (want sqlite, postgres)", b)
		}
	}
	cfg.serveArgs = strings.Fields(*serveArgs)
	cfg.scaleSizes = splitList(*sizes)
	cfg.scaleOnlyDs = splitList(*only)
	if len(cfg.scaleOnlyDs) == 1 && cfg.scaleOnlyDs[0] == "all" {
		cfg.scaleOnlyDs = []string{"feedback", "quiz", "civindex"}
	}
	return cfg, nil
}

func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func run(ctx context.Context, cfg *config) error {
	root, err := benchenv.ModuleRoot()
	if err != nil {
		return err
	}
	cfg.root = root
	cfg.work, err = os.MkdirTemp("", "wenming-bench-")
	if err != nil {
		return err
	}
	if cfg.keep {
		logf("keeping %s", cfg.work)
	} else {
		defer os.RemoveAll(cfg.work)
	}
	bins, err := buildAll(ctx, cfg)
	if err != nil {
		return err
	}
	if cfg.scaling {
		return runScaling(ctx, cfg, bins)
	}
	if cfg.console {
		return runConsole(ctx, cfg, bins)
	}
	rows, err := runLoad(ctx, cfg, bins)
	if err != nil {
		return err
	}
	printTable(os.Stdout, cfg, rows)
	printTargets(os.Stdout, rows)
	if cfg.jsonOut != "" {
		return writeJSON(cfg.jsonOut, cfg, rows)
	}
	return nil
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}
