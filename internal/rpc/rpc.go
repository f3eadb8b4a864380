// Package rpc is the contract between the server and the domain packages.
// Every domain is built the same way, New(Deps, ...ServiceOption)
// (*Service, error), and its Services method returns what the server
// registers: the gRPC services, their gateway routes and access rules.
// internal/server/modules.go lists the domains; docs/design.md describes
// the pattern.
package rpc

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"log/slog"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/workcal"
)

// Service is one gRPC service of a domain.
type Service struct {
	// Register adds the service implementation to a gRPC server.
	Register func(grpc.ServiceRegistrar)
	// Gateway registers its HTTP routes (the generated
	// Register<Svc>Handler function).
	Gateway func(context.Context, *runtime.ServeMux, *grpc.ClientConn) error
	// Policy says who may call each method; every method needs a rule.
	Policy auth.Policy
}

// Deps are what domain services may need from the process.
type Deps struct {
	DB *store.DB
	// Location is the configured time zone for day/week buckets and
	// working-day deadlines.
	Location *time.Location
	Logger   *slog.Logger
	// Calendar counts working days for feedback case deadlines; nil means
	// the calendar compiled into the binary, in Location.
	Calendar *workcal.Calendar
	// CaseDueDays is N in "answer a bad review within N working days"; 0
	// means the feedback default.
	CaseDueDays int
	// Secret is the 32-byte server secret (--secret-key), or nil when none
	// is configured. Derive a key per purpose with SubKey; never use it
	// directly.
	Secret []byte
	// Now is the clock every domain reads the time from (deadlines, due
	// dates, timestamps); nil means time.Now. Tests set their own through
	// testserver.WithClock instead of editing times in the database.
	Now func() time.Time
}

// Clock returns Now, or time.Now when Now is nil: the one place the
// default clock is chosen.
func (d Deps) Clock() func() time.Time {
	if d.Now == nil {
		return time.Now
	}
	return d.Now
}

// SubKey derives a 32-byte key for one purpose (e.g. "quiz pseudonym v1",
// "feedback contact v1") from the server secret with HKDF-SHA256, so keys
// for different jobs are independent. It returns nil without a secret.
func (d Deps) SubKey(purpose string) []byte {
	if len(d.Secret) == 0 {
		return nil
	}
	k, err := hkdf.Key(sha256.New, d.Secret, nil, "wenming "+purpose, 32)
	if err != nil {
		panic(err) // only for lengths hkdf cannot produce; 32 always works
	}
	return k
}
