package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/wenming/wenming/bench/internal/datagen"
	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
)

// Endpoint is one server the load can talk to.
type Endpoint struct {
	ID   int
	Name string
	Conn *grpc.ClientConn
	dead atomic.Bool
}

// Pool holds the endpoints the load spreads over. A call goes to the
// endpoint its worker prefers while that one is up, else to any live one;
// with none up it waits (a restart is coming).
type Pool struct {
	mu   sync.RWMutex
	eps  []*Endpoint
	next int
}

// Add dials a server and makes it available; it returns the endpoint.
func (p *Pool) Add(s *Server) (*Endpoint, error) {
	conn, err := grpc.NewClient(s.GRPCAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	ep := &Endpoint{ID: p.next, Name: s.Name, Conn: conn}
	p.next++
	p.eps = append(p.eps, ep)
	return ep, nil
}

// Down marks an endpoint dead (its server was killed): no call picks it
// again. Calls already on their way fail and are retried elsewhere.
func (p *Pool) Down(ep *Endpoint) {
	ep.dead.Store(true)
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, e := range p.eps {
		if e == ep {
			p.eps = append(p.eps[:i:i], p.eps[i+1:]...)
			break
		}
	}
	go ep.Conn.Close()
}

// Close closes every connection.
func (p *Pool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.eps {
		e.Conn.Close()
	}
	p.eps = nil
}

func (p *Pool) pick(ctx context.Context, prefer int, r *rand.Rand) (*Endpoint, error) {
	for {
		p.mu.RLock()
		var ep *Endpoint
		for _, e := range p.eps {
			if e.ID == prefer {
				ep = e
			}
		}
		if ep == nil && len(p.eps) > 0 {
			ep = p.eps[r.IntN(len(p.eps))]
		}
		p.mu.RUnlock()
		if ep != nil {
			return ep, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Call is one write the load made, with the request id it carried.
type Call struct {
	Kind   string // "rating", "start", "answer", "submit", "inspection"
	Method string
	Role   string
	Req    proto.Message
	Resp   proto.Message // the acknowledged reply; nil if never acknowledged
	Err    error         // the last error when never acknowledged
	// Tries is how many sends it took; Where is the endpoint that answered.
	Tries int
	Where int
}

// Game is one kiosk game: StartAttempt, AnswerQuestion per question,
// SubmitAttempt, each with its own request id.
type Game struct {
	AttemptID string
	StartedOn int // endpoint that acknowledged StartAttempt
	EndedOn   int // endpoint that acknowledged SubmitAttempt (-1 until then)
	Score     float64
}

// Load drives ratings, whole kiosk games and inspections against a Pool,
// every call with a request id, retrying a call that failed because its
// server went away with the same id until some server answers it.
type Load struct {
	Pool     *Pool
	Keys     map[string]string
	Fixtures Fixtures
	// Seed makes the mix and the request ids reproducible.
	Seed uint64

	mu    sync.Mutex
	calls []*Call
	games []*Game

	retries atomic.Int64
	nonce   atomic.Int64
}

// Fixtures are what the load writes against, made once per database.
type Fixtures struct {
	Feedback datagen.FeedbackTargets
	Contest  datagen.Contest
	Index    datagen.IndexData
}

// MakeFixtures creates the targets, a contest and an index round through
// the API with the admin key.
func MakeFixtures(ctx context.Context, conn grpc.ClientConnInterface, adminKey string) (Fixtures, error) {
	ctx = metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+adminKey)
	var f Fixtures
	var err error
	if f.Feedback, err = datagen.CreateFeedbackTargets(ctx, conn, 4); err != nil {
		return f, err
	}
	if f.Contest, err = datagen.CreateContest(ctx, conn, 5); err != nil {
		return f, err
	}
	if f.Index, err = datagen.CreateIndexData(ctx, conn, 10, 12, 1); err != nil {
		return f, err
	}
	return f, nil
}

// Calls returns a copy of every call made so far.
func (l *Load) Calls() []Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Call, len(l.calls))
	for i, c := range l.calls {
		out[i] = *c
	}
	return out
}

// Games returns a copy of every game begun so far.
func (l *Load) Games() []Game {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Game, len(l.games))
	for i, g := range l.games {
		out[i] = *g
	}
	return out
}

// Retries is how many sends failed and were sent again.
func (l *Load) Retries() int64 { return l.retries.Load() }

// Run starts workers that each keep making writes until stop is closed,
// then finish what they are doing (a game is played to its end) and
// return. Worker w prefers endpoint prefer(w).
func (l *Load) Run(ctx context.Context, workers int, prefer func(w int) int, stop <-chan struct{}) {
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(l.Seed, uint64(w)))
			home := prefer(w)
			for {
				select {
				case <-stop:
					return
				case <-ctx.Done():
					return
				default:
				}
				switch x := r.IntN(100); {
				case x < 60:
					l.rating(ctx, r, home)
				case x < 85:
					l.game(ctx, r, home)
				default:
					l.inspection(ctx, r, home)
				}
			}
		}()
	}
	wg.Wait()
}

func (l *Load) rid(kind string) string {
	return fmt.Sprintf("%s-%x-%d", kind, l.Seed, l.nonce.Add(1))
}

// retryable errors are the ones a server that went away (or is busy)
// gives: the same request id is sent again.
func retryable(err error) bool {
	switch status.Code(err) {
	case codes.Unavailable, codes.DeadlineExceeded, codes.Aborted, codes.ResourceExhausted, codes.Canceled:
		return true
	}
	return false
}

// callTimeout bounds one send; giveUp bounds all the sends of one call.
const (
	callTimeout = 15 * time.Second
	giveUp      = 3 * time.Minute
)

// do sends c until a server acknowledges it, a refusal that is not about
// the server's health comes back, or giveUp passes. It records c.
func (l *Load) do(ctx context.Context, r *rand.Rand, prefer int, c *Call, resp proto.Message) error {
	l.mu.Lock()
	l.calls = append(l.calls, c)
	l.mu.Unlock()
	return l.send(ctx, r, prefer, c, resp)
}

// send is do without recording the call.
func (l *Load) send(ctx context.Context, r *rand.Rand, prefer int, c *Call, resp proto.Message) error {
	start := time.Now()
	for {
		ep, err := l.Pool.pick(ctx, prefer, r)
		if err != nil {
			l.mu.Lock()
			c.Err = err
			l.mu.Unlock()
			return err
		}
		l.mu.Lock()
		c.Tries++
		l.mu.Unlock()
		cctx, cancel := context.WithTimeout(metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+l.Keys[c.Role]), callTimeout)
		err = ep.Conn.Invoke(cctx, c.Method, c.Req, resp)
		cancel()
		l.mu.Lock()
		if err == nil {
			c.Resp, c.Where, c.Err = resp, ep.ID, nil
		} else {
			c.Err = err
		}
		l.mu.Unlock()
		if err == nil {
			return nil
		}
		if !retryable(err) || ctx.Err() != nil || time.Since(start) > giveUp {
			return err
		}
		l.retries.Add(1)
		time.Sleep(time.Duration(10+r.IntN(40)) * time.Millisecond)
	}
}

func (l *Load) rating(ctx context.Context, r *rand.Rand, home int) {
	fb := l.Fixtures.Feedback
	req := &feedbackv1.SubmitRatingRequest{
		TargetId: fb.WindowIDs[r.IntN(len(fb.WindowIDs))], Level: int32(1 + r.IntN(5)),
		Dimensions: []*feedbackv1.DimensionLevel{{Key: "attitude", Level: int32(1 + r.IntN(5))}},
		Channel:    feedbackv1.Channel_CHANNEL_KIOSK, RequestId: l.rid("rating"),
	}
	_ = l.do(ctx, r, home, &Call{Kind: "rating", Method: feedbackv1.RatingService_SubmitRating_FullMethodName, Role: "kiosk", Req: req},
		&feedbackv1.SubmitRatingResponse{})
}

func (l *Load) inspection(ctx context.Context, r *rand.Rand, home int) {
	ix := l.Fixtures.Index
	results := make([]*civindexv1.ItemResult, len(ix.ItemIDs))
	for k, id := range ix.ItemIDs {
		results[k] = &civindexv1.ItemResult{ItemId: id, Met: r.IntN(4) != 0}
	}
	req := &civindexv1.SubmitInspectionRequest{RoundId: ix.RoundIDs[0], SiteId: ix.SiteIDs[r.IntN(len(ix.SiteIDs))],
		Results: results, RequestId: l.rid("inspection")}
	_ = l.do(ctx, r, home, &Call{Kind: "inspection", Method: civindexv1.InspectionService_SubmitInspection_FullMethodName,
		Role: "inspector", Req: req}, &civindexv1.SubmitInspectionResponse{})
}

// game plays one whole game on home while it is up; a step that fails
// because its server died is sent again, with its request id, to a live
// one, and the game goes on there.
func (l *Load) game(ctx context.Context, r *rand.Rand, home int) {
	ct := l.Fixtures.Contest
	n := l.nonce.Add(1)
	st := &quizv1.StartAttemptResponse{}
	start := &Call{Kind: "start", Method: quizv1.PlayService_StartAttempt_FullMethodName, Role: "kiosk",
		Req: &quizv1.StartAttemptRequest{
			ContestId: ct.ID, DisplayName: fmt.Sprintf("居民%d", n%100000), Community: ct.Communities[r.IntN(len(ct.Communities))],
			ParticipantIdentifier: fmt.Sprintf("CRASH%x%09d", l.Seed, n), RequestId: l.rid("start"),
		}}
	if err := l.do(ctx, r, home, start, st); err != nil {
		return
	}
	l.mu.Lock()
	g := &Game{AttemptID: st.GetAttempt().GetId(), StartedOn: start.Where, EndedOn: -1}
	l.games = append(l.games, g)
	l.mu.Unlock()
	for _, q := range st.GetQuestions() {
		key := "A"
		if r.IntN(3) == 0 && len(q.GetOptions()) > 0 {
			key = q.GetOptions()[len(q.GetOptions())-1].GetKey()
		}
		ans := &Call{Kind: "answer", Method: quizv1.PlayService_AnswerQuestion_FullMethodName, Role: "kiosk",
			Req: &quizv1.AnswerQuestionRequest{AttemptId: g.AttemptID, Index: q.GetIndex(), ChosenKeys: []string{key}, RequestId: l.rid("answer")}}
		if err := l.do(ctx, r, home, ans, &quizv1.AnswerQuestionResponse{}); err != nil {
			return
		}
	}
	sub := &Call{Kind: "submit", Method: quizv1.PlayService_SubmitAttempt_FullMethodName, Role: "kiosk",
		Req: &quizv1.SubmitAttemptRequest{AttemptId: g.AttemptID, RequestId: l.rid("submit")}}
	resp := &quizv1.SubmitAttemptResponse{}
	if err := l.do(ctx, r, home, sub, resp); err != nil {
		return
	}
	l.mu.Lock()
	g.EndedOn, g.Score = sub.Where, resp.GetAttempt().GetScore()
	l.mu.Unlock()
}
