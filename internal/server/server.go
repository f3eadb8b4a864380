package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sort"
	"sync/atomic"
	"time"

	grpcprom "github.com/grpc-ecosystem/go-grpc-middleware/providers/prometheus"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/logging"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/recovery"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/test/bufconn"

	"github.com/wenming/wenming/internal/account"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/buildinfo"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/tracing"
	"github.com/wenming/wenming/internal/web"
)

// Config is how the process is run.
type Config struct {
	GRPCAddr string // e.g. ":9090"; ":0" picks a free port
	HTTPAddr string // e.g. ":8080"
	// DrainTimeout bounds graceful shutdown; calls still running after it
	// are cut off.
	DrainTimeout time.Duration
	// Migrate applies pending migrations on start; without it the server
	// stays unready until someone runs `wenming migrate`.
	Migrate bool
	Logger  *slog.Logger
	// AnonRatePerMinute limits calls without an API key per client
	// address (0 disables); AnonBurst is how many may come at once.
	AnonRatePerMinute int
	AnonBurst         int
	// Limits for a server in public (limits.go, docs/security.md); zero
	// values take the defaults.
	MaxBody           int64         // bytes of an HTTP body or gRPC message
	MaxConns          int           // connections per listener
	CallTimeout       time.Duration // longest a unary call may run
	MaxInflightWrites int           // calls in flight per write method; < 0: unbounded
	// TrustedProxies may set X-Forwarded-For; without any, it is ignored.
	TrustedProxies Proxies
	// Extra services are served beside the domain ones; tests use it for
	// probes (a handler that panics, one that blocks).
	Extra []rpc.Service
	// PublicURL is the address citizens reach the web pages at (for the
	// links printed inside QR codes); "" when not configured.
	PublicURL string
	// CORSOrigins are the browser origins (https://host:port, or "*")
	// allowed to call the HTTP API; none by default.
	CORSOrigins []string
	// ProbeEvery is how often the readiness probe asks the database
	// whether it answers (default 1 s); /readyz and gRPC health both
	// report its last verdict.
	ProbeEvery time.Duration
	// Build is reported by /metrics (wenming_build_info); the zero value
	// means this binary's own (buildinfo.Get).
	Build buildinfo.Info
	// TracerProvider, when set, traces every gRPC call, HTTP request and
	// database transaction (internal/tracing); nil installs no tracing.
	TracerProvider trace.TracerProvider
}

// keyCacheTTL bounds how long a revoked API key may keep working.
const keyCacheTTL = 30 * time.Second

// Server is one wenming process.
type Server struct {
	cfg      Config
	db       *store.DB
	log      *slog.Logger
	grpc     *grpc.Server
	health   *health.Server
	http     *http.Server
	inproc   *bufconn.Listener
	gwConn   *grpc.ClientConn
	registry *prometheus.Registry
	policy   auth.Policy
	ready    atomic.Bool // the schema is current
	dbDown   atomic.Bool // the last probe of the database failed
	draining atomic.Bool
	now      func() time.Time
	grpcLis  net.Listener
	httpLis  net.Listener
}

// New builds the server and checks that every registered method has an
// access rule.
func New(cfg Config, deps rpc.Deps) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.DrainTimeout <= 0 {
		cfg.DrainTimeout = 10 * time.Second
	}
	if cfg.Build == (buildinfo.Info{}) {
		cfg.Build = buildinfo.Get()
	}
	cfg.setLimitDefaults()
	if deps.Location == nil {
		deps.Location = time.UTC
	}
	if deps.Logger == nil {
		deps.Logger = cfg.Logger
	}
	db := deps.DB
	if cfg.ProbeEvery <= 0 {
		cfg.ProbeEvery = time.Second
	}
	s := &Server{cfg: cfg, db: db, log: cfg.Logger, registry: prometheus.NewRegistry(), now: deps.Clock()}
	s.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		buildInfoGauge(cfg.Build))

	mods, err := services(deps)
	if err != nil {
		return nil, err
	}
	mods = append(mods, cfg.Extra...)
	policy := auth.Policy{}
	for _, m := range mods {
		if err := policy.Merge(m.Policy); err != nil {
			return nil, err
		}
	}
	if err := policy.Merge(infraPolicy); err != nil {
		return nil, err
	}

	metrics := grpcprom.NewServerMetrics(grpcprom.WithServerHandlingTimeHistogram())
	s.registry.MustRegister(metrics)
	// Keys are cached briefly; revocation takes effect within keyCacheTTL.
	guard := auth.NewGuard(policy, auth.WithSessions(
		auth.NewCachedResolver(auth.NewKeys(db), keyCacheTTL),
		auth.NewSessions(db, account.SessionIdle, account.SessionMax)))
	errs := newErrorMapper(s.log, deps.Clock())
	limiter := newAnonLimiter(cfg.AnonRatePerMinute, cfg.AnonBurst)
	var gate writeGate
	logOpts := []logging.Option{
		logging.WithLogOnEvents(logging.FinishCall),
		logging.WithFieldsFromContext(logFields),
		logging.WithLevels(callLevel),
	}
	recoverOpt := recovery.WithRecoveryHandlerContext(func(ctx context.Context, p any) error { return errs.recovered(ctx, p) })
	opts := grpcLimitOptions(cfg)
	if tp := cfg.TracerProvider; tp != nil {
		opts = append(opts, grpc.StatsHandler(otelgrpc.NewServerHandler(
			otelgrpc.WithTracerProvider(tp), otelgrpc.WithPropagators(tracing.Propagator))))
		if db != nil {
			db.Tracer = tp.Tracer("github.com/wenming/wenming/internal/store")
		}
	}
	opts = append(opts,
		grpc.NumStreamWorkers(streamWorkers),
		grpc.ChainUnaryInterceptor(
			requestIDUnary,
			cfg.TrustedProxies.unary,
			callTimeout(cfg.CallTimeout),
			metrics.UnaryServerInterceptor(),
			logUnary(s.log, logOpts...),
			errs.unary,
			recovery.UnaryServerInterceptor(recoverOpt),
			guard.Unary,
			limiter.unary,
			textRule,
			func(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
				return gate.unary(ctx, req, info, next)
			},
		),
		grpc.ChainStreamInterceptor(
			requestIDStream,
			cfg.TrustedProxies.stream,
			metrics.StreamServerInterceptor(),
			logging.StreamServerInterceptor(slogLogger(s.log), logOpts...),
			errs.stream,
			recovery.StreamServerInterceptor(recoverOpt),
			guard.Stream,
			limiter.stream,
		),
	)
	s.grpc = grpc.NewServer(opts...)
	for _, m := range mods {
		m.Register(s.grpc)
	}
	s.health = health.NewServer()
	healthpb.RegisterHealthServer(s.grpc, s.health)
	s.setHealth() // NOT_SERVING, by name too, until becomeReady
	reflection.Register(s.grpc)
	// The gate needs the registered methods, the chain above needs the
	// gate: it is filled in before the first call can arrive.
	gate = newWriteGate(s.grpc, cfg.MaxInflightWrites)
	metrics.InitializeMetrics(s.grpc)

	s.policy = policy
	if missing := unguarded(s.grpc, policy); len(missing) > 0 {
		return nil, fmt.Errorf("server: methods without an access rule: %v", missing)
	}

	s.inproc = bufconn.Listen(1 << 20)
	gw, conn, err := newGateway(s.inproc, mods, cfg.TracerProvider)
	if err != nil {
		return nil, err
	}
	s.gwConn = conn
	apps, err := webApps(web.Env{
		Conn: conn, PublicURL: cfg.PublicURL, SubKey: deps.SubKey,
		Now: deps.Clock(), Location: deps.Location, Logger: s.log,
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	handler := s.front(s.httpHandler(gw, apps))
	if tp := cfg.TracerProvider; tp != nil {
		// The span is named "METHOD route" once the route is known (front).
		handler = otelhttp.NewHandler(handler, "http", otelhttp.WithTracerProvider(tp),
			otelhttp.WithPropagators(tracing.Propagator))
	}
	s.http = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: httpReadHeaderTimeout,
		ReadTimeout:       httpReadTimeout,
		WriteTimeout:      cfg.CallTimeout + httpWriteSlack,
		IdleTimeout:       httpIdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	return s, nil
}

// unguarded lists registered methods that the policy does not mention.
func unguarded(g *grpc.Server, p auth.Policy) []string {
	var missing []string
	for svc, info := range g.GetServiceInfo() {
		for _, m := range info.Methods {
			name := "/" + svc + "/" + m.Name
			if _, ok := p[name]; !ok {
				missing = append(missing, name)
			}
		}
	}
	sort.Strings(missing)
	return missing
}

// Listen binds both ports; after it the Addr methods report real addresses.
func (s *Server) Listen() error {
	var err error
	if s.grpcLis, err = net.Listen("tcp", s.cfg.GRPCAddr); err != nil {
		return fmt.Errorf("server: listen gRPC on %s: %w", s.cfg.GRPCAddr, err)
	}
	if s.httpLis, err = net.Listen("tcp", s.cfg.HTTPAddr); err != nil {
		s.grpcLis.Close()
		return fmt.Errorf("server: listen HTTP on %s: %w", s.cfg.HTTPAddr, err)
	}
	s.grpcLis = limitListener(s.grpcLis, s.cfg.MaxConns)
	s.httpLis = limitListener(s.httpLis, s.cfg.MaxConns)
	return nil
}

// GRPCAddr is the bound gRPC address (after Listen).
func (s *Server) GRPCAddr() string { return s.grpcLis.Addr().String() }

// HTTPAddr is the bound HTTP address (after Listen).
func (s *Server) HTTPAddr() string { return s.httpLis.Addr().String() }

// Serve runs until ctx is cancelled, then drains and returns nil, or returns
// the first serving error. It calls Listen if that has not been done.
func (s *Server) Serve(ctx context.Context) error {
	if s.grpcLis == nil {
		if err := s.Listen(); err != nil {
			return err
		}
	}
	errc := make(chan error, 3)
	go func() { errc <- s.grpc.Serve(s.grpcLis) }()
	go func() { errc <- s.grpc.Serve(s.inproc) }()
	go func() {
		if err := s.http.Serve(s.httpLis); !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	s.log.Info("serving", "grpc", s.GRPCAddr(), "http", s.HTTPAddr(), "db", s.db.DSN)

	if err := s.becomeReady(ctx); err != nil {
		s.stop()
		return err
	}
	probeCtx, stopProbe := context.WithCancel(ctx)
	defer stopProbe()
	go s.probe(probeCtx)
	select {
	case <-ctx.Done():
	case err := <-errc:
		s.stop()
		return fmt.Errorf("server: %w", err)
	}
	return s.shutdown()
}

// becomeReady migrates (if configured) and flips health to SERVING once the
// schema is current.
func (s *Server) becomeReady(ctx context.Context) error {
	if s.cfg.Migrate {
		if err := s.db.Migrate(ctx); err != nil {
			return err
		}
	}
	current, err := s.db.SchemaCurrent(ctx)
	if err != nil {
		return err
	}
	if !current {
		s.log.Warn("schema is not current; run `wenming migrate` — staying unready")
		return nil
	}
	s.ready.Store(true)
	s.setHealth()
	return nil
}

// streamWorkers is how many goroutines grpc-go keeps to serve calls; past
// them it starts one per call as it does without workers. A fresh
// goroutine grows its stack through the interceptors and the handler on
// every call (6 % of the server's CPU in a rating burst); a kept one has
// grown it already. 64 covers the calls a burst keeps waiting for a group
// commit. Measured back to back with ghz at c=50 (docs/performance.md):
// SubmitRating 0.53× → 0.58× of bare gRPC, 84 → 75 µs of server CPU each.
const streamWorkers = 64

// shutdown reports NOT_SERVING, stops taking new work, and waits for
// in-flight calls up to the drain deadline.
func (s *Server) shutdown() error {
	s.log.Info("shutting down", "drain_timeout", s.cfg.DrainTimeout)
	s.draining.Store(true)
	s.health.Shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.DrainTimeout)
	defer cancel()

	httpDone := make(chan error, 1)
	go func() { httpDone <- s.http.Shutdown(ctx) }()
	grpcDone := make(chan struct{})
	go func() { s.grpc.GracefulStop(); close(grpcDone) }()

	var err error
	select {
	case <-grpcDone:
	case <-ctx.Done():
		s.log.Warn("drain deadline passed; cutting off remaining calls")
		s.grpc.Stop()
	}
	if herr := <-httpDone; herr != nil && !errors.Is(herr, context.DeadlineExceeded) {
		err = herr
	}
	s.http.Close()
	s.gwConn.Close()
	s.log.Info("stopped")
	return err
}

func (s *Server) stop() {
	s.health.Shutdown()
	s.http.Close()
	s.grpc.Stop()
	s.gwConn.Close()
}
