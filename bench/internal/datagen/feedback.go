package datagen

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"google.golang.org/grpc"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/store"
)

// FeedbackTargets is a department with service windows under it, made
// through TargetService.
type FeedbackTargets struct {
	DepartmentID string
	WindowIDs    []string
}

// CreateFeedbackTargets creates one department and windows windows under
// it. ctx must carry an admin key.
func CreateFeedbackTargets(ctx context.Context, conn grpc.ClientConnInterface, windows int) (FeedbackTargets, error) {
	c := feedbackv1.NewTargetServiceClient(conn)
	dep, err := c.CreateTarget(ctx, &feedbackv1.CreateTargetRequest{
		Kind: feedbackv1.TargetKind_TARGET_KIND_DEPARTMENT, Name: "压测政务服务中心",
	})
	if err != nil {
		return FeedbackTargets{}, fmt.Errorf("create department: %w", err)
	}
	out := FeedbackTargets{DepartmentID: dep.GetTarget().GetId()}
	for i := range windows {
		w, err := c.CreateTarget(ctx, &feedbackv1.CreateTargetRequest{
			Kind: feedbackv1.TargetKind_TARGET_KIND_WINDOW, Name: fmt.Sprintf("%d号窗口", i+1),
			ParentId: out.DepartmentID,
		})
		if err != nil {
			return out, fmt.Errorf("create window: %w", err)
		}
		out.WindowIDs = append(out.WindowIDs, w.GetTarget().GetId())
	}
	return out, nil
}

// BulkRatings writes n ratings spread evenly over the windows and over the
// days days ending with last (dates in loc), then has the feedback package
// rebuild its daily and monthly aggregates from them (what SubmitRating's
// per-rating upserts add up to). Levels cycle 1…5 with
// more 4s and 5s; every rating rates the "attitude" dimension. Bad
// reviews get no case rows: statistics do not read cases.
func BulkRatings(ctx context.Context, db *store.DB, t FeedbackTargets, n, days int, last time.Time, loc *time.Location) error {
	if len(t.WindowIDs) == 0 {
		return fmt.Errorf("datagen: no windows to rate")
	}
	levels := [...]int{5, 4, 5, 3, 4, 5, 2, 4, 5, 1}
	lastDay := time.Date(last.In(loc).Year(), last.In(loc).Month(), last.In(loc).Day(), 12, 0, 0, 0, loc)
	dayKeys := make([]int, days)
	dayTimes := make([]int64, days)
	for d := range days {
		day := lastDay.AddDate(0, 0, d-days+1)
		dayKeys[d], _ = strconv.Atoi(day.Format("20060102"))
		dayTimes[d] = store.Micros(day)
	}
	cols := []string{"id", "target_id", "department_id", "level", "dimensions", "tags", "comment", "channel",
		"contact", "day", "excluded", "create_time"}
	const chunk = 100_000 // one transaction per chunk keeps the WAL small
	for start := 0; start < n; start += chunk {
		err := bulk(ctx, db, "feedback_ratings", cols, min(chunk, n-start), func(i int) []any {
			i += start
			lv := levels[i%len(levels)]
			d := (i / len(t.WindowIDs)) % days
			return []any{uuidish(0xfb, int64(i)), t.WindowIDs[i%len(t.WindowIDs)], t.DepartmentID, lv,
				fmt.Sprintf(`[{"key":"attitude","level":%d}]`, max(1, lv-i%2)), `[]`, "", "QR",
				nil, dayKeys[d], false, dayTimes[d] + int64(i%1000)}
		})
		if err != nil {
			return err
		}
	}
	// The aggregates are the feedback package's to define: it rebuilds
	// them from the ratings exactly as Submit would have maintained them.
	if err := feedback.RebuildAggregates(ctx, db); err != nil {
		return fmt.Errorf("datagen: %w", err)
	}
	return nil
}
