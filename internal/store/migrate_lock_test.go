package store

import (
	"context"
	"sync"
	"testing"
)

// Replicas started together on an empty database both come up: their
// migrations take turns, and the second finds nothing left to apply
// (issue 14: the second used to fail with `type "questions" already
// exists`). Each replica here is a database handle of its own, with its
// own connections, as a second process would have.
func TestMigrationsStartedTogetherBothSucceed(t *testing.T) {
	t.Parallel()
	for _, db := range testDBs(t) {
		t.Run(string(db.Dialect), func(t *testing.T) {
			ctx := context.Background()
			dsn := db.DSN // the test server's URL has no password to redact
			const replicas = 4
			var wg sync.WaitGroup
			errs := make([]error, replicas)
			for i := range replicas {
				wg.Add(1)
				go func() {
					defer wg.Done()
					other, err := Open(ctx, dsn)
					if err != nil {
						errs[i] = err
						return
					}
					defer other.Close()
					errs[i] = other.Migrate(ctx)
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("replica %d: %v", i, err)
				}
			}
			if ok, err := db.SchemaCurrent(ctx); err != nil || !ok {
				t.Errorf("schema current = %v, %v; want true", ok, err)
			}
		})
	}
}
