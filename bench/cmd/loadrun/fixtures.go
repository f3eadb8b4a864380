package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/wenming/wenming/bench/internal/datagen"
	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
)

// fixtures are the things scenarios of one backend need, made once through
// the public RPCs with the admin key. Each is built on first use and its
// error kept, so a missing RPC turns only its own scenarios into "not
// available" rows.
type fixtures struct {
	s   *server
	cfg *config

	fb    *datagen.FeedbackTargets
	fbErr error
	ct    *datagen.Contest
	ctErr error
	ix    *datagen.IndexData
	ixErr error
}

func (f *fixtures) feedback(ctx context.Context) (datagen.FeedbackTargets, error) {
	if f.fb == nil && f.fbErr == nil {
		t, err := datagen.CreateFeedbackTargets(f.s.as(ctx, "admin"), f.s.conn, 3)
		f.fb, f.fbErr = &t, err
	}
	if f.fbErr != nil {
		return datagen.FeedbackTargets{}, f.fbErr
	}
	return *f.fb, nil
}

func (f *fixtures) contest(ctx context.Context) (datagen.Contest, error) {
	if f.ct == nil && f.ctErr == nil {
		c, err := datagen.CreateContest(f.s.as(ctx, "admin"), f.s.conn, 10)
		f.ct, f.ctErr = &c, err
	}
	if f.ctErr != nil {
		return datagen.Contest{}, f.ctErr
	}
	return *f.ct, nil
}

func (f *fixtures) index(ctx context.Context) (datagen.IndexData, error) {
	if f.ix == nil && f.ixErr == nil {
		d, err := datagen.CreateIndexData(f.s.as(ctx, "admin"), f.s.conn, 20, 50, 1)
		if err == nil {
			err = datagen.SubmitInspections(f.s.as(ctx, "admin"), f.s.conn, d, 4)
		}
		f.ix, f.ixErr = &d, err
	}
	if f.ixErr != nil {
		return datagen.IndexData{}, f.ixErr
	}
	return *f.ix, nil
}

// prepare builds the fixtures of the chosen scenarios before any load runs
// and gives the read scenarios something to read: ratings to summarise and
// finished games to rank, even when the write scenarios are not run.
func (f *fixtures) prepare(ctx context.Context, chosen []string) {
	want := func(names ...string) bool {
		return slices.ContainsFunc(names, func(n string) bool { return slices.Contains(chosen, n) })
	}
	t0 := time.Now()
	if want("rating-grpc", "rating-http", "feedback-stats") {
		if fx, err := f.feedback(ctx); err == nil && want("feedback-stats") {
			f.fbErr = seedRatings(f.s.as(ctx, "kiosk"), f.s, fx, 300)
		}
	}
	if want("kiosk-game", "leaderboard") {
		if c, err := f.contest(ctx); err == nil && want("leaderboard") {
			seed := *f.cfg
			seed.concurrency, seed.duration = 4, 2*time.Second
			m, err := runGames(ctx, &seed, f.s, c, "seed")
			if err == nil && m.Count-m.Errors == 0 {
				err = fmt.Errorf("no game finished while seeding the leaderboard")
			}
			if err != nil {
				f.ctErr = err
			}
		}
	}
	if want("round-index") {
		_, _ = f.index(ctx)
	}
	logf("fixtures on %s ready in %s", f.s.backend, time.Since(t0).Round(time.Millisecond))
}

func seedRatings(ctx context.Context, s *server, fx datagen.FeedbackTargets, n int) error {
	c := feedbackv1.NewRatingServiceClient(s.conn)
	for i := range n {
		_, err := c.SubmitRating(ctx, &feedbackv1.SubmitRatingRequest{
			TargetId: fx.WindowIDs[i%len(fx.WindowIDs)], Level: int32(3 + i%3),
			Dimensions: []*feedbackv1.DimensionLevel{{Key: "attitude", Level: int32(1 + i%5)}},
			Channel:    feedbackv1.Channel_CHANNEL_QR,
		})
		if err != nil {
			return fmt.Errorf("seed ratings: %w", err)
		}
	}
	return nil
}
