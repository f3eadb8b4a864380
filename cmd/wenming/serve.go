package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/buildinfo"
	"github.com/wenming/wenming/internal/demo"
	"github.com/wenming/wenming/internal/progress"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/secretkey"
	"github.com/wenming/wenming/internal/server"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/tracing"
	"github.com/wenming/wenming/internal/workcal"
)

type serveCmd struct {
	GRPCAddr       string `name:"grpc-addr" env:"WENMING_GRPC_ADDR" default:":9090" placeholder:"ADDR" help:"gRPC listen address."`
	HTTPAddr       string `name:"http-addr" env:"WENMING_HTTP_ADDR" default:":8080" placeholder:"ADDR" help:"HTTP listen address (gateway, /healthz, /readyz, /metrics)."`
	DBOption       `embed:""`
	TZOption       `embed:""`
	SecretKey      string        `name:"secret-key" env:"WENMING_SECRET_KEY" placeholder:"KEY" help:"32-byte server secret, hex or base64, for contact encryption and participant pseudonyms (e.g. 'openssl rand -hex 32'); --demo makes one beside the database."`
	Calendar       string        `env:"WENMING_CALENDAR" placeholder:"FILES" help:"Working-day calendar YAML file(s), comma-separated; default: the built-in China 2026 schedule."`
	CaseDueDays    int           `name:"case-due-days" env:"WENMING_CASE_DUE_DAYS" default:"5" placeholder:"N" help:"Working days an office has to answer a bad review."`
	AnonRate       int           `name:"anon-rate" env:"WENMING_ANON_RATE" default:"60" placeholder:"N" help:"Calls a minute allowed per client address without an API key; 0 = unlimited."`
	AnonBurst      int           `name:"anon-burst" env:"WENMING_ANON_BURST" default:"20" placeholder:"N" help:"Calls at once allowed per client address without an API key."`
	DrainTimeout   time.Duration `name:"drain-timeout" default:"10s" help:"How long shutdown waits for calls in flight."`
	NoMigrate      bool          `name:"no-migrate" help:"Do not migrate on start (stay unready until 'wenming migrate' has run)."`
	NoGroupCommit  bool          `name:"no-group-commit" help:"Give every rating its own transaction instead of sharing commits (for load comparisons)."`
	LogFormat      string        `name:"log-format" env:"WENMING_LOG_FORMAT" default:"text" enum:"text,json" help:"Log format: text or json."`
	LogLevel       string        `name:"log-level" env:"WENMING_LOG_LEVEL" default:"info" enum:"debug,info,warn,error" help:"Least severe level logged: debug (also every successful call), info, warn or error."`
	CORSOrigins    []string      `name:"cors-origins" env:"WENMING_CORS_ORIGINS" sep:"," placeholder:"ORIGINS" help:"Browser origins allowed to call the HTTP API, comma-separated (https://app.example.org, or * for any); default none."`
	PublicURL      string        `name:"public-url" env:"WENMING_PUBLIC_URL" placeholder:"URL" help:"Address citizens reach this server at, e.g. https://pj.example.gov.cn; put inside QR codes (posters are refused without it)."`
	MaxBody        int           `name:"max-body" env:"WENMING_MAX_BODY" default:"1048576" placeholder:"BYTES" help:"Largest HTTP request body and gRPC message; larger is 413 / RESOURCE_EXHAUSTED."`
	MaxConns       int           `name:"max-conns" env:"WENMING_MAX_CONNS" default:"4096" placeholder:"N" help:"Connections held at once per listener; more wait."`
	MaxWrites      int           `name:"max-inflight-writes" env:"WENMING_MAX_INFLIGHT_WRITES" default:"128" placeholder:"N" help:"Most calls of one write method in flight at once (the bound follows throughput below it); more are refused with RESOURCE_EXHAUSTED and a retry hint; -1 = unbounded, for load comparisons."`
	CallTimeout    time.Duration `name:"call-timeout" env:"WENMING_CALL_TIMEOUT" default:"10s" help:"Longest a call may run, whatever deadline the caller sets."`
	TrustedProxies string        `name:"trusted-proxies" env:"WENMING_TRUSTED_PROXIES" placeholder:"CIDRS" help:"CIDRs of proxies whose X-Forwarded-For is believed, comma-separated; default none: the header is ignored."`
	DBWait         time.Duration `name:"db-wait" env:"WENMING_DB_WAIT" default:"60s" help:"How long to wait for an unreachable PostgreSQL at start, retrying with backoff, before giving up; nothing listens meanwhile."`
	Demo           bool          `help:"Load demo data into an empty database and print example calls with demo keys."`
}

// Validate checks every flag before anything is opened or bound, and
// names the flag at fault.
func (c *serveCmd) Validate() error {
	var errs []error
	for flag, addr := range map[string]string{"--grpc-addr": c.GRPCAddr, "--http-addr": c.HTTPAddr} {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			errs = append(errs, fmt.Errorf("%s: %q is not HOST:PORT or :PORT", flag, addr))
		}
	}
	if _, err := parseSecret(c.SecretKey); err != nil {
		errs = append(errs, fmt.Errorf("--secret-key: %w", err))
	}
	if err := checkPublicURL(c.PublicURL); err != nil {
		errs = append(errs, fmt.Errorf("--public-url: %w", err))
	}
	if _, err := server.ParseProxies(c.TrustedProxies); err != nil {
		errs = append(errs, fmt.Errorf("--trusted-proxies: %w", err))
	}
	if c.MaxBody < 1024 {
		errs = append(errs, fmt.Errorf("--max-body must be at least 1024 bytes, not %d", c.MaxBody))
	}
	if c.MaxConns < 1 {
		errs = append(errs, fmt.Errorf("--max-conns must be at least 1, not %d", c.MaxConns))
	}
	if c.MaxWrites < -1 || c.MaxWrites == 0 {
		errs = append(errs, fmt.Errorf("--max-inflight-writes must be -1 (unbounded) or at least 1, not %d", c.MaxWrites))
	}
	if c.CallTimeout <= 0 {
		errs = append(errs, fmt.Errorf("--call-timeout must be positive, not %s", c.CallTimeout))
	}
	if c.CaseDueDays < 1 {
		errs = append(errs, fmt.Errorf("--case-due-days must be at least 1, not %d", c.CaseDueDays))
	}
	if c.AnonRate < 0 {
		errs = append(errs, fmt.Errorf("--anon-rate must be 0 (unlimited) or more, not %d", c.AnonRate))
	}
	if c.AnonRate > 0 && c.AnonBurst < 1 {
		errs = append(errs, fmt.Errorf("--anon-burst must be at least 1 when --anon-rate limits calls, not %d", c.AnonBurst))
	}
	for i, o := range c.CORSOrigins {
		o = strings.TrimSpace(o)
		c.CORSOrigins[i] = o
		if u, err := url.Parse(o); o != "*" && (err != nil || u.Scheme == "" || u.Host == "" || (u.Path != "" && u.Path != "/")) {
			errs = append(errs, fmt.Errorf("--cors-origins: %q is not an origin like https://app.example.org (or *)", o))
		}
	}
	if c.DBWait < 0 {
		errs = append(errs, fmt.Errorf("--db-wait must be 0 (do not wait) or more, not %s", c.DBWait))
	}
	if c.DrainTimeout <= 0 {
		errs = append(errs, fmt.Errorf("--drain-timeout must be positive, not %s", c.DrainTimeout))
	}
	return errors.Join(errs...)
}

func (c *serveCmd) Run(ctx context.Context, std stdio) error {
	proxies, err := server.ParseProxies(c.TrustedProxies) // checked by Validate
	if err != nil {
		return err
	}
	logger, err := newLogger(c.LogFormat, c.LogLevel, std.err)
	if err != nil {
		return err
	}
	b := buildinfo.Get()
	logger.Info("wenming starting", "version", b.Version, "commit", b.Short(), "go", b.GoVersion)
	loc := c.location()
	deps := rpc.Deps{Location: loc, Logger: logger, CaseDueDays: c.CaseDueDays}
	if c.Calendar != "" {
		if deps.Calendar, err = workcal.LoadFiles(loc, strings.Split(c.Calendar, ",")...); err != nil {
			return fmt.Errorf("--calendar: %w", err)
		}
	} else if deps.Calendar, err = workcal.Embedded(loc); err != nil {
		return err
	}
	if years := deps.Calendar.Years(); !slices.Contains(years, time.Now().In(loc).Year()) {
		logger.Warn("the working-day calendar has no entry for this year; deadlines count weekends only — pass --calendar", "years", years)
	}

	db, err := store.OpenWait(ctx, c.DB, c.DBWait, logger)
	if err != nil {
		return err
	}
	defer db.Close()
	db.NoGroupCommit = c.NoGroupCommit
	db.Log = logger
	secret, err := c.settleSecret(ctx, db, logger)
	if err != nil {
		return err
	}

	tp, stopTracing, err := tracing.FromEnv(ctx, b.Version)
	if err != nil {
		return fmt.Errorf("tracing (OTEL_* environment): %w", err)
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := stopTracing(sctx); err != nil {
			logger.Warn("flushing traces", "err", err)
		}
	}()
	if tp != nil {
		logger.Info("exporting traces over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT is set)")
	}

	cfg := server.Config{
		GRPCAddr: c.GRPCAddr, HTTPAddr: c.HTTPAddr, DrainTimeout: c.DrainTimeout,
		Migrate: !c.NoMigrate, Logger: logger,
		AnonRatePerMinute: c.AnonRate, AnonBurst: c.AnonBurst, PublicURL: c.PublicURL,
		Build: b, CORSOrigins: c.CORSOrigins,
		MaxBody: int64(c.MaxBody), MaxConns: c.MaxConns, CallTimeout: c.CallTimeout,
		MaxInflightWrites: c.MaxWrites, TrustedProxies: proxies, TracerProvider: tp,
	}
	deps.DB, deps.Secret = db, secret
	srv, err := server.New(cfg, deps)
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	if c.Demo {
		meter := progress.New(std.err, "loading demo data", demo.LoadParts, progress.Options{})
		keys, err := demo.LoadReporting(ctx, deps, meter.Add)
		meter.Done()
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		demo.PrintExamples(std.out, keys, srv.GRPCAddr(), srv.HTTPAddr(), c.PublicURL)
	}
	return srv.Serve(ctx)
}

// settleSecret migrates the database (so its record of the key exists)
// and decides the key to run with: the database's recorded fingerprint
// must match --secret-key; without one, a matching key in the demo file
// is used (so a --demo database keeps working without --demo); a
// database with no record takes the key's fingerprint.
func (c *serveCmd) settleSecret(ctx context.Context, db *store.DB, logger *slog.Logger) ([]byte, error) {
	given := secretkey.Candidate{Source: secretkey.SourceFlag}
	given.Key, _ = parseSecret(c.SecretKey) // checked by Validate
	if c.NoMigrate && !c.Demo {
		if current, err := db.SchemaCurrent(ctx); err != nil || !current {
			logger.Warn("schema not current: the secret key is checked against the database once it is migrated and the server restarted")
			return given.Key, err
		}
	} else if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	demoKey := func() ([]byte, error) { return readSecretFile(demoSecretFile) }
	if given.Key == nil && c.Demo {
		key, err := loadOrCreateSecret(demoSecretFile)
		if err != nil {
			return nil, err
		}
		given = secretkey.Candidate{Key: key, Source: secretkey.SourceDemoFile}
	}
	got, err := secretkey.Settle(ctx, db, given, demoKey, time.Now())
	if err != nil {
		return nil, err
	}
	switch {
	case got.Key == nil:
		logger.Warn("no --secret-key: ratings with contact details and quiz attempts with a participant id will be refused")
	case got.Source == secretkey.SourceDemoFile:
		logger.Info("secret key from "+demoSecretFile+" (the demo's); pass --secret-key to use your own", "fingerprint", secretkey.Fingerprint(got.Key))
	default:
		logger.Info("secret key agrees with the fingerprint recorded in the database", "fingerprint", secretkey.Fingerprint(got.Key))
	}
	return got.Key, nil
}

func newLogger(format, level string, w io.Writer) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level: want debug, info, warn or error, not %q", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: want text or json, not %q", format)
}
