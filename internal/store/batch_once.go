package store

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/wenming/wenming/internal/apierr"
)

// BatchOnce is a Batcher whose jobs are idempotent requests (AIP-155): the
// group-commit counterpart of Once, with the same rule. A job whose request
// id was answered before gets that answer and writes nothing; the id with
// a different request is REQUEST_ID_REUSED; every job written now has its
// answer remembered in the same transaction. Two uses of one id in the
// same batch are settled after the first is written: the same request gets
// the first one's answer (or refusal), a different one REQUEST_ID_REUSED.
// The write function sees only the jobs that are new.
type BatchOnce[J any, R proto.Message] struct {
	b     *Batcher[*onceJob[J, R]]
	write WriteFunc[J, R]
}

// WriteFunc writes the new jobs of a batch in tx and returns, per job, its
// answer and nil, or a refusal (a job given an error must have written
// nothing); err fails the whole transaction, as for ApplyFunc.
type WriteFunc[J any, R proto.Message] func(ctx context.Context, tx *Tx, jobs []J) (resps []R, jobErrs []error, err error)

type onceJob[J any, R proto.Message] struct {
	job  J
	call Call
	hash []byte
	resp R
	done bool // resp is set: written now or replayed
}

// NewBatchOnce starts a BatchOnce over db (see NewBatcher).
func NewBatchOnce[J any, R proto.Message](db *DB, name string, maxBatch int, write WriteFunc[J, R]) *BatchOnce[J, R] {
	bo := &BatchOnce[J, R]{write: write}
	bo.b = NewBatcher(db, name, maxBatch, bo.apply)
	return bo
}

// Do writes job under call (call.RequestID empty when the caller sent
// none) in the next batch and returns its answer.
func (bo *BatchOnce[J, R]) Do(ctx context.Context, job J, call Call) (R, error) {
	j := &onceJob[J, R]{job: job, call: call}
	var zero R
	if call.RequestID != "" {
		var err error
		if j.hash, err = RequestHash(call.Request); err != nil {
			return zero, err
		}
	}
	if err := bo.b.Do(ctx, j); err != nil {
		return zero, err
	}
	return j.resp, nil
}

// Counts reports the batcher's commits and answered jobs.
func (bo *BatchOnce[J, R]) Counts() (commits, items int64) { return bo.b.Counts() }

// replay looks the job's request id up: done when an earlier call's answer
// was found, refused when the id was used for a different request.
func (j *onceJob[J, R]) replay(ctx context.Context, tx *Tx) (refused, err error) {
	body, found, err := LookupCall(ctx, tx, j.call, j.hash)
	switch {
	case err != nil && apierr.IsRefusal(err):
		return err, nil
	case err != nil || !found:
		return nil, err
	}
	j.resp, err = DecodeResponse[R](body)
	j.done = err == nil
	return nil, err
}

type callKey struct{ method, scope, requestID string }

func (bo *BatchOnce[J, R]) apply(ctx context.Context, tx *Tx, jobs []*onceJob[J, R]) ([]error, error) {
	errs := make([]error, len(jobs))
	// After a failed transaction the batcher runs each job again alone:
	// nothing from the rolled-back attempt may carry over.
	var zero R
	for _, j := range jobs {
		j.resp, j.done = zero, false
	}
	// Claim every request id of the batch first, so another replica's
	// batch (or Once) with one of them waits for this one to commit.
	calls := make([]Call, len(jobs))
	for i, j := range jobs {
		calls[i] = j.call
	}
	if err := ClaimCalls(ctx, bo.b.db, tx, calls...); err != nil {
		return nil, err
	}
	first := map[callKey]int{}
	dupOf := map[int]int{}
	for i, j := range jobs {
		if j.call.RequestID == "" {
			continue
		}
		k := callKey{j.call.Method, j.call.Scope, j.call.RequestID}
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
	var fresh []int
	var work []J
	for i, j := range jobs {
		if _, dup := dupOf[i]; !dup && errs[i] == nil && !j.done {
			fresh, work = append(fresh, i), append(work, j.job)
		}
	}
	if len(work) > 0 {
		resps, jobErrs, err := bo.write(ctx, tx, work)
		if err != nil {
			return nil, err
		}
		for k, i := range fresh {
			if errs[i] = jobErrs[k]; errs[i] != nil {
				continue
			}
			j := jobs[i]
			j.resp, j.done = resps[k], true
			if j.call.RequestID != "" {
				if err := RememberCall(ctx, tx, j.call, j.hash, j.resp); err != nil {
					return nil, err
				}
			}
		}
	}
	// A repeated id now finds what its first use left, if anything; a
	// first use that was refused left nothing.
	for i, f := range dupOf {
		j := jobs[i]
		refused, err := j.replay(ctx, tx)
		switch {
		case err != nil:
			return nil, err
		case refused != nil:
			errs[i] = refused
		case j.done:
		case string(j.hash) == string(jobs[f].hash):
			errs[i] = errs[f] // the same request is refused the same way
		default:
			errs[i] = apierr.Aborted(apierr.RequestIDInFlight,
				"another request with request_id %q was being submitted at the same time; retry", j.call.RequestID)
		}
	}
	return errs, nil
}
