package faults

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"
)

// CrashConfig says how one backend's crash run goes.
type CrashConfig struct {
	Backend string // "sqlite" or "postgres"
	Bin     string // a built wenming
	Dir     string // work directory: the SQLite file and the server logs
	PGBase  string // server where the PostgreSQL database is created
	Kills   int    // how many times the server is killed with SIGKILL
	Workers int    // concurrent writers
	Seed    uint64
	// MinUp and MaxUp bound how long the server runs between kills (a
	// random time in between, from Seed).
	MinUp, MaxUp time.Duration
	Log          io.Writer // progress lines; nil for none
}

// CrashResult is one backend's outcome.
type CrashResult struct {
	Backend     string
	Kills       int
	IntegrityOK int // kills after which PRAGMA integrity_check said ok (SQLite; PostgreSQL counts all)
	Report      Report
	Took        time.Duration
}

func (r CrashResult) String() string {
	return fmt.Sprintf("%s: %d kills, integrity ok after %d, %s, in %s",
		r.Backend, r.Kills, r.IntegrityOK, r.Report.String(), r.Took.Round(time.Second))
}

// Good reports whether the run lost, doubled and broke nothing.
func (r CrashResult) Good() bool { return r.Report.Good() && r.IntegrityOK == r.Kills }

// CrashRun starts wenming on a fresh database under the mixed load, kills
// it with SIGKILL at random moments cfg.Kills times, starting it again each
// time while the load retries what failed with the same request ids, and
// then replays every request and checks the rows, the SQLite file and the
// aggregates.
func CrashRun(ctx context.Context, cfg CrashConfig) (CrashResult, error) {
	t0 := time.Now()
	res := CrashResult{Backend: cfg.Backend}
	logf := func(format string, args ...any) {
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "crashtest %s: "+format+"\n", append([]any{cfg.Backend}, args...)...)
		}
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return res, err
	}
	db, err := NewDatabase(ctx, cfg.Backend, cfg.Dir, cfg.PGBase)
	if err != nil {
		return res, err
	}
	defer db.Close()
	if err := Migrate(ctx, cfg.Bin, db.DSN); err != nil {
		return res, err
	}
	keys, err := Keys(ctx, cfg.Bin, db.DSN)
	if err != nil {
		return res, err
	}
	secret := NewSecret()
	pool := &Pool{}
	defer pool.Close()
	start := func(i int) (*Server, *Endpoint, error) {
		s, err := Start(cfg.Bin, fmt.Sprintf("wenming-%d", i), db.DSN, secret, cfg.Dir)
		if err != nil {
			return nil, nil, err
		}
		rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		if err := s.Ready(rctx); err != nil {
			s.Kill()
			return nil, nil, err
		}
		ep, err := pool.Add(s)
		if err != nil {
			s.Kill()
			return nil, nil, err
		}
		return s, ep, nil
	}
	srv, ep, err := start(0)
	if err != nil {
		return res, err
	}
	defer func() {
		if srv != nil {
			srv.Stop()
		}
	}()
	fx, err := MakeFixtures(ctx, ep.Conn, keys["admin"])
	if err != nil {
		return res, err
	}
	load := &Load{Pool: pool, Keys: keys, Fixtures: fx, Seed: cfg.Seed}
	stop := make(chan struct{})
	loaded := make(chan struct{})
	go func() {
		load.Run(ctx, cfg.Workers, func(int) int { return -1 }, stop)
		close(loaded)
	}()
	r := rand.New(rand.NewPCG(cfg.Seed, 7))
	for i := 1; i <= cfg.Kills; i++ {
		up := cfg.MinUp + time.Duration(r.Int64N(int64(cfg.MaxUp-cfg.MinUp)+1))
		select {
		case <-ctx.Done():
			close(stop)
			return res, ctx.Err()
		case <-time.After(up):
		}
		srv.Kill()
		pool.Down(ep)
		res.Kills++
		if ok, err := IntegrityOK(ctx, db.DSN); err != nil {
			return res, fmt.Errorf("integrity check after kill %d: %w", i, err)
		} else if ok == "ok" {
			res.IntegrityOK++
		} else {
			res.Report.problem("integrity check after kill %d: %s", i, ok)
		}
		if srv, ep, err = start(i); err != nil {
			srv = nil
			close(stop)
			return res, fmt.Errorf("restart after kill %d: %w", i, err)
		}
		if i%10 == 0 || i == cfg.Kills {
			logf("%d/%d kills, %d calls so far, %d retried sends", i, cfg.Kills, len(load.Calls()), load.Retries())
		}
	}
	close(stop)
	<-loaded
	logf("replaying %d calls", len(load.Calls()))
	load.Replay(ctx, &res.Report)
	srv.Stop()
	if err := load.CheckRows(ctx, db.DSN, &res.Report); err != nil {
		return res, err
	}
	if err := CheckAggregates(ctx, db.DSN, &res.Report); err != nil {
		return res, err
	}
	if err := CheckChains(ctx, db.DSN, &res.Report); err != nil {
		return res, err
	}
	if ok, err := IntegrityOK(ctx, db.DSN); err != nil || ok != "ok" {
		res.Report.problem("final integrity check: %q, %v", ok, err)
	}
	res.Took = time.Since(t0)
	return res, nil
}
