package feedback

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// newTestService returns a service over db whose clock the test sets.
func newTestService(t *testing.T, db *store.DB, secret []byte) (*Service, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, shanghai)}
	s, err := New(rpc.Deps{DB: db, Location: shanghai, Secret: secret, Now: c.now})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// tree is a small target tree: two departments, a window and a staff member.
type tree struct{ canteen, window, staff, meeting Target }

func makeTree(t *testing.T, s *Service) tree {
	t.Helper()
	ctx := context.Background()
	var tr tree
	err := s.db.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if tr.canteen, err = s.CreateTarget(ctx, tx, TargetInput{Kind: Department, Name: "机关食堂"}); err != nil {
			return err
		}
		if tr.window, err = s.CreateTarget(ctx, tx, TargetInput{Kind: window, Name: "1号窗口", ParentID: tr.canteen.ID}); err != nil {
			return err
		}
		if tr.staff, err = s.CreateTarget(ctx, tx, TargetInput{Kind: Staff, Name: "王师傅", ParentID: tr.window.ID}); err != nil {
			return err
		}
		tr.meeting, err = s.CreateTarget(ctx, tx, TargetInput{Kind: Department, Name: "会议服务"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// rate submits a rating at the clock's time.
func rate(t *testing.T, s *Service, in RatingInput) Submitted {
	t.Helper()
	in.Normalize()
	var out Submitted
	err := s.db.WithTx(context.Background(), func(tx *store.Tx) error {
		var err error
		out, err = s.Submit(context.Background(), tx, in)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBadRatingOpensCaseDueInWorkingDays(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, clk := newTestService(t, db, nil)
		tr := makeTree(t, s)
		// Wed 2026-09-30 10:00 +08:00, five working days (2026 calendar):
		// Oct 1–7 国庆节 are skipped (the weekend Oct 3–4 inside it too),
		// Thu Oct 8 = 1, Fri Oct 9 = 2, Sat Oct 10 is a make-up working day
		// = 3, Sun Oct 11 is a weekend day and skipped, Mon Oct 12 = 4,
		// Tue Oct 13 = 5. Due: the start of Wed Oct 14, 00:00 +08:00.
		clk.t = time.Date(2026, 9, 30, 10, 0, 0, 0, shanghai)
		out := rate(t, s, RatingInput{TargetID: tr.staff.ID, Level: 1, Comment: "态度很差"})
		if out.Case == nil {
			t.Fatal("a level-1 rating opened no case")
		}
		want := time.Date(2026, 10, 14, 0, 0, 0, 0, shanghai)
		if !out.Case.DueTime.Equal(want) {
			t.Fatalf("due %v, want %v", out.Case.DueTime.In(shanghai), want)
		}
		if out.Case.DepartmentID != tr.canteen.ID {
			t.Errorf("case owned by %s, want the canteen %s", out.Case.DepartmentID, tr.canteen.ID)
		}
		c, err := s.GetCase(context.Background(), auth.Principal{Role: auth.Admin}, out.Case.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !c.DueTime.Equal(want) || c.State != open || len(c.Events) != 1 || c.Events[0].Action != actOpen {
			t.Fatalf("stored case %+v", c)
		}
		// Overdue from the due time on, not a moment before.
		if c.Overdue(want.Add(-time.Nanosecond)) || !c.Overdue(want) {
			t.Error("overdue must flip exactly at the due time")
		}

		// Level 3 opens nothing.
		if out := rate(t, s, RatingInput{TargetID: tr.staff.ID, Level: 3}); out.Case != nil {
			t.Error("a level-3 rating opened a case")
		}
	})
}

func TestDueDaysConfigurable(t *testing.T) {
	db := storetest.Default(t)
	c := &clock{t: time.Date(2026, 3, 6, 16, 0, 0, 0, shanghai)} // Friday
	s, err := New(rpc.Deps{DB: db, Location: shanghai, Now: c.now}, WithDueDays(1))
	if err != nil {
		t.Fatal(err)
	}
	tr := makeTree(t, s)
	// One working day after a Friday is Monday Mar 9; due Tue Mar 10 00:00.
	out := rate(t, s, RatingInput{TargetID: tr.window.ID, Level: 2})
	if want := time.Date(2026, 3, 10, 0, 0, 0, 0, shanghai); !out.Case.DueTime.Equal(want) {
		t.Fatalf("due %v, want %v", out.Case.DueTime.In(shanghai), want)
	}
	if _, err := New(rpc.Deps{DB: db}, WithDueDays(-1)); err == nil {
		t.Fatal("negative due days accepted")
	}
}

func TestAcceptedAppealLeavesStatistics(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db, nil)
		tr := makeTree(t, s)
		rate(t, s, RatingInput{TargetID: tr.window.ID, Level: 5, Dimensions: []DimLevel{{Key: "attitude", Level: 5}}})
		bad := rate(t, s, RatingInput{TargetID: tr.window.ID, Level: 1, Dimensions: []DimLevel{{Key: "attitude", Level: 1}}})
		p := Period{From: date("2026-03-02"), To: date("2026-03-02")}
		_, sum, err := s.TargetStats(ctx, tr.canteen.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		// Before: 5 and 1 → mean 3, bad rate 1/2.
		if sum.Count != 2 || sum.Mean != 3 || sum.BadRate != 0.5 || sum.Dimensions[0].Mean != 3 {
			t.Fatalf("before appeal %+v", sum)
		}
		officer := auth.Principal{KeyID: "k1", Name: "食堂", Role: auth.Officer, Scope: tr.canteen.ID}
		if _, err := s.Transition(ctx, officer, bad.Case.ID, Step{Action: actAppeal, Evidence: "监控显示未到窗口"}); err != nil {
			t.Fatal(err)
		}
		admin := auth.Principal{KeyID: "k0", Name: "admin", Role: auth.Admin}
		c, err := s.Transition(ctx, admin, bad.Case.ID, Step{Action: actAcceptAppeal, Note: "属实"})
		if err != nil {
			t.Fatal(err)
		}
		if c.State != appealAccepted || len(c.Events) != 3 || c.Events[2].ActorKeyID != "k0" || c.Events[1].ActorName != "食堂" {
			t.Fatalf("case after appeal %+v", c)
		}
		// After: only the 5 is left, dimensions too.
		_, sum, err = s.TargetStats(ctx, tr.canteen.ID, p)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Count != 1 || sum.Mean != 5 || sum.BadRate != 0 || sum.Dimensions[0].Mean != 5 {
			t.Fatalf("after appeal %+v", sum)
		}
		r, err := s.RankTargets(ctx, window, "", p, 10, 1)
		if err != nil || len(r.Rows) != 1 || r.Rows[0].Agg.N != 1 {
			t.Fatalf("ranking after appeal %+v, %v", r, err)
		}
	})
}

func TestConcurrentTransitionsOfOneCaseApplyOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newTestService(t, db, nil)
		tr := makeTree(t, s)
		bad := rate(t, s, RatingInput{TargetID: tr.window.ID, Level: 1})
		officer := auth.Principal{KeyID: "k1", Name: "食堂", Role: auth.Officer, Scope: tr.canteen.ID}
		const n = 16
		warmPool(t, db, n)
		errs := make(chan error, n)
		for range n {
			go func() {
				_, err := s.Transition(ctx, officer, bad.Case.ID, Step{Action: ActAcknowledge, Note: "已联系"})
				errs <- err
			}()
		}
		ok := 0
		for range n {
			err := <-errs
			switch codeOf(err) {
			case codes.OK:
				ok++
			case codes.FailedPrecondition:
			default:
				t.Errorf("concurrent acknowledge: %v", err)
			}
		}
		c, err := s.GetCase(ctx, officer, bad.Case.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ok != 1 || len(c.Events) != 2 {
			t.Fatalf("%d acknowledgements succeeded and %d events recorded; want 1 and 2", ok, len(c.Events))
		}
	})
}

// warmPool opens n PostgreSQL connections at once, so concurrent callers
// really overlap instead of queueing behind connection set-up.
func warmPool(t *testing.T, db *store.DB, n int) {
	t.Helper()
	if db.Dialect != store.Postgres {
		return
	}
	done := make(chan error, n)
	for range n {
		go func() {
			_, err := db.W.ExecContext(context.Background(), "SELECT pg_sleep(0.05)")
			done <- err
		}()
	}
	for range n {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
