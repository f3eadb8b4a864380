package feedback

import (
	"fmt"
	"time"

	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/workcal"
)

// DefaultDueDays is how many working days a department has to answer a bad
// review unless configured otherwise.
const DefaultDueDays = 5

// ContactKeyPurpose names the sub-key of the server secret that encrypts
// raters' contacts.
const ContactKeyPurpose = "feedback contact v1"

// Config tunes the feedback service.
type Config struct {
	// DueDays is N in "answer within N working days"; DefaultDueDays if 0.
	DueDays int
	// Calendar counts working days; workcal.Embedded in the deps' time zone
	// if nil. A --calendar FILE flag sets it with workcal.LoadFiles.
	Calendar *workcal.Calendar
}

// ServiceOption changes one setting of Config.
type ServiceOption func(*Config)

// WithDueDays sets how many working days a case has.
func WithDueDays(n int) ServiceOption { return func(c *Config) { c.DueDays = n } }

// WithCalendar sets the working-day calendar.
func WithCalendar(cal *workcal.Calendar) ServiceOption { return func(c *Config) { c.Calendar = cal } }

// Service is the feedback domain over one database: targets, ratings,
// statistics and cases. Handlers call it; so do the import/export commands
// and the demo loader.
type Service struct {
	db      *store.DB
	loc     *time.Location
	cal     *workcal.Calendar
	dueDays int
	clock   func() time.Time
	// contacts is nil when the server has no secret key.
	contacts *sealer
	// digestKey keys the contact digest that stands in for the contact in
	// idempotency hashes; nil without a secret key.
	digestKey []byte

	// ingest is the group commit of SubmitRating, started by New (so
	// db.NoGroupCommit must be set before).
	ingest *ratingBatch
}

// New builds the service from the process dependencies: the deps'
// calendar and case due days (the serve flags) apply unless opts set them,
// and the time is read from d.Clock().
func New(d rpc.Deps, opts ...ServiceOption) (*Service, error) {
	c := Config{DueDays: d.CaseDueDays, Calendar: d.Calendar}
	for _, o := range opts {
		o(&c)
	}
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	if c.DueDays < 0 {
		return nil, fmt.Errorf("feedback: due days must not be negative, got %d", c.DueDays)
	}
	if c.DueDays == 0 {
		c.DueDays = DefaultDueDays
	}
	if c.Calendar == nil {
		cal, err := workcal.Embedded(loc)
		if err != nil {
			return nil, err
		}
		c.Calendar = cal
	}
	s := &Service{db: d.DB, loc: loc, cal: c.Calendar, dueDays: c.DueDays, clock: d.Clock()}
	s.ingest = store.NewBatchOnce(d.DB, "ratings", maxRatingBatch, s.applyRatings)
	if key := d.SubKey(ContactKeyPurpose); key != nil {
		sl, err := newSealer(key)
		if err != nil {
			return nil, err
		}
		s.contacts = sl
		s.digestKey = d.SubKey(ContactKeyPurpose + " digest")
	}
	return s, nil
}

// now is the service clock in UTC at the stored precision.
func (s *Service) now() time.Time { return store.Stamp(s.clock()) }
