package server

import (
	"context"
	"time"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/reflection/grpc_reflection_v1alpha"
)

// probeTimeout bounds one look at the database: a stalled database
// counts as down once a ping has waited this long.
const probeTimeout = 2 * time.Second

// probe asks the database every cfg.ProbeEvery whether it answers, until
// ctx ends. It is the one probe behind both /readyz and gRPC health: a
// load balancer of either kind stops sending calls to a replica whose
// database is out of reach, and sends them again within a probe interval
// (plus the ping) of the database answering. Each change is logged once.
func (s *Server) probe(ctx context.Context) {
	t := time.NewTicker(s.cfg.ProbeEvery)
	defer t.Stop()
	var since time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, probeTimeout)
		err := s.db.Ping(pctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		down := err != nil
		if s.dbDown.Swap(down) == down {
			continue
		}
		s.setHealth()
		if down {
			since = s.now()
			s.log.Error("database unreachable: reporting NOT_SERVING until it answers", "error", err)
		} else {
			s.log.Info("database answers again: reporting SERVING", "outage", s.now().Sub(since).Round(time.Millisecond).String())
		}
	}
}

// serving is the one verdict /readyz and gRPC health report.
func (s *Server) serving() (ok bool, reason string) {
	switch {
	case s.draining.Load():
		return false, "shutting down"
	case !s.ready.Load():
		return false, "schema not migrated"
	case s.dbDown.Load():
		return false, "database unreachable"
	}
	return true, ""
}

// setHealth puts the verdict into gRPC health, for the server as a whole
// ("") and for each of its services by name.
func (s *Server) setHealth() {
	st := healthpb.HealthCheckResponse_NOT_SERVING
	if ok, _ := s.serving(); ok {
		st = healthpb.HealthCheckResponse_SERVING
	}
	s.health.SetServingStatus("", st)
	for name := range s.grpc.GetServiceInfo() {
		switch name {
		case healthpb.Health_ServiceDesc.ServiceName, grpc_reflection_v1.ServerReflection_ServiceDesc.ServiceName,
			grpc_reflection_v1alpha.ServerReflection_ServiceDesc.ServiceName:
			continue
		}
		s.health.SetServingStatus(name, st)
	}
}
