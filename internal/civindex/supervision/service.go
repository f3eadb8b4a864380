package supervision

import (
	"fmt"
	"time"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/workcal"
)

// DefaultRectifyDays is N in "rectify a shortfall within N working days".
const DefaultRectifyDays = 10

// Service is supervision over one database, with the civility-index
// service it hooks into.
type Service struct {
	Civ   *civindex.Service
	db    *store.DB
	clock func() time.Time
	cal   *workcal.Calendar
	// loc is the time zone years begin in.
	loc *time.Location
	// rectifyDays is N for rectification due dates.
	rectifyDays int
}

// ServiceOption changes how New builds the service.
type ServiceOption func(*Service)

// WithRectifyDays sets how many working days a unit has to rectify a
// shortfall.
func WithRectifyDays(n int) ServiceOption { return func(s *Service) { s.rectifyDays = n } }

// New builds supervision and the civility-index service beneath it. Due
// dates count working days on the feedback calendar (d.Calendar, or the
// embedded one in d.Location).
func New(d rpc.Deps, opts ...ServiceOption) (*Service, error) {
	s := &Service{db: d.DB, clock: d.Clock(), cal: d.Calendar, rectifyDays: DefaultRectifyDays, loc: d.Location}
	if s.loc == nil {
		s.loc = time.UTC
	}
	for _, o := range opts {
		o(s)
	}
	if s.rectifyDays <= 0 {
		return nil, fmt.Errorf("supervision: rectify days must be positive, got %d", s.rectifyDays)
	}
	if s.cal == nil {
		cal, err := workcal.Embedded(s.loc)
		if err != nil {
			return nil, err
		}
		s.cal = cal
	}
	civ, err := civindex.New(d, civindex.WithHooks(civindex.Hooks{Recorded: s.onRecorded, Closed: s.onClosed}))
	if err != nil {
		return nil, err
	}
	s.Civ = civ
	return s, nil
}

// Services returns the civility-index services and SupervisionService.
func (s *Service) Services() []rpc.Service {
	return append(s.Civ.Services(), rpc.Service{
		Register: (&handler{svc: s}).Register, Gateway: civindexv1.RegisterSupervisionServiceHandler, Policy: policy,
	})
}

// now is the service clock at the stored precision.
func (s *Service) now() time.Time { return store.Stamp(s.clock()) }
