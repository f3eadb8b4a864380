package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/wenming/wenming/internal/apierr"
)

// Batcher is group commit for one kind of hot, small write (a rating
// submission). Concurrent callers of Do hand it their jobs; one worker
// takes every job waiting in the queue, writes them all with one call of
// the apply function inside one transaction, and commits once. Each caller
// returns only after that commit, so an acknowledged write is as durable as
// with its own transaction (SQLite synchronous=FULL, PostgreSQL
// synchronous_commit=on), but fifty callers share one fsync — and, because
// apply sees the whole batch, one statement can insert all its rows and one
// upsert can carry all its changes to a shared aggregate row.
//
// Batches form by themselves: while the worker waits for a commit, new jobs
// queue up, and the next batch takes them all (up to maxBatch). A lone job
// is not delayed.
//
// One worker serves both dialects: SQLite has one writer connection, and
// on PostgreSQL the batches of a hot write touch the same aggregate rows, so
// parallel batches would only queue on their locks.
type Batcher[J any] struct {
	name     string
	db       *DB
	apply    ApplyFunc[J]
	maxBatch int
	queue    chan *batchJob[J]
	wg       sync.WaitGroup
	alone    bool

	// mu guards the queue's closing: Do sends under the read lock, close
	// sets closed and closes the queue under the write lock, so no job is
	// ever sent on a closed queue.
	mu     sync.RWMutex
	closed bool

	// commits and items count the transactions committed and the jobs
	// answered without error in them (a replayed request counts), so tests
	// and the shutdown log can show how much sharing happens.
	commits, items atomic.Int64
}

// ApplyFunc writes a batch of jobs in tx and returns one error per job, nil
// for each job it wrote. A job given an error must have written nothing, so
// apply checks every job before it writes any. A non-nil err means the
// transaction itself failed (a constraint, a lost connection, a bug): the
// batch is rolled back and each of its jobs is run again alone, in its own
// transaction, so that one job's fault never fails another's write. apply
// therefore sees the same job again after a rollback and must not trust
// anything its earlier run stored in the job.
type ApplyFunc[J any] func(ctx context.Context, tx *Tx, jobs []J) (jobErrs []error, err error)

type batchJob[J any] struct {
	ctx  context.Context
	job  J
	done chan error
}

// NewBatcher starts the worker of a batcher over db; DB.Close stops it and
// logs how many writes shared how many commits. name says what it writes.
// With db.NoGroupCommit set no worker starts and every job runs in its own
// transaction in the caller's goroutine (the load harness's baseline).
func NewBatcher[J any](db *DB, name string, maxBatch int, apply ApplyFunc[J]) *Batcher[J] {
	b := &Batcher[J]{name: name, db: db, apply: apply, maxBatch: max(maxBatch, 1), alone: db.NoGroupCommit}
	if b.alone {
		return b
	}
	b.queue = make(chan *batchJob[J], 4*b.maxBatch)
	b.wg.Add(1)
	go b.work()
	db.onClose(b.close)
	return b
}

// Do queues job and waits for the commit of the batch it was written in.
// A job still queued when ctx ends is dropped unwritten; once its batch has
// begun, Do waits for the outcome even if ctx ends, because the write may
// already be committed.
func (b *Batcher[J]) Do(ctx context.Context, job J) error {
	if b.alone {
		return b.runAlone(ctx, job)
	}
	j := &batchJob[J]{ctx: ctx, job: job, done: make(chan error, 1)}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return ErrClosed
	}
	select {
	case b.queue <- j:
	case <-ctx.Done():
		b.mu.RUnlock()
		return ctx.Err()
	}
	b.mu.RUnlock()
	return <-j.done
}

// ErrClosed is what Do returns once the database is closing: UNAVAILABLE,
// so a client retries against a server that is up.
var ErrClosed error = apierr.New(codes.Unavailable, apierr.ShuttingDown, "the server is shutting down; retry")

// Counts reports how many transactions were committed and how many jobs
// they answered without error.
func (b *Batcher[J]) Counts() (commits, items int64) { return b.commits.Load(), b.items.Load() }

func (b *Batcher[J]) close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.queue)
	}
	b.mu.Unlock()
	b.wg.Wait()
	if commits, items := b.Counts(); commits > 0 {
		b.db.log().Info("group commit", "name", b.name, "calls", items, "commits", commits,
			"calls_per_commit", float64(items)/float64(commits))
	}
}

func (b *Batcher[J]) work() {
	defer b.wg.Done()
	batch := make([]*batchJob[J], 0, b.maxBatch)
	for j := range b.queue {
		batch = append(batch[:0], j)
	fill:
		for len(batch) < b.maxBatch {
			select {
			case more, ok := <-b.queue:
				if !ok {
					break fill
				}
				batch = append(batch, more)
			default:
				break fill
			}
		}
		b.run(batch)
	}
}

func (b *Batcher[J]) run(batch []*batchJob[J]) {
	// Jobs whose callers gave up while queued are dropped unwritten.
	live := batch[:0]
	for _, j := range batch {
		if err := j.ctx.Err(); err != nil {
			j.done <- err
			continue
		}
		live = append(live, j)
	}
	if len(live) == 0 {
		return
	}
	jobs := make([]J, len(live))
	for i, j := range live {
		jobs[i] = j.job
	}
	ctx, cancel := batchContext(live)
	defer cancel()
	var errs []error
	written := 0
	err := b.db.WithTx(ctx, func(tx *Tx) error {
		var err error
		errs, err = b.guardedApply(ctx, tx, jobs)
		if err == nil && len(errs) != len(jobs) {
			err = fmt.Errorf("store: batch apply returned %d results for %d jobs", len(errs), len(jobs))
		}
		if err != nil {
			return err
		}
		for _, e := range errs {
			if e == nil {
				written++
			}
		}
		if written == 0 {
			return errNothingWritten // every job was refused: roll back
		}
		return nil
	})
	if err == nil || errors.Is(err, errNothingWritten) {
		if err == nil {
			b.commits.Add(1)
			b.items.Add(int64(written))
		}
		for i, j := range live {
			j.done <- errs[i]
		}
		return
	}
	if len(live) == 1 {
		live[0].done <- err
		return
	}
	// Something broke the transaction; find out whose it was by running
	// each job alone.
	for _, j := range live {
		j.done <- b.runAlone(ctx, j.job)
	}
}

// batchContext is the shared transaction's context: no caller hanging up
// may break it, yet a stalled database must not hold it past the time the
// last of its callers would wait (every call has a deadline, --call-timeout).
func batchContext[J any](live []*batchJob[J]) (context.Context, context.CancelFunc) {
	var last time.Time
	for _, j := range live {
		d, ok := j.ctx.Deadline()
		if !ok {
			return context.Background(), func() {}
		}
		if d.After(last) {
			last = d
		}
	}
	return context.WithDeadline(context.Background(), last)
}

// errNothingWritten rolls back a batch whose every job was refused.
var errNothingWritten = errors.New("store: no job of the batch was written")

func (b *Batcher[J]) runAlone(ctx context.Context, job J) error {
	err := b.db.WithTx(ctx, func(tx *Tx) error {
		errs, err := b.guardedApply(ctx, tx, []J{job})
		if err != nil {
			return err
		}
		if len(errs) != 1 {
			return fmt.Errorf("store: batch apply returned %d results for 1 job", len(errs))
		}
		// The job's own error (it wrote nothing) comes back as is.
		return errs[0]
	})
	if err == nil {
		b.commits.Add(1)
		b.items.Add(1)
	}
	return err
}

// guardedApply turns a panic in apply into a transaction error, so it
// cannot take down the other callers sharing the batch.
func (b *Batcher[J]) guardedApply(ctx context.Context, tx *Tx, jobs []J) (errs []error, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("store: panic in batched write: %v", p)
		}
	}()
	return b.apply(ctx, tx, jobs)
}
