package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
)

// runStartAttempts drives StartAttempt alone from cfg.concurrency kiosks,
// each for a new participant, to see how the server sheds a burst
// (--max-inflight-writes). A shed call (RESOURCE_EXHAUSTED with a retry
// hint) makes that kiosk wait the hint, as a well-behaved client would,
// rather than hammer the server. Latency percentiles are over admitted
// calls only; the shed share goes to stderr and into Errors.
func runStartAttempts(ctx context.Context, cfg *config, s *server, contestID string, communities []string) (measurement, error) {
	conns, err := dialConns(cfg, s)
	if err != nil {
		return measurement{}, err
	}
	defer closeConns(conns)
	kctx := s.as(ctx, "kiosk")
	run := gameNonce.Add(1)
	var shed, failed atomic.Int64
	var firstErr atomic.Pointer[error]
	lats := make([][]time.Duration, cfg.concurrency)
	stop := time.Now().Add(cfg.duration)
	begin := time.Now()
	var wg sync.WaitGroup
	for w := range cfg.concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pc := quizv1.NewPlayServiceClient(conns[w%len(conns)])
			for n := 0; time.Now().Before(stop) && ctx.Err() == nil; n++ {
				participant := fmt.Sprintf("SHED%04d%04d%07d", run, w, n)
				t0 := time.Now()
				_, err := pc.StartAttempt(kctx, &quizv1.StartAttemptRequest{
					ContestId: contestID, DisplayName: "压测" + participant[len(participant)-6:],
					Community: communities[w%len(communities)], ParticipantIdentifier: participant,
				})
				took := time.Since(t0)
				switch {
				case err == nil:
					lats[w] = append(lats[w], took)
				case status.Code(err) == codes.ResourceExhausted:
					shed.Add(1)
					sleepCtx(ctx, retryHint(err))
				default:
					failed.Add(1)
					firstErr.CompareAndSwap(nil, &err)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(begin)
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	slices.Sort(all)
	m := measurement{Count: int64(len(all)) + shed.Load() + failed.Load(), Errors: shed.Load() + failed.Load()}
	m.RPS = float64(len(all)) / elapsed.Seconds()
	m.P50, m.P99 = percentile(all, 0.50), percentile(all, 0.99)
	fmt.Fprintf(os.Stderr, "start-attempt: c=%d admitted %d (p50 %s, p99 %s), shed %d (%.1f %% of calls), other errors %d\n",
		cfg.concurrency, len(all), fmtDur(m.P50), fmtDur(m.P99), shed.Load(),
		100*float64(shed.Load())/float64(max(m.Count, 1)), failed.Load())
	if len(all) == 0 && firstErr.Load() != nil {
		return m, *firstErr.Load()
	}
	return m, nil
}

// retryHint is the RetryInfo delay of a refused call, or a second.
func retryHint(err error) time.Duration {
	for _, d := range status.Convert(err).Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok {
			return ri.GetRetryDelay().AsDuration()
		}
	}
	return time.Second
}

func sleepCtx(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
