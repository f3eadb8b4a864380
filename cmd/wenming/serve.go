package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/demo"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/server"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/workcal"
)

func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	grpcAddr := fs.String("grpc-addr", envOr("WENMING_GRPC_ADDR", ":9090"), "gRPC listen address (env WENMING_GRPC_ADDR)")
	httpAddr := fs.String("http-addr", envOr("WENMING_HTTP_ADDR", ":8080"), "HTTP listen address (env WENMING_HTTP_ADDR)")
	dsn := dbFlag(fs)
	tz := fs.String("timezone", envOr("WENMING_TIMEZONE", "Asia/Shanghai"), "time zone for day buckets and deadlines (env WENMING_TIMEZONE)")
	noMigrate := fs.Bool("no-migrate", false, "do not migrate on start (stay unready until `wenming migrate` has run)")
	drain := fs.Duration("drain-timeout", 10*time.Second, "how long shutdown waits for in-flight calls")
	withDemo := fs.Bool("demo", false, "load demo data into an empty database and print example calls with demo keys")
	secretFlag := fs.String("secret-key", envOr("WENMING_SECRET_KEY", ""),
		"32-byte server secret, hex or base64, for contact encryption and participant pseudonyms (env WENMING_SECRET_KEY); --demo makes one beside the database")
	ints := envInts{fs: fs}
	anonRate := ints.Int("anon-rate", "WENMING_ANON_RATE", 60, "requests a minute allowed per client address without an API key; 0 = unlimited (env WENMING_ANON_RATE)")
	anonBurst := ints.Int("anon-burst", "WENMING_ANON_BURST", 20, "requests at once allowed per client address without an API key (env WENMING_ANON_BURST)")
	maxBody := ints.Int("max-body", "WENMING_MAX_BODY", server.DefaultMaxBody, "largest HTTP request body and gRPC message, bytes; larger is 413 / RESOURCE_EXHAUSTED (env WENMING_MAX_BODY)")
	maxConns := ints.Int("max-conns", "WENMING_MAX_CONNS", server.DefaultMaxConns, "connections held at once per listener; more wait (env WENMING_MAX_CONNS)")
	maxWrites := ints.Int("max-inflight-writes", "WENMING_MAX_INFLIGHT_WRITES", server.DefaultMaxInflightWrites,
		"most calls of one write method in flight at once (the bound follows throughput below it); more are refused with RESOURCE_EXHAUSTED and a retry hint; -1 = unbounded, for load comparisons (env WENMING_MAX_INFLIGHT_WRITES)")
	callTimeout := fs.Duration("call-timeout", server.DefaultCallTimeout, "longest a call may run, whatever deadline the caller sets")
	trusted := fs.String("trusted-proxies", envOr("WENMING_TRUSTED_PROXIES", ""),
		"CIDRs of proxies whose X-Forwarded-For is believed, comma-separated (env WENMING_TRUSTED_PROXIES); default none: the header is ignored")
	calendars := fs.String("calendar", envOr("WENMING_CALENDAR", ""),
		"working-day calendar YAML file(s), comma-separated (env WENMING_CALENDAR); default: the built-in China 2026 schedule")
	dueDays := ints.Int("case-due-days", "WENMING_CASE_DUE_DAYS", 5, "working days an office has to answer a bad review (env WENMING_CASE_DUE_DAYS)")
	noGroupCommit := fs.Bool("no-group-commit", false, "give every rating its own transaction instead of sharing commits (for load comparisons)")
	logFormat := fs.String("log-format", envOr("WENMING_LOG_FORMAT", "text"), "log format: text or json (env WENMING_LOG_FORMAT)")
	logLevel := fs.String("log-level", envOr("WENMING_LOG_LEVEL", "info"),
		"least severe level logged: debug (also every successful call), info, warn or error (env WENMING_LOG_LEVEL)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := ints.err(); err != nil {
		return err
	}
	proxies, err := server.ParseProxies(*trusted)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	logger, err := newLogger(*logFormat, *logLevel, stderr)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(*tz)
	if err != nil {
		return fmt.Errorf("--timezone: %w", err)
	}

	deps := rpc.Deps{Location: loc, Logger: logger, CaseDueDays: *dueDays}
	if *dueDays < 1 {
		return fmt.Errorf("--case-due-days must be at least 1, not %d", *dueDays)
	}
	if *calendars != "" {
		if deps.Calendar, err = workcal.LoadFiles(loc, strings.Split(*calendars, ",")...); err != nil {
			return fmt.Errorf("--calendar: %w", err)
		}
	} else if deps.Calendar, err = workcal.Embedded(loc); err != nil {
		return err
	}
	if years := deps.Calendar.Years(); !slices.Contains(years, time.Now().In(loc).Year()) {
		logger.Warn("the working-day calendar has no entry for this year; deadlines count weekends only — pass --calendar", "years", years)
	}

	secret, err := parseSecret(*secretFlag)
	if err != nil {
		return fmt.Errorf("--secret-key: %w", err)
	}
	if secret == nil && *withDemo {
		if secret, err = loadOrCreateSecret(demoSecretPath(*dsn)); err != nil {
			return err
		}
	}
	if secret == nil {
		logger.Warn("no --secret-key: ratings with contact details and quiz attempts with a participant id will be refused")
	}

	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.NoGroupCommit = *noGroupCommit
	db.Log = logger

	cfg := server.Config{
		GRPCAddr: *grpcAddr, HTTPAddr: *httpAddr, DrainTimeout: *drain,
		Migrate: !*noMigrate, Logger: logger,
		AnonRatePerMinute: *anonRate, AnonBurst: *anonBurst,
		MaxBody: int64(*maxBody), MaxConns: *maxConns, CallTimeout: *callTimeout,
		MaxInflightWrites: *maxWrites, TrustedProxies: proxies,
	}
	deps.DB, deps.Secret = db, secret
	srv, err := server.New(cfg, deps)
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	if *withDemo {
		if err := db.Migrate(ctx); err != nil {
			return err
		}
		keys, err := demo.Load(ctx, deps)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		demo.PrintExamples(stdout, keys, srv.GRPCAddr(), srv.HTTPAddr())
	}
	return srv.Serve(ctx)
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

func migrate(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "schema is current:", db.DSN)
	return nil
}
