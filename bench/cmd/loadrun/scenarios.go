package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// scenario is one line of the table. Baselines run once per repetition
// (per backend where they are tied to one); the others run against every
// backend's wenming.
type scenario struct {
	name     string
	what     string // one line for the README and -h
	baseline bool
	backend  string // for baselines: "" (none), "sqlite" or "postgres"
	unit     string // what RPS counts
	ratioTo  string // scenario whose rps this one's is divided by, same backend unless that is a baseline
	ratioPG  string // on PostgreSQL, this baseline instead of ratioTo (when it ran)
	// serve holds extra `wenming serve` flags: the scenario runs against a
	// second wenming per backend started with them, on its own database.
	serve []string
	// only limits a non-baseline scenario to these backends.
	only []string
	run  func(ctx context.Context, e *env, s *server, tag string) (measurement, error)
}

// env is what scenarios share during a run.
type env struct {
	cfg      *config
	bins     binaries
	bareAddr string
	barePid  int
	fx       map[string]*fixtures // by backend
}

var scenarios = []scenario{
	{name: "bare-grpc", baseline: true, unit: "req", what: "grpc.health.v1.Health/Check on a bare grpc-go server (ghz): the gRPC ceiling",
		run: func(ctx context.Context, e *env, _ *server, tag string) (measurement, error) {
			return runGHZ(ctx, e.cfg, e.bins, tag, ghzCall{addr: e.bareAddr, method: "grpc.health.v1.Health/Check", data: "{}"})
		}},
	{name: "pgbench-insert", baseline: true, backend: "postgres", unit: "tx", what: "pgbench, one single-row INSERT per transaction: the ceiling for one durable insert per request",
		run: func(ctx context.Context, e *env, _ *server, tag string) (measurement, error) {
			return runPgbench(ctx, e.cfg, tag)
		}},
	{name: "sqlite-tx-per-row", baseline: true, backend: "sqlite", unit: "rows", what: "one INSERT per transaction straight into SQLite with wenming's settings (synchronous=FULL): the group-commit baseline",
		run: func(ctx context.Context, e *env, _ *server, tag string) (measurement, error) {
			return runSQLiteTx(ctx, e.cfg, tag, 1)
		}},
	{name: "sqlite-tx-batch50", baseline: true, backend: "sqlite", unit: "rows", ratioTo: "sqlite-tx-per-row", what: "50 rows per transaction, same table and settings: what sharing one fsync buys on this disk",
		run: func(ctx context.Context, e *env, _ *server, tag string) (measurement, error) {
			return runSQLiteTx(ctx, e.cfg, tag, 50)
		}},
	{name: "rating-grpc", unit: "req", ratioTo: "bare-grpc", ratioPG: "pgbench-insert", what: "RatingService/SubmitRating over gRPC with a kiosk key (ghz)",
		run: submitRatingGRPC},
	// SQLite only: the group-commit target is about SQLite, and a second
	// wenming on PostgreSQL would hold another 32 connections, leaving
	// pgbench's 50 short of max_connections (default 100).
	{name: "rating-grpc-1tx", unit: "req", serve: []string{"--no-group-commit"}, only: []string{"sqlite"},
		what: "SubmitRating over gRPC as rating-grpc, on a wenming started with --no-group-commit (one transaction per rating)",
		run:  submitRatingGRPC},
	{name: "rating-http", unit: "req", ratioTo: "rating-grpc", what: "POST /v1/feedback/ratings through the gateway with a kiosk key (vegeta)",
		run: func(ctx context.Context, e *env, s *server, tag string) (measurement, error) {
			fx, err := e.fixtures(s).feedback(ctx)
			if err != nil {
				return measurement{}, err
			}
			return runVegeta(ctx, e.cfg, e.bins, tag, vegetaTarget{
				Method: "POST", URL: "http://" + s.httpAddr + "/v1/feedback/ratings",
				Body:   []byte(ratingJSON(fx.WindowIDs[0], true)),
				Header: map[string][]string{"Authorization": {"Bearer " + s.keys["kiosk"]}, "Content-Type": {"application/json"}},
			})
		}},
	{name: "kiosk-game", unit: "games", what: "StartAttempt + 10 × AnswerQuestion + SubmitAttempt over gRPC (Go driver); latency is per game",
		run: func(ctx context.Context, e *env, s *server, tag string) (measurement, error) {
			c, err := e.fixtures(s).contest(ctx)
			if err != nil {
				return measurement{}, err
			}
			return runGames(ctx, e.cfg, s, c, tag)
		}},
	{name: "kiosk-http", unit: "answers", what: "the kiosk app's calls through the JSON gateway, as /kiosk makes them (request ids, result, top 10s); rate and latency are per AnswerQuestion round trip",
		run: func(ctx context.Context, e *env, s *server, tag string) (measurement, error) {
			c, err := e.fixtures(s).contest(ctx)
			if err != nil {
				return measurement{}, err
			}
			return runKioskHTTP(ctx, e.cfg, s, c, tag)
		}},
	{name: "start-attempt", unit: "req", what: "PlayService/StartAttempt alone for new participants (Go driver); a shed call waits its retry hint; p50/p99 over admitted calls, errors = shed + failed",
		run: func(ctx context.Context, e *env, s *server, tag string) (measurement, error) {
			c, err := e.fixtures(s).contest(ctx)
			if err != nil {
				return measurement{}, err
			}
			return runStartAttempts(ctx, e.cfg, s, c.ID, c.Communities)
		}},
	{name: "leaderboard", unit: "req", ratioTo: "bare-grpc", what: "PlayService/GetLeaderboard, first page of 20 (ghz, kiosk key)",
		run: func(ctx context.Context, e *env, s *server, tag string) (measurement, error) {
			c, err := e.fixtures(s).contest(ctx)
			if err != nil {
				return measurement{}, err
			}
			return runGHZ(ctx, e.cfg, e.bins, tag, ghzCall{addr: s.grpcAddr, key: s.keys["kiosk"],
				method: "wenming.quiz.v1.PlayService/GetLeaderboard", data: fmt.Sprintf(`{"contest_id":%q,"page_size":20}`, c.ID)})
		}},
	{name: "feedback-stats", unit: "req", ratioTo: "bare-grpc", what: "FeedbackStatsService/GetTargetStats of the department subtree over 31 days (ghz, analyst key)",
		run: func(ctx context.Context, e *env, s *server, tag string) (measurement, error) {
			fx, err := e.fixtures(s).feedback(ctx)
			if err != nil {
				return measurement{}, err
			}
			from, to := statsPeriod(time.Now())
			return runGHZ(ctx, e.cfg, e.bins, tag, ghzCall{addr: s.grpcAddr, key: s.keys["analyst"],
				method: "wenming.feedback.v1.FeedbackStatsService/GetTargetStats",
				data:   fmt.Sprintf(`{"target_id":%q,"start_date":%q,"end_date":%q}`, fx.DepartmentID, from, to)})
		}},
	{name: "round-index", unit: "req", ratioTo: "bare-grpc", what: "IndexService/GetRoundIndex of a round of 50 sites × 20 items (ghz, analyst key)",
		run: func(ctx context.Context, e *env, s *server, tag string) (measurement, error) {
			d, err := e.fixtures(s).index(ctx)
			if err != nil {
				return measurement{}, err
			}
			return runGHZ(ctx, e.cfg, e.bins, tag, ghzCall{addr: s.grpcAddr, key: s.keys["analyst"],
				method: "wenming.civindex.v1.IndexService/GetRoundIndex", data: fmt.Sprintf(`{"round_id":%q}`, d.RoundIDs[0])})
		}},
}

// submitRatingGRPC drives SubmitRating over gRPC with a kiosk key (ghz),
// for rating-grpc and its --no-group-commit variant.
func submitRatingGRPC(ctx context.Context, e *env, s *server, tag string) (measurement, error) {
	fx, err := e.fixtures(s).feedback(ctx)
	if err != nil {
		return measurement{}, err
	}
	return runGHZ(ctx, e.cfg, e.bins, tag, ghzCall{addr: s.grpcAddr, key: s.keys["kiosk"],
		method: "wenming.feedback.v1.RatingService/SubmitRating", data: ratingJSON(fx.WindowIDs[0], false)})
}

func scenarioNames() []string {
	names := make([]string, len(scenarios))
	for i, s := range scenarios {
		names[i] = s.name
	}
	return names
}

// ratingJSON is the SubmitRating request every load call sends: a common
// good rating (level 4, one dimension, QR channel) without request_id, so
// every call writes a row. HTTP takes the same message in JSON.
func ratingJSON(target string, http bool) string {
	if http {
		return fmt.Sprintf(`{"targetId":%q,"level":4,"dimensions":[{"key":"attitude","level":5}],"channel":"CHANNEL_QR","comment":"办事很快"}`, target)
	}
	return fmt.Sprintf(`{"target_id":%q,"level":4,"dimensions":[{"key":"attitude","level":5}],"channel":"CHANNEL_QR","comment":"办事很快"}`, target)
}

// statsPeriod is the 31 local days (Asia/Shanghai) ending tomorrow, so it
// covers every rating of the run whatever the clock's zone.
func statsPeriod(now time.Time) (string, string) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	t := now.In(loc)
	return t.AddDate(0, 0, -29).Format("2006-01-02"), t.AddDate(0, 0, 1).Format("2006-01-02")
}

// row is one line of the result table: the median over the repetitions.
type row struct {
	Scenario string        `json:"scenario"`
	Backend  string        `json:"backend"`
	Unit     string        `json:"unit"`
	Baseline bool          `json:"baseline"`
	RPS      float64       `json:"rps"`
	P50      time.Duration `json:"p50_ns"`
	P95      time.Duration `json:"p95_ns"`
	P99      time.Duration `json:"p99_ns"`
	Errors   int64         `json:"errors"`
	Count    int64         `json:"count"`
	GenCPU   float64       `json:"gen_cpu_cores"`
	SrvCPU   float64       `json:"server_cpu_cores"`
	DBCPU    float64       `json:"postgres_cpu_cores,omitempty"`
	RatioTo  string        `json:"ratio_to,omitempty"`
	Ratio    float64       `json:"ratio,omitempty"`
	Reps     []measurement `json:"reps"`
	Note     string        `json:"note,omitempty"`
}

func (e *env) fixtures(s *server) *fixtures {
	if e.fx[s.name] == nil {
		e.fx[s.name] = &fixtures{s: s, cfg: e.cfg}
	}
	return e.fx[s.name]
}

// runLoad starts what the chosen scenarios need and runs them rep times,
// interleaved (every scenario once, then again) so slow drift of a shared
// machine spreads over all rows instead of hitting the last ones.
func runLoad(ctx context.Context, cfg *config, bins binaries) ([]*row, error) {
	e := &env{cfg: cfg, bins: bins, fx: map[string]*fixtures{}}
	want := func(name string) bool { return slices.Contains(cfg.scenarios, name) }
	if want("bare-grpc") {
		p, addr, err := start(cfg, "baregrpc", true, bins.baregrpc, "-addr", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer p.stop()
		e.bareAddr, e.barePid = addr, p.cmd.Process.Pid
	}
	servers := map[string]*server{}
	defer func() {
		for _, s := range servers {
			s.close()
		}
	}()
	for _, b := range cfg.backends {
		s, err := startWenming(ctx, cfg, bins, b)
		if err != nil {
			return nil, fmt.Errorf("start wenming on %s: %w", b, err)
		}
		servers[b] = s
	}
	// Variant servers (extra serve flags) start now too; one that does not
	// start (a flag this wenming lacks) only marks its own rows.
	variantErr := map[string]error{}
	for _, sc := range scenarios {
		if len(sc.serve) == 0 || !want(sc.name) {
			continue
		}
		for _, b := range cfg.backends {
			if len(sc.only) > 0 && !slices.Contains(sc.only, b) {
				continue
			}
			s, err := startWenming(ctx, cfg, bins, b, sc.serve...)
			if err != nil {
				variantErr[sc.name+"/"+b] = fmt.Errorf("not available: wenming serve %s: %w", strings.Join(sc.serve, " "), err)
				continue
			}
			servers[s.name] = s
		}
	}

	type key struct{ scenario, backend string }
	rows := map[key]*row{}
	var order []key
	for _, sc := range scenarios {
		if !want(sc.name) {
			continue
		}
		if sc.baseline {
			if sc.backend != "" && !slices.Contains(cfg.backends, sc.backend) {
				continue
			}
			k := key{sc.name, sc.backend}
			rows[k] = &row{Scenario: sc.name, Backend: dash(sc.backend), Unit: sc.unit, Baseline: true, RatioTo: sc.ratioTo}
			order = append(order, k)
			continue
		}
		for _, b := range cfg.backends {
			if len(sc.only) > 0 && !slices.Contains(sc.only, b) {
				continue
			}
			k := key{sc.name, b}
			ratioTo := sc.ratioTo
			if b == "postgres" && sc.ratioPG != "" && want(sc.ratioPG) {
				ratioTo = sc.ratioPG
			}
			rows[k] = &row{Scenario: sc.name, Backend: b, Unit: sc.unit, RatioTo: ratioTo}
			order = append(order, k)
		}
	}

	// Fixtures first, so their set-up is not timed and a missing RPC is
	// reported before any load runs.
	for _, s := range servers {
		e.fixtures(s).prepare(ctx, cfg.scenarios)
	}

	for rep := 1; rep <= cfg.reps; rep++ {
		for _, k := range order {
			r := rows[k]
			if r.Note != "" && len(r.Reps) == 0 && rep > 1 {
				continue // not available: do not retry every repetition
			}
			sc := scenarios[slices.IndexFunc(scenarios, func(s scenario) bool { return s.name == k.scenario })]
			var srv *server
			if !sc.baseline {
				srv = servers[strings.TrimSpace(k.backend+" "+strings.Join(sc.serve, " "))]
			}
			if err := variantErr[k.scenario+"/"+k.backend]; err != nil {
				r.Note = lastLine(err.Error())
				continue
			}
			tag := fmt.Sprintf("%s-%s-%d", k.scenario, dash(k.backend), rep)
			u := startUsage(e, sc, srv, k.backend)
			m, err := sc.run(ctx, e, srv, tag)
			u.finish(&m)
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if err != nil {
				r.Note = notAvailable(err)
				logf("%-18s %-8s rep %d: %s", k.scenario, dash(k.backend), rep, r.Note)
				continue
			}
			r.Reps = append(r.Reps, m)
			if cfg.verbose {
				logf("%-18s %-8s rep %d: %.0f %s/s p50 %s p95 %s p99 %s errors %d", k.scenario, dash(k.backend), rep,
					m.RPS, r.Unit, fmtDur(m.P50), fmtDur(m.P95), fmtDur(m.P99), m.Errors)
			}
		}
	}

	out := make([]*row, 0, len(order))
	for _, k := range order {
		r := rows[k]
		r.median()
		out = append(out, r)
	}
	for _, r := range out {
		if r.RatioTo == "" || len(r.Reps) == 0 {
			continue
		}
		for _, b := range out {
			if b.Scenario == r.RatioTo && (b.Backend == r.Backend || b.Backend == "-" || b.Baseline) && len(b.Reps) > 0 && b.RPS > 0 {
				r.Ratio = r.RPS / b.RPS
			}
		}
	}
	return out, nil
}

// usage samples the CPU time of the processes of one measurement.
type usage struct {
	t0               time.Time
	srvPid           int  // the server under test, when it is a child process
	inProcSrv        bool // the "server" is this process (SQLite baselines)
	inProcGen        bool // the load generator is this process (game driver)
	pg               bool // PostgreSQL serves this measurement
	srv0, self0, db0 time.Duration
}

func startUsage(e *env, sc scenario, srv *server, backend string) *usage {
	u := &usage{t0: time.Now(), pg: backend == "postgres"}
	switch {
	case sc.name == "bare-grpc":
		u.srvPid = e.barePid
	case sc.backend == "sqlite":
		u.inProcSrv = true
	case srv != nil:
		u.srvPid = srv.proc.cmd.Process.Pid
	}
	u.inProcGen = sc.name == "kiosk-game" || sc.name == "kiosk-http"
	if u.srvPid != 0 {
		u.srv0 = procCPU(u.srvPid)
	}
	u.self0 = selfCPU()
	if u.pg {
		u.db0 = postgresCPU()
	}
	return u
}

// finish records the cores each side kept busy during the measurement
// (set-up included, so short runs read a little high).
func (u *usage) finish(m *measurement) {
	wall := time.Since(u.t0)
	self := selfCPU() - u.self0
	if u.srvPid != 0 {
		m.SrvCPU = cores(procCPU(u.srvPid)-u.srv0, wall)
	}
	if u.inProcSrv {
		m.SrvCPU = cores(self, wall)
	}
	if u.inProcGen {
		m.GenCPU = cores(self, wall)
	}
	if u.pg {
		m.DBCPU = cores(postgresCPU()-u.db0, wall)
	}
}

// median fills the row's figures with the median of each figure over the
// repetitions (each column on its own).
func (r *row) median() {
	if len(r.Reps) == 0 {
		return
	}
	pick := func(f func(m measurement) float64) float64 {
		v := make([]float64, len(r.Reps))
		for i, m := range r.Reps {
			v[i] = f(m)
		}
		sort.Float64s(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	r.RPS = pick(func(m measurement) float64 { return m.RPS })
	r.P50 = time.Duration(pick(func(m measurement) float64 { return float64(m.P50) }))
	r.P95 = time.Duration(pick(func(m measurement) float64 { return float64(m.P95) }))
	r.P99 = time.Duration(pick(func(m measurement) float64 { return float64(m.P99) }))
	r.Errors = int64(pick(func(m measurement) float64 { return float64(m.Errors) }))
	r.Count = int64(pick(func(m measurement) float64 { return float64(m.Count) }))
	r.GenCPU = pick(func(m measurement) float64 { return m.GenCPU })
	r.SrvCPU = pick(func(m measurement) float64 { return m.SrvCPU })
	r.DBCPU = pick(func(m measurement) float64 { return m.DBCPU })
}

// notAvailable turns a scenario failure into the note of its row. An RPC
// the server does not have (yet) is "not available", not a failed run.
func notAvailable(err error) string {
	var se interface{ GRPCStatus() *status.Status }
	if errors.As(err, &se) && se.GRPCStatus().Code() == codes.Unimplemented {
		return "not available: " + se.GRPCStatus().Message()
	}
	// A failed tool's error is its command line, then its stderr: the
	// last line says what went wrong.
	msg := lastLine(err.Error())
	for _, missing := range []string{"Unimplemented", "unknown service", "unknown method", "Symbol not found", "cannot find"} {
		if strings.Contains(msg, missing) {
			return "not available: " + msg
		}
	}
	return "failed: " + msg
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	s = strings.TrimSpace(lines[len(lines)-1])
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
