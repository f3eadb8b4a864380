package feedback

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

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
	r    Rating
	dims string
	tags string
	// call names the request for idempotency; its RequestID is empty when
	// the caller sent none, and hash is the digest of the request.
	call store.Call
	hash []byte

	// Filled by applyRatings: out for a rating written now, resp for every
	// job that succeeded (the remembered answer for a replay).
	out  Submitted
	resp *feedbackv1.SubmitRatingResponse
}

// prepare does a rating's own work before it queues for the writer: the
// caller has already normalized and validated in.
func (s *Service) prepare(in RatingInput) (*ratingJob, error) {
	if in.Contact != "" && s.contacts == nil {
		return nil, ErrNoContactKey
	}
	id, err := newID()
	if err != nil {
		return nil, err
	}
	now := s.now()
	j := &ratingJob{in: in, r: Rating{
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

// ratings returns the group-commit batcher of SubmitRating, started on
// first use (after the server has applied --no-group-commit).
func (s *Service) ratings() *store.Batcher[*ratingJob] {
	s.ingestOnce.Do(func() { s.ingest = store.NewBatcher(s.db, "ratings", maxRatingBatch, s.applyRatings) })
	return s.ingest
}

type callKey struct{ scope, requestID string }

// replay looks up the job's request id: when an earlier call with it was
// written, j.resp becomes the answer that call got; refused is set when
// the id was used for a different request.
func (j *ratingJob) replay(ctx context.Context, tx *store.Tx) (refused, err error) {
	body, found, err := store.LookupCall(ctx, tx, j.call, j.hash)
	switch {
	case err != nil && apierr.IsRefusal(err):
		return err, nil
	case err != nil || !found:
		return nil, err
	}
	j.resp, err = store.DecodeResponse[*feedbackv1.SubmitRatingResponse](body)
	return nil, err
}

// applyRatings writes a batch of prepared ratings in tx (store.ApplyFunc).
// It checks every rating before writing any, so a refused one writes
// nothing, then writes them all in a few statements: one multi-row insert
// of the ratings, one upsert per aggregate row they touch, a case for each
// bad review and a remembered answer for each request id.
func (s *Service) applyRatings(ctx context.Context, tx *store.Tx, jobs []*ratingJob) ([]error, error) {
	errs := make([]error, len(jobs))
	// After a failed transaction the batcher runs each job again alone:
	// nothing from the rolled-back attempt may carry over.
	for _, j := range jobs {
		j.out, j.resp = Submitted{}, nil
	}

	// A request id seen before answers with what it got then. A second use
	// of an id within the batch waits for the first use's outcome (below).
	first := map[callKey]int{}
	dupOf := map[int]int{}
	for i, j := range jobs {
		if j.call.RequestID == "" {
			continue
		}
		k := callKey{j.call.Scope, j.call.RequestID}
		if f, ok := first[k]; ok {
			dupOf[i] = f
			continue
		}
		first[k] = i
		var err error
		if errs[i], err = j.replay(ctx, tx); err != nil {
			return nil, err
		}
	}

	// Check each new rating against its target's form, reading each
	// target once per batch.
	forms := map[string]RatingForm{}
	refused := map[string]error{}
	var fresh []*ratingJob
	for i, j := range jobs {
		if _, dup := dupOf[i]; dup || errs[i] != nil || j.resp != nil {
			continue
		}
		id := j.in.TargetID
		rf, ok := forms[id]
		if !ok && refused[id] == nil {
			var err error
			switch rf, err = s.ratingForm(ctx, tx, id); {
			case err != nil && apierr.IsRefusal(err):
				refused[id] = err
			case err != nil:
				return nil, err
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
		return nil, err
	}
	for _, j := range fresh {
		j.resp = responseOf(j.out)
		if j.call.RequestID != "" {
			if err := store.RememberCall(ctx, tx, j.call, j.hash, j.resp); err != nil {
				return nil, err
			}
		}
	}

	// A repeated request id now finds what its first use left, if
	// anything; a first use that was refused left nothing.
	for i, f := range dupOf {
		j := jobs[i]
		refused, err := j.replay(ctx, tx)
		switch {
		case err != nil:
			return nil, err
		case refused != nil:
			errs[i] = refused
		case j.resp != nil:
			j.out = jobs[f].out
		case string(j.hash) == string(jobs[f].hash):
			errs[i] = errs[f] // the same request is refused the same way
		default:
			errs[i] = apierr.Aborted(apierr.RequestIDInFlight,
				"another request with request_id %q was being submitted at the same time; retry", j.call.RequestID)
		}
	}
	return errs, nil
}

// writeRatings inserts checked ratings, opens a case for each bad review
// and adds them all to the aggregates.
func (s *Service) writeRatings(ctx context.Context, tx *store.Tx, jobs []*ratingJob, forms map[string]RatingForm) error {
	if len(jobs) == 0 {
		return nil
	}
	rows := make([][]any, len(jobs))
	var sums rollup
	for i, j := range jobs {
		r := j.r
		rows[i] = []any{r.ID, r.TargetID, r.DepartmentID, r.Level, j.dims, j.tags, r.Comment, string(r.Channel),
			r.Contact, r.Day, false, store.Micros(r.CreateTime)}
		sums.add(r, 1)
	}
	// The ratings and their sums go in one round trip on PostgreSQL.
	if err := store.ExecAll(ctx, tx, append(store.InsertStmts("feedback_ratings", ratingColumns, rows), sums.stmts()...)); err != nil {
		return fmt.Errorf("feedback: insert ratings: %w", err)
	}
	for _, j := range jobs {
		j.out = Submitted{Rating: j.r}
		if j.r.Level <= BadLevel {
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

func responseOf(out Submitted) *feedbackv1.SubmitRatingResponse {
	resp := &feedbackv1.SubmitRatingResponse{RatingId: out.Rating.ID, CreateTime: ts(out.Rating.CreateTime)}
	if out.Case != nil {
		resp.CaseId, resp.CaseDueTime, resp.CaseCode = out.Case.ID, ts(out.Case.DueTime), out.Case.PublicCode
	}
	return resp
}

// rollup gathers what some ratings add to (or take from) the daily and
// monthly aggregates, so that each aggregate row is written once however
// many of the ratings touch it: in a QR-code burst at one window, every
// rating of the day lands on the same row.
type rollup struct {
	rows map[rollKey]*Agg
	dims map[rollDimKey]*DimAgg
}

type rollKey struct {
	g      grain
	target string
	key    int
}

type rollDimKey struct {
	rollKey
	dim string
}

// add adds r to the sums (sign 1) or takes it out (sign -1).
func (u *rollup) add(r Rating, sign int) {
	if u.rows == nil {
		u.rows, u.dims = map[rollKey]*Agg{}, map[rollDimKey]*DimAgg{}
	}
	for _, g := range []grain{daily, monthly} {
		k := rollKey{g, r.TargetID, g.keyOf(r.Day)}
		a := u.rows[k]
		if a == nil {
			a = &Agg{}
			u.rows[k] = a
		}
		a.N += int64(sign)
		a.Total += int64(sign * r.Level)
		a.Counts[r.Level-1] += int64(sign)
		for _, d := range r.Dimensions {
			dk := rollDimKey{k, d.Key}
			da := u.dims[dk]
			if da == nil {
				da = &DimAgg{Key: d.Key}
				u.dims[dk] = da
			}
			da.N += int64(sign)
			da.Total += int64(sign * d.Level)
		}
	}
}

// stmts returns one upsert per aggregate row, in key order so that
// concurrent writers take the rows' locks in the same order. The same
// upsert works on both dialects.
func (u *rollup) stmts() []store.Stmt {
	var out []store.Stmt
	for _, k := range slices.SortedFunc(maps.Keys(u.rows), compareRollKeys) {
		a := u.rows[k]
		out = append(out, store.Stmt{SQL: fmt.Sprintf(
			`INSERT INTO %[1]s (target_id, %[2]s, n, total, c1, c2, c3, c4, c5)
			 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			 ON CONFLICT (target_id, %[2]s) DO UPDATE SET
			     n = %[1]s.n + excluded.n, total = %[1]s.total + excluded.total,
			     c1 = %[1]s.c1 + excluded.c1, c2 = %[1]s.c2 + excluded.c2,
			     c3 = %[1]s.c3 + excluded.c3, c4 = %[1]s.c4 + excluded.c4,
			     c5 = %[1]s.c5 + excluded.c5`, k.g.table, k.g.key),
			Args: []any{k.target, k.key, a.N, a.Total, a.Counts[0], a.Counts[1], a.Counts[2], a.Counts[3], a.Counts[4]}})
	}
	for _, k := range slices.SortedFunc(maps.Keys(u.dims), func(a, b rollDimKey) int {
		return cmp.Or(compareRollKeys(a.rollKey, b.rollKey), cmp.Compare(a.dim, b.dim))
	}) {
		d := u.dims[k]
		out = append(out, store.Stmt{SQL: fmt.Sprintf(
			`INSERT INTO %[1]s (target_id, %[2]s, dimension, n, total) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT (target_id, %[2]s, dimension) DO UPDATE SET
			     n = %[1]s.n + excluded.n, total = %[1]s.total + excluded.total`, k.g.dims, k.g.key),
			Args: []any{k.target, k.key, k.dim, d.N, d.Total}})
	}
	return out
}

func compareRollKeys(a, b rollKey) int {
	return cmp.Or(cmp.Compare(a.g.table, b.g.table), cmp.Compare(a.target, b.target), cmp.Compare(a.key, b.key))
}

// nonNil makes an absent list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
