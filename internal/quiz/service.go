package quiz

import (
	"context"
	"math/rand/v2"
	"time"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

// Service is the quiz domain over one database: the question bank,
// contests and play. It is built once per process by New; the RPC handlers,
// the import command and the demo loader all go through it.
type Service struct {
	db       *store.DB
	bank     *bank
	contests *contests
	play     *play
	// key is the HMAC key for participant pseudonyms; nil when the server
	// has no secret, and then no attempt can start.
	key []byte
	// ranks bounds GetMyRank look-ups by identifier per kiosk key.
	ranks *rankLimiter
	// loc is the zone participation days are counted in; now the clock.
	loc *time.Location
	now func() time.Time
}

// option changes how New builds the service; tests use it to control the
// draw.
type ServiceOption func(*config)

type config struct{ shuffle shuffler }

// WithShuffler makes papers drawn and shuffled with s instead of
// math/rand/v2.Shuffle.
func WithShuffler(s shuffler) ServiceOption { return func(c *config) { c.shuffle = s } }

// New builds the quiz service from the process dependencies; it reads the
// time from d.Clock().
func New(d rpc.Deps, opts ...ServiceOption) (*Service, error) {
	c := config{shuffle: rand.Shuffle}
	for _, o := range opts {
		o(&c)
	}
	now := d.Clock()
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	pl := newPlay(d.DB, now, c.shuffle)
	pl.loc = loc
	return &Service{
		db: d.DB, bank: newBank(d.DB, now), contests: newContests(d.DB, now),
		play: pl, key: d.SubKey(pseudonymKeyPurpose),
		ranks: newRankLimiter(), loc: loc, now: now,
	}, nil
}

// Services returns the quiz gRPC services over s.
func (s *Service) Services() []rpc.Service {
	return []rpc.Service{
		{Register: (&questionHandler{svc: s}).Register, Gateway: quizv1.RegisterQuestionServiceHandler, Policy: questionPolicy},
		{Register: (&contestHandler{svc: s}).Register, Gateway: quizv1.RegisterContestServiceHandler, Policy: contestPolicy},
		{Register: (&playHandler{svc: s}).Register, Gateway: quizv1.RegisterPlayServiceHandler, Policy: playPolicy},
		{Register: (&statsHandler{svc: s}).Register, Gateway: quizv1.RegisterQuizStatsServiceHandler, Policy: statsPolicy},
	}
}

// CreateContest writes a draft contest from validated settings in a
// transaction of its own (the demo loader's way in; the RPC handler opens
// its transaction through store.Once instead).
func (s *Service) CreateContest(ctx context.Context, st Settings) (contest, error) {
	var c contest
	err := s.db.WithTx(ctx, func(tx *store.Tx) (err error) {
		c, err = s.contests.Create(ctx, tx, st)
		return err
	})
	return c, err
}

// PublishContest publishes a draft contest; Contests.Publish opens the
// transaction.
func (s *Service) PublishContest(ctx context.Context, id string) (contest, error) {
	return s.contests.Publish(ctx, id)
}
