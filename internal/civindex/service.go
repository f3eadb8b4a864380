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
	Frameworks  *Frameworks
	Sites       *Sites
	Rounds      *Rounds
	Inspections *Inspections
	Reports     *Reports
}

// ServiceOption changes how New builds the service. There are none yet;
// the type keeps New's shape the same as every other domain's.
type ServiceOption func(*Service)

// New builds the civility-index service from the process dependencies; it
// reads the time from d.Clock().
func New(d rpc.Deps, opts ...ServiceOption) (*Service, error) {
	b := base{db: d.DB, clock: d.Clock()}
	s := &Service{
		base: b, Frameworks: &Frameworks{b}, Sites: &Sites{b}, Rounds: &Rounds{b},
		Inspections: &Inspections{b}, Reports: &Reports{b},
	}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Services returns the civility-index gRPC services over s.
func (s *Service) Services() []rpc.Service {
	return []rpc.Service{
		{Register: (&FrameworkHandler{svc: s}).Register, Gateway: civindexv1.RegisterFrameworkServiceHandler, Policy: FrameworkPolicy},
		{Register: (&SiteHandler{svc: s}).Register, Gateway: civindexv1.RegisterSiteServiceHandler, Policy: SitePolicy},
		{Register: (&RoundHandler{svc: s}).Register, Gateway: civindexv1.RegisterRoundServiceHandler, Policy: RoundPolicy},
		{Register: (&InspectionHandler{svc: s}).Register, Gateway: civindexv1.RegisterInspectionServiceHandler, Policy: InspectionPolicy},
		{Register: (&IndexHandler{svc: s}).Register, Gateway: civindexv1.RegisterIndexServiceHandler, Policy: IndexPolicy},
	}
}

// base is what every part of the service holds: the database and the
// clock.
type base struct {
	db    *store.DB
	clock func() time.Time
}

// now is the service clock at the stored precision.
func (b base) now() time.Time { return store.Stamp(b.clock()) }
