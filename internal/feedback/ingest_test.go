package feedback

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc/codes"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

// TestRatingBurstSharesCommitsAndKeepsEachAnswer fires a burst of
// SubmitRatings at once, so they are written in shared batches, mixing
// good ratings, bad reviews that open cases, ratings the batch must refuse
// (unknown and deactivated targets, a dimension the form lacks) and
// request ids used several times within the burst. Each caller must get
// the answer it would have got alone, refused ratings must write nothing,
// and the aggregates must equal what the stored ratings add up to.
func TestRatingBurstSharesCommitsAndKeepsEachAnswer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestService(t, db, nil)
		tr := makeTree(t, s)
		ctx := context.Background()
		if _, err := s.DeactivateTarget(ctx, tr.meeting.ID); err != nil {
			t.Fatal(err)
		}
		h := &RatingHandler{svc: s}
		kiosk := auth.WithPrincipal(ctx, auth.Principal{KeyID: "kiosk-1", Role: auth.Kiosk})
		unknown, err := newID()
		if err != nil {
			t.Fatal(err)
		}

		type call struct {
			req  *feedbackv1.SubmitRatingRequest
			want codes.Code
		}
		var calls []call
		for i := range 10 {
			calls = append(calls,
				call{&feedbackv1.SubmitRatingRequest{TargetId: tr.window.ID, Level: 1, Comment: fmt.Sprint("排队太久 ", i)}, codes.OK},
				call{&feedbackv1.SubmitRatingRequest{TargetId: tr.staff.ID, Level: 5,
					Dimensions: []*feedbackv1.DimensionLevel{{Key: "attitude", Level: 4}}}, codes.OK},
				call{&feedbackv1.SubmitRatingRequest{TargetId: unknown, Level: 4}, codes.NotFound},
				call{&feedbackv1.SubmitRatingRequest{TargetId: tr.meeting.ID, Level: 4}, codes.FailedPrecondition},
				call{&feedbackv1.SubmitRatingRequest{TargetId: tr.window.ID, Level: 4,
					Dimensions: []*feedbackv1.DimensionLevel{{Key: "no_such_dimension", Level: 4}}}, codes.InvalidArgument},
				// One request sent ten times: one rating and one case.
				call{&feedbackv1.SubmitRatingRequest{TargetId: tr.window.ID, Level: 2, RequestId: "burst-same"}, codes.OK},
			)
		}
		// One request id with five different contents: one of them wins.
		for i := range 5 {
			calls = append(calls, call{&feedbackv1.SubmitRatingRequest{
				TargetId: tr.staff.ID, Level: 4, Comment: fmt.Sprint("版本 ", i), RequestId: "burst-clash"}, codes.Unknown})
		}

		resps := make([]*feedbackv1.SubmitRatingResponse, len(calls))
		errs := make([]error, len(calls))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, c := range calls {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				resps[i], errs[i] = h.SubmitRating(kiosk, c.req)
			}()
		}
		close(start)
		wg.Wait()

		var sameIDs []string
		clashOK := 0
		for i, c := range calls {
			got := codeOf(errs[i])
			switch {
			case c.req.GetRequestId() == "burst-clash":
				if got == codes.OK {
					clashOK++
				} else if got != codes.FailedPrecondition {
					t.Errorf("clashing request id: %v", errs[i])
				}
			case got != c.want:
				t.Errorf("call %d (%v): %v, want %s", i, c.req, errs[i], c.want)
			case c.req.GetRequestId() == "burst-same":
				sameIDs = append(sameIDs, resps[i].GetRatingId()+"/"+resps[i].GetCaseId())
			case got == codes.OK && resps[i].GetRatingId() == "":
				t.Errorf("call %d: no rating id in %v", i, resps[i])
			case got == codes.OK && (c.req.GetLevel() <= BadLevel) != (resps[i].GetCaseId() != ""):
				t.Errorf("call %d: level %d answered %v", i, c.req.GetLevel(), resps[i])
			}
		}
		if len(sameIDs) != 10 || len(slices.Compact(slices.Clone(sameIDs))) != 1 || strings.HasSuffix(sameIDs[0], "/") {
			t.Errorf("ten sends of one request answered %v, want one rating with its case", sameIDs)
		}
		if clashOK != 1 {
			t.Errorf("%d of the clashing contents were accepted, want 1", clashOK)
		}
		// 10 bad reviews + 10 staff ratings + one burst-same + one clash.
		for table, want := range map[string]int{"feedback_ratings": 22, "feedback_cases": 11, "feedback_case_events": 11,
			"request_ids": 2} {
			var n int
			if err := db.R.GetContext(ctx, &n, "SELECT COUNT(*) FROM "+table); err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Errorf("%s has %d rows, want %d", table, n, want)
			}
		}
		maintained := aggregateTables(t, db)
		if err := RebuildAggregates(ctx, db); err != nil {
			t.Fatal(err)
		}
		for table, rows := range aggregateTables(t, db) {
			if !slices.Equal(rows, maintained[table]) {
				t.Errorf("%s: maintained %v\nrebuilt %v", table, maintained[table], rows)
			}
		}
		commits, items := s.ingest.Counts()
		t.Logf("%d ratings written in %d commits", items, commits)
	})
}

// When a batch's transaction fails the batcher runs its jobs again, alone;
// what the first run filled in must not stand in for the second.
func TestRatingJobsCanRunAgainAfterARollback(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, _ := newTestService(t, db, nil)
		tr := makeTree(t, s)
		ctx := context.Background()
		var jobs []*ratingJob
		for _, level := range []int{1, 5} {
			j, err := s.prepare(RatingInput{TargetID: tr.window.ID, Level: level})
			if err != nil {
				t.Fatal(err)
			}
			jobs = append(jobs, j)
		}
		rolledBack := errors.New("roll back")
		err := db.WithTx(ctx, func(tx *store.Tx) error {
			if _, _, err := s.applyRatings(ctx, tx, jobs); err != nil {
				return err
			}
			return rolledBack
		})
		if !errors.Is(err, rolledBack) {
			t.Fatal(err)
		}
		var resps []*feedbackv1.SubmitRatingResponse
		err = db.WithTx(ctx, func(tx *store.Tx) error {
			var errs []error
			resps, errs, err = s.applyRatings(ctx, tx, jobs)
			return errors.Join(append(errs, err)...)
		})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		if err := db.R.SelectContext(ctx, &ids, `SELECT id FROM feedback_ratings ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		answered := []string{resps[0].GetRatingId(), resps[1].GetRatingId()}
		slices.Sort(answered)
		if !slices.Equal(ids, answered) || resps[0].GetCaseId() == "" {
			t.Errorf("stored %v; answered %v and %v", ids, resps[0], resps[1])
		}
	})
}
