package civindex

import (
	"time"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

// Service is the civility-index domain over one database, built once per
// process by New. Its parts share the database and the clock; the RPC
// handlers, the import/export commands and the demo loader all reach them
// through it.
type Service struct {
	base
	Frameworks  *frameworks
	Sites       *sites
	Rounds      *rounds
	Inspections *inspections
	Reports     *reports
}

// ServiceOption changes how New builds the service.
type ServiceOption func(*Service)

// WithHooks has the service call h inside the transactions that record
// inspections and close rounds (supervision uses it; civindex never imports
// it).
func WithHooks(h Hooks) ServiceOption { return func(s *Service) { *s.hooks = h } }

// New builds the civility-index service from the process dependencies; it
// reads the time from d.Clock().
func New(d rpc.Deps, opts ...ServiceOption) (*Service, error) {
	b := base{db: d.DB, clock: d.Clock(), hooks: &Hooks{}}
	s := &Service{
		base: b, Frameworks: &frameworks{b}, Sites: &sites{b}, Rounds: &rounds{b},
		Inspections: &inspections{b}, Reports: &reports{b},
	}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Services returns the civility-index gRPC services over s.
func (s *Service) Services() []rpc.Service {
	return []rpc.Service{
		{Register: (&frameworkHandler{svc: s}).Register, Gateway: civindexv1.RegisterFrameworkServiceHandler, Policy: frameworkPolicy},
		{Register: (&siteHandler{svc: s}).Register, Gateway: civindexv1.RegisterSiteServiceHandler, Policy: sitePolicy},
		{Register: (&roundHandler{svc: s}).Register, Gateway: civindexv1.RegisterRoundServiceHandler, Policy: roundPolicy},
		{Register: (&inspectionHandler{svc: s}).Register, Gateway: civindexv1.RegisterInspectionServiceHandler, Policy: inspectionPolicy},
		{Register: (&indexHandler{svc: s}).Register, Gateway: civindexv1.RegisterIndexServiceHandler, Policy: indexPolicy},
	}
}

// base is what every part of the service holds: the database and the
// clock.
type base struct {
	db    *store.DB
	clock func() time.Time
	hooks *Hooks
}

// now is the service clock at the stored precision.
func (b base) now() time.Time { return store.Stamp(b.clock()) }
