package store

import (
	"context"
	"errors"
	"testing"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/wenming/wenming/internal/apierr"
)

// onceProbe writes each job as a batch_probe row and answers with its id;
// a job named "bad" is refused.
func onceProbe(ctx context.Context, tx *Tx, jobs []string) ([]*wrapperspb.StringValue, []error, error) {
	resps, errs := make([]*wrapperspb.StringValue, len(jobs)), make([]error, len(jobs))
	var rows [][]any
	for i, j := range jobs {
		if j == "bad" {
			errs[i] = apierr.FailedPrecondition(apierr.TargetInactive, "bad")
			continue
		}
		rows = append(rows, []any{j})
		resps[i] = wrapperspb.String(j)
	}
	return resps, errs, InsertRows(ctx, tx, "batch_probe", []string{"id"}, rows)
}

func probeCall(id, body string) Call {
	return Call{Method: "/probe", Scope: "k", RequestID: id, Request: wrapperspb.String(body)}
}

func TestBatchOnceReplaysARequestIDAndRefusesItsReuse(t *testing.T) {
	t.Parallel()
	for _, db := range testDBs(t) {
		t.Run(string(db.Dialect), func(t *testing.T) {
			ctx := context.Background()
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			batchDB(t, db)
			bo := NewBatchOnce(db, "probe", 8, onceProbe)
			first, err := bo.Do(ctx, "a", probeCall("r1", "a"))
			if err != nil || first.GetValue() != "a" {
				t.Fatalf("first = %v, %v", first, err)
			}
			// The retry is answered from the first call and writes nothing
			// (the job differs, so a second write would add a row).
			again, err := bo.Do(ctx, "a-again", probeCall("r1", "a"))
			if err != nil || again.GetValue() != "a" || probeCount(t, db) != 1 {
				t.Errorf("retry = %v, %v with %d rows; want a and 1 row", again, err, probeCount(t, db))
			}
			_, err = bo.Do(ctx, "b", probeCall("r1", "b"))
			if apierr.ReasonOf(err) != apierr.RequestIDReused {
				t.Errorf("reuse = %v, want REQUEST_ID_REUSED", err)
			}
			// A refused job leaves nothing behind: its retry is refused again.
			for range 2 {
				if _, err := bo.Do(ctx, "bad", probeCall("r2", "bad")); apierr.ReasonOf(err) != apierr.TargetInactive {
					t.Errorf("refused job = %v", err)
				}
			}
			if probeCount(t, db) != 1 {
				t.Errorf("%d rows, want 1", probeCount(t, db))
			}
		})
	}
}

// After a failed transaction the batcher runs each job again alone; what
// the first run filled in must not stand in for the second.
func TestBatchOnceJobsCanRunAgainAfterARollback(t *testing.T) {
	t.Parallel()
	db := testDBs(t)[0]
	ctx := context.Background()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	batchDB(t, db)
	bo := NewBatchOnce(db, "probe", 8, onceProbe)
	jobs := []*onceJob[string, *wrapperspb.StringValue]{
		{job: "x", call: probeCall("rx", "x")}, {job: "x", call: probeCall("rx", "x")}, {job: "y"},
	}
	for _, j := range jobs {
		if j.call.RequestID != "" {
			j.hash, _ = RequestHash(j.call.Request)
		}
	}
	rolledBack := errors.New("roll back")
	if err := db.WithTx(ctx, func(tx *Tx) error {
		if _, err := bo.apply(ctx, tx, jobs); err != nil {
			return err
		}
		return rolledBack
	}); !errors.Is(err, rolledBack) {
		t.Fatal(err)
	}
	if err := db.WithTx(ctx, func(tx *Tx) error {
		errs, err := bo.apply(ctx, tx, jobs)
		return errors.Join(append(errs, err)...)
	}); err != nil {
		t.Fatal(err)
	}
	if probeCount(t, db) != 2 || jobs[0].resp.GetValue() != "x" || jobs[1].resp.GetValue() != "x" || jobs[2].resp.GetValue() != "y" {
		t.Errorf("%d rows; answers %v %v %v; want 2 rows, x x y", probeCount(t, db), jobs[0].resp, jobs[1].resp, jobs[2].resp)
	}
}
