package feedback

import (
	"context"
	"encoding/json"
	"fmt"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// maxRatingBatch bounds how many ratings share one transaction.
const maxRatingBatch = 128

// ratingJob is one rating on its way into the store. The caller's
// goroutine checks and prepares it (prepare: id, time, sealed contact,
// encoded lists), so the one writer only writes; applyRatings then writes
// it together with every other rating waiting for the writer.
type ratingJob struct {
	in   RatingInput
	r    rating
	dims string
	tags string
	// out is filled by writeRatings for a rating written now.
	out Submitted
}

// prepare does a rating's own work before it queues for the writer: the
// caller has already normalized and validated in.
func (s *Service) prepare(in RatingInput) (*ratingJob, error) {
	if in.Contact != "" && s.contacts == nil {
		return nil, errNoContactKey
	}
	id, err := newID()
	if err != nil {
		return nil, err
	}
	now := s.now()
	j := &ratingJob{in: in, r: rating{
		ID: id, TargetID: in.TargetID, Level: in.Level, Dimensions: in.Dimensions, Tags: in.Tags,
		Comment: in.Comment, Channel: in.Channel, Day: dayKey(now, s.loc), CreateTime: now,
	}}
	if in.Contact != "" {
		if j.r.Contact, err = s.contacts.seal(id, in.Contact); err != nil {
			return nil, err
		}
	}
	dims, err := json.Marshal(nonNil(in.Dimensions))
	if err != nil {
		return nil, err
	}
	tags, err := json.Marshal(nonNil(in.Tags))
	if err != nil {
		return nil, err
	}
	j.dims, j.tags = string(dims), string(tags)
	return j, nil
}

// ratingBatch is the group commit of SubmitRating with request-id replay.
type ratingBatch = store.BatchOnce[*ratingJob, *feedbackv1.SubmitRatingResponse]

// applyRatings writes a batch of new prepared ratings in tx (the
// store.WriteFunc of the ratings' BatchOnce, which has already answered
// replays). It checks every rating before writing any, so a refused one
// writes nothing, then writes them all in a few statements: one multi-row
// insert of the ratings, one upsert per aggregate row they touch and a case
// for each bad review.
func (s *Service) applyRatings(ctx context.Context, tx *store.Tx, jobs []*ratingJob) ([]*feedbackv1.SubmitRatingResponse, []error, error) {
	errs := make([]error, len(jobs))
	// Check each new rating against its target's form, reading each
	// target once per batch.
	forms := map[string]ratingForm{}
	refused := map[string]error{}
	var fresh []*ratingJob
	for i, j := range jobs {
		j.out = Submitted{}
		id := j.in.TargetID
		rf, ok := forms[id]
		if !ok && refused[id] == nil {
			var err error
			switch rf, err = s.ratingForm(ctx, tx, id); {
			case err != nil && apierr.IsRefusal(err):
				refused[id] = err
			case err != nil:
				return nil, nil, err
			default:
				forms[id] = rf
			}
		}
		if err := refused[id]; err != nil {
			errs[i] = err
			continue
		}
		var v apierr.Violations
		j.in.CheckForm(&v, rf.Form)
		if err := v.Err(); err != nil {
			errs[i] = err
			continue
		}
		j.r.TargetID, j.r.DepartmentID = rf.Target.ID, rf.Target.DepartmentID
		fresh = append(fresh, j)
	}
	if err := s.writeRatings(ctx, tx, fresh, forms); err != nil {
		return nil, nil, err
	}
	resps := make([]*feedbackv1.SubmitRatingResponse, len(jobs))
	for i, j := range jobs {
		if errs[i] == nil {
			resps[i] = responseOf(j.out)
		}
	}
	return resps, errs, nil
}

// writeRatings inserts checked ratings, opens a case for each bad review
// and adds them all to the aggregates.
func (s *Service) writeRatings(ctx context.Context, tx *store.Tx, jobs []*ratingJob, forms map[string]ratingForm) error {
	if len(jobs) == 0 {
		return nil
	}
	rs, stmts := ratingInserts(jobs)
	// The ratings and their sums go in one round trip on PostgreSQL.
	if err := (ratingTotals{}).add(ctx, tx, rs, stmts...); err != nil {
		return fmt.Errorf("feedback: insert ratings: %w", err)
	}
	for _, j := range jobs {
		j.out = Submitted{Rating: j.r}
		if j.r.Level <= badLevel {
			c, err := s.openCase(ctx, tx, j.r, forms[j.in.TargetID].Target)
			if err != nil {
				return err
			}
			j.out.Case = &c
		}
	}
	return nil
}

var ratingColumns = []string{"id", "target_id", "department_id", "level", "dimensions", "tags", "comment",
	"channel", "contact", "day", "excluded", "create_time"}

// ratingInserts is the jobs' ratings and the statements that insert them
// into feedback_ratings.
func ratingInserts(jobs []*ratingJob) ([]rating, []store.Stmt) {
	rows := make([][]any, len(jobs))
	rs := make([]rating, len(jobs))
	for i, j := range jobs {
		r := j.r
		rows[i] = []any{r.ID, r.TargetID, r.DepartmentID, r.Level, j.dims, j.tags, r.Comment, string(r.Channel),
			r.Contact, r.Day, false, store.Micros(r.CreateTime)}
		rs[i] = r
	}
	return rs, store.InsertStmts("feedback_ratings", ratingColumns, rows)
}

func responseOf(out Submitted) *feedbackv1.SubmitRatingResponse {
	resp := &feedbackv1.SubmitRatingResponse{RatingId: out.Rating.ID, CreateTime: ts(out.Rating.CreateTime)}
	if out.Case != nil {
		resp.CaseId, resp.CaseDueTime, resp.CaseCode = out.Case.ID, ts(out.Case.DueTime), out.Case.PublicCode
	}
	return resp
}

// nonNil makes an absent list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
