package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// batcher is group commit: concurrent callers of DB.WithBatchedTx hand
// their transaction bodies to a few workers, each of which runs every body
// waiting in the queue inside one transaction — a savepoint apiece, so one
// body's failure undoes only its own writes — and commits once. Each caller
// returns only after that commit, so an acknowledged write is as durable as
// with its own transaction (SQLite synchronous=FULL, PostgreSQL
// synchronous_commit=on), but fifty callers share one fsync instead of
// queueing for fifty.
//
// Batches form by themselves: while a worker waits for a commit, new calls
// queue up, and the next batch takes them all (up to maxBatch). A lone call
// is not delayed.
type batcher struct {
	db       *DB
	maxBatch int
	queue    chan *batchJob
	wg       sync.WaitGroup
	closing  sync.Once

	// commits and items count batches committed and bodies run, so tests
	// (and later metrics) can see how much sharing happens.
	commits, items atomic.Int64
}

type batchJob struct {
	ctx  context.Context
	fn   func(tx *Tx) error
	done chan error
}

func newBatcher(db *DB, workers, maxBatch int) *batcher {
	b := &batcher{db: db, maxBatch: maxBatch, queue: make(chan *batchJob, 4*maxBatch)}
	b.wg.Add(workers)
	for range workers {
		go b.work()
	}
	return b
}

func (b *batcher) close() {
	b.closing.Do(func() { close(b.queue) })
	b.wg.Wait()
}

// do queues fn and waits for the commit of the batch it ran in. Once queued,
// it waits even if ctx ends, because the write may already be committed.
func (b *batcher) do(ctx context.Context, fn func(tx *Tx) error) error {
	j := &batchJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case b.queue <- j:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-j.done
}

func (b *batcher) work() {
	defer b.wg.Done()
	batch := make([]*batchJob, 0, b.maxBatch)
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

func (b *batcher) run(batch []*batchJob) {
	results := make([]error, len(batch))
	deliver := func() {
		for i, j := range batch {
			j.done <- results[i]
		}
	}
	tx, err := b.db.W.BeginTxx(context.Background(), nil)
	if err != nil {
		for i := range results {
			results[i] = fmt.Errorf("store: begin batch: %w", err)
		}
		deliver()
		return
	}
	single := len(batch) == 1
	anyOK := false
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		if !single {
			if _, err := tx.Exec("SAVEPOINT batch_item"); err != nil {
				results[i] = fmt.Errorf("store: savepoint: %w", err)
				continue
			}
		}
		err := runGuarded(j.fn, tx)
		b.items.Add(1)
		if single {
			results[i] = err
			anyOK = err == nil
			break
		}
		if err != nil {
			results[i] = err
			if _, rerr := tx.Exec("ROLLBACK TO SAVEPOINT batch_item"); rerr != nil {
				// The transaction is unusable; fail everything in it.
				_ = tx.Rollback()
				for k := range results {
					if results[k] == nil {
						results[k] = fmt.Errorf("store: roll back to savepoint: %w", rerr)
					}
				}
				deliver()
				return
			}
		} else {
			anyOK = true
		}
		if _, err := tx.Exec("RELEASE SAVEPOINT batch_item"); err != nil && results[i] == nil {
			results[i] = fmt.Errorf("store: release savepoint: %w", err)
		}
	}
	if !anyOK {
		_ = tx.Rollback()
		deliver()
		return
	}
	b.commits.Add(1)
	if err := tx.Commit(); err != nil {
		for i := range results {
			if results[i] == nil {
				results[i] = fmt.Errorf("store: commit batch: %w", err)
			}
		}
	}
	deliver()
}

// runGuarded turns a panic in one body into that body's error, so it
// cannot take down the other callers sharing the batch.
func runGuarded(fn func(tx *Tx) error, tx *Tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("store: panic in batched transaction: %v", p)
		}
	}()
	return fn(tx)
}
