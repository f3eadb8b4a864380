package faults

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"
)

// Two replicas started at the same moment on one empty PostgreSQL database
// both come up (their migrations take turns). Under ratings, kiosk games and
// inspections sent to both, one is killed with SIGKILL; what failed on it is
// sent again, with the same request ids, to the other. Afterwards every
// acknowledged write is there once, every request id is answered as first
// acknowledged, games begun on the dead replica were finished on the live
// one, and the aggregates equal a rebuild from the raw rows.
func TestTwoReplicasOnePostgresOneKilled(t *testing.T) {
	base := os.Getenv("WENMING_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but WENMING_TEST_POSTGRES_URL is not set")
		}
		t.Skip("WENMING_TEST_POSTGRES_URL is not set")
	}
	if testing.Short() {
		t.Skip("builds and runs wenming processes")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir := t.TempDir()
	bin, err := Build(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := NewDatabase(ctx, "postgres", dir, base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// Both start on the empty database at once and migrate it.
	secret := NewSecret()
	var servers [2]*Server
	for i, name := range []string{"replica-a", "replica-b"} {
		if servers[i], err = Start(bin, name, db.DSN, secret, dir); err != nil {
			t.Fatal(err)
		}
		defer servers[i].Stop()
	}
	var wg sync.WaitGroup
	var readyErr [2]error
	for i := range servers {
		wg.Add(1)
		go func() { defer wg.Done(); readyErr[i] = servers[i].Ready(ctx) }()
	}
	wg.Wait()
	for i, err := range readyErr {
		if err != nil {
			log, _ := os.ReadFile(servers[i].Log)
			t.Fatalf("%v\n%s", err, log)
		}
	}
	keys, err := Keys(ctx, bin, db.DSN)
	if err != nil {
		t.Fatal(err)
	}
	pool := &Pool{}
	defer pool.Close()
	var eps [2]*Endpoint
	for i, s := range servers {
		if eps[i], err = pool.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	fx, err := MakeFixtures(ctx, eps[0].Conn, keys["admin"])
	if err != nil {
		t.Fatal(err)
	}

	load := &Load{Pool: pool, Keys: keys, Fixtures: fx, Seed: 4}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		// Half the workers prefer each replica; a game stays where it
		// began until that replica dies.
		load.Run(ctx, 6, func(w int) int { return eps[w%2].ID }, stop)
		close(done)
	}()
	// Kill B while games it began are still being played and after it has
	// acknowledged writes of every kind.
	waitFor(t, ctx, "replica B to be mid-game with writes of every kind acknowledged", func() bool {
		kinds := map[string]bool{}
		for _, c := range load.Calls() {
			if c.Resp != nil && c.Where == eps[1].ID {
				kinds[c.Kind] = true
			}
		}
		playing := 0
		for _, g := range load.Games() {
			if g.StartedOn == eps[1].ID && g.EndedOn < 0 {
				playing++
			}
		}
		return playing >= 2 && kinds["rating"] && kinds["submit"] && kinds["inspection"]
	})
	servers[1].Kill()
	pool.Down(eps[1])
	killedAt := len(load.Calls())
	waitFor(t, ctx, "200 more calls on replica A", func() bool { return len(load.Calls()) >= killedAt+200 })
	close(stop)
	<-done

	var rep Report
	load.Replay(ctx, &rep)
	servers[0].Stop()
	if err := load.CheckRows(ctx, db.DSN, &rep); err != nil {
		t.Fatal(err)
	}
	if err := CheckAggregates(ctx, db.DSN, &rep); err != nil {
		t.Fatal(err)
	}
	t.Log(rep.String())
	if !rep.Good() {
		t.Errorf("after the kill: %s", rep.String())
	}
	moved := 0
	for _, g := range load.Games() {
		switch {
		case g.EndedOn < 0:
			t.Errorf("game %s was never finished", g.AttemptID)
		case g.StartedOn == eps[1].ID && g.EndedOn == eps[0].ID:
			moved++
		}
	}
	if moved == 0 {
		t.Error("no game begun on the killed replica was finished on the live one")
	}
	retriedElsewhere := 0
	for _, c := range load.Calls() {
		if c.Tries > 1 && c.Where == eps[0].ID {
			retriedElsewhere++
		}
	}
	if retriedElsewhere == 0 {
		t.Error("no call that failed on the killed replica was sent again to the live one")
	}
	t.Logf("%d games moved from B to A; %d calls retried on A", moved, retriedElsewhere)
}

// waitFor polls cond until it holds; it fails the test if ctx ends first.
func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("waiting for %s: %v", what, ctx.Err())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
