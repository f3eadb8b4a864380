package quiz

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

// wantReason checks a refusal's code and reason.
func wantReason(t *testing.T, err error, code codes.Code, reason apierr.Reason) {
	t.Helper()
	if got := apierr.ReasonOf(err); status.Code(err) != code || got != reason {
		t.Fatalf("error = %v (%v, %s), want %v with reason %s", err, status.Code(err), got, code, reason)
	}
}

// wantCode checks a code and that the message names what is wrong (the
// fields of a bad request, the problems of an unpublishable contest).
func wantCode(t *testing.T, err error, code codes.Code, contains string) {
	t.Helper()
	st := status.Convert(err)
	if st.Code() != code || !strings.Contains(st.Message(), contains) {
		t.Fatalf("error = %v (%v), want %v containing %q", err, st.Code(), code, contains)
	}
}

func TestAnswersAfterTheDeadlineAreRefusedAndTheAttemptScoresWhatCameInTime(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		qs := f.addQuestions(t, handFile)
		c := f.publish(t, settings(qs[0].ID, qs[1].ID, qs[2].ID))
		a := f.mustStart(t, c.ID, person("甲", "东湖社区"))
		if want := t0.Add(5 * time.Minute); !a.Deadline.Equal(want) {
			t.Fatalf("deadline = %v, want start + 5 min = %v", a.Deadline, want)
		}

		f.clock.Set(a.Deadline.Add(-time.Microsecond)) // the last instant that counts
		if it, err := f.answer(t, a.ID, 0, "A"); err != nil || !it.Correct || it.EarnedCenti != 1000 {
			t.Fatalf("in-time answer = %+v, %v", it, err)
		}
		f.clock.Set(a.Deadline) // answers must arrive before the deadline
		_, err := f.answer(t, a.ID, 1, "A")
		wantReason(t, err, codes.FailedPrecondition, apierr.AttemptDeadlinePassed)
		_, err = f.submit(t, a.ID, answerIn{Index: 2, Chosen: []string{"A", "B"}})
		wantReason(t, err, codes.FailedPrecondition, apierr.AttemptDeadlinePassed)

		got, items, err := f.play.Get(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != expired || got.ScoreCenti != 1000 || got.AnsweredCount != 1 ||
			!got.FinishTime.Equal(a.Deadline) || got.TimeUsed() != 5*time.Minute {
			t.Errorf("expired attempt = %+v", got)
		}
		if items[1].Answered || items[2].Answered {
			t.Error("late answers were stored")
		}
		// Submitting the expired attempt with nothing new is harmless.
		if again, err := f.submit(t, a.ID); err != nil || again.State != expired {
			t.Errorf("submit after expiry = %+v, %v", again, err)
		}
	})
}

func TestAbandonedAttemptsExpireWhenTheLeaderboardIsRead(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		qs := f.addQuestions(t, handFile)
		c := f.publish(t, settings(qs[0].ID))
		a := f.mustStart(t, c.ID, person("乙", "东湖社区"))
		if _, err := f.answer(t, a.ID, 0, "A"); err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if page, _, _ := f.play.Leaderboard(ctx, c.ID, "", nil, 10); len(page) != 0 {
			t.Fatalf("an attempt in progress is on the leaderboard: %+v", page)
		}
		f.clock.Set(t0.Add(time.Hour))
		page, total, err := f.play.Leaderboard(ctx, c.ID, "", nil, 10)
		if err != nil || total != 1 || len(page) != 1 || page[0].ScoreCenti != 1000 || page[0].TimeUsed != 5*time.Minute {
			t.Fatalf("leaderboard after expiry = %+v, %d, %v", page, total, err)
		}
	})
}

func TestOneAnswerPerQuestion(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		qs := f.addQuestions(t, handFile)
		c := f.publish(t, settings(qs[0].ID, qs[1].ID))
		a := f.mustStart(t, c.ID, person("丙", "东湖社区"))
		first, err := f.answer(t, a.ID, 0, "B")
		if err != nil || first.Correct {
			t.Fatalf("first answer = %+v, %v", first, err)
		}
		// The same answer again is the same reply; another one is refused.
		if again, err := f.answer(t, a.ID, 0, "B"); err != nil || !again.AnswerTime.Equal(first.AnswerTime) {
			t.Errorf("repeated answer = %+v, %v", again, err)
		}
		_, err = f.answer(t, a.ID, 0, "A")
		wantReason(t, err, codes.FailedPrecondition, apierr.QuestionAlreadyAnswered)
		_, err = f.answer(t, a.ID, 5, "A")
		wantCode(t, err, codes.InvalidArgument, "index")
		_, err = f.answer(t, a.ID, 1, "Z")
		wantCode(t, err, codes.InvalidArgument, "chosen_keys[0]")
		got, _, _ := f.play.Get(context.Background(), a.ID)
		if got.AnsweredCount != 1 || got.ScoreCenti != 0 {
			t.Errorf("attempt = %+v", got)
		}
	})
}

func TestStartingBeyondTheAttemptsAllowedIsResourceExhausted(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		qs := f.addQuestions(t, handFile)
		s := settings(qs[0].ID)
		s.AttemptsAllowed = 2
		c := f.publish(t, s)
		// Counted per participant, whatever kiosk or community they use.
		f.mustStart(t, c.ID, person("丁", "东湖社区"))
		if a := f.mustStart(t, c.ID, person("丁", "西湖社区")); a.Number != 2 {
			t.Errorf("second attempt number = %d", a.Number)
		}
		_, _, err := f.start(t, c.ID, person("丁", "东湖社区"))
		wantReason(t, err, codes.ResourceExhausted, apierr.AttemptLimitReached)
		// Someone else may still play.
		f.mustStart(t, c.ID, person("戊", "东湖社区"))
	})
}

func TestContestWindowAndStateGateStarting(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		qs := f.addQuestions(t, handFile)
		ctx := context.Background()
		s := settings(qs[0].ID)
		s.StartTime = t0.Add(time.Hour)
		s.Community = "东湖社区"
		c := f.publish(t, s)
		_, _, err := f.start(t, c.ID, person("己", "东湖社区"))
		wantReason(t, err, codes.FailedPrecondition, apierr.ContestNotOpen)
		f.clock.Set(t0.Add(2 * time.Hour))
		_, _, err = f.start(t, c.ID, person("己", "西湖社区"))
		wantReason(t, err, codes.FailedPrecondition, apierr.CommunityMismatch)
		a := f.mustStart(t, c.ID, person("己", "东湖社区"))

		// Closing ends the window now and cuts the running attempt short.
		f.clock.Set(t0.Add(2*time.Hour + time.Minute))
		if _, err := f.contests.Close(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.answer(t, a.ID, 0, "A")
		wantReason(t, err, codes.FailedPrecondition, apierr.AttemptDeadlinePassed)
		got, _, _ := f.play.Get(ctx, a.ID)
		if got.State != expired || got.TimeUsed() != time.Minute {
			t.Errorf("attempt after close = %+v", got)
		}
		_, _, err = f.start(t, c.ID, person("庚", "东湖社区"))
		wantReason(t, err, codes.FailedPrecondition, apierr.ContestNotOpen)
		_, err = f.contests.Update(ctx, c.ID, s)
		wantReason(t, err, codes.FailedPrecondition, apierr.ContestStateForbids)
	})
}

func TestPublishSaysWhichPartOfThePaperRuleFails(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		qs := f.addQuestions(t, handFile)
		ctx := context.Background()
		if _, err := f.bank.Retire(ctx, qs[1].ID); err != nil {
			t.Fatal(err)
		}
		create := func(s Settings) string {
			var c contest
			err := db.WithTx(ctx, func(tx *store.Tx) (err error) { c, err = f.contests.Create(ctx, tx, s); return err })
			if err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
		fixed := create(settings(qs[0].ID, qs[1].ID, "no-such-question"))
		_, err := f.contests.Publish(ctx, fixed)
		wantReason(t, err, codes.FailedPrecondition, apierr.ContestNotPublishable)
		wantCode(t, err, codes.FailedPrecondition, `question_ids[1]: question "`+qs[1].ID+`" is retired`)
		wantCode(t, err, codes.FailedPrecondition, `question_ids[2]: question "no-such-question" does not exist`)

		s := settings()
		s.FixedQuestions = nil
		s.Draws = []DrawRule{{Category: "公共秩序", Count: 1}, {Category: "网络文明", Difficulty: hard, Count: 2}}
		random := create(s)
		_, err = f.contests.Publish(ctx, random)
		wantReason(t, err, codes.FailedPrecondition, apierr.ContestNotPublishable)
		wantCode(t, err, codes.FailedPrecondition, "draws[1] (网络文明, HARD): needs 2 active questions, the bank has 0")
		if strings.Contains(status.Convert(err).Message(), "draws[0]") {
			t.Errorf("the satisfiable rule is reported too: %v", err)
		}
	})
}

func TestPaperShowsTheVersionItWasDrawnWith(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		qs := f.addQuestions(t, handFile)
		c := f.publish(t, settings(qs[0].ID))
		a := f.mustStart(t, c.ID, person("辛", "东湖社区"))
		edited := qs[0].Content
		edited.Stem = "改过的题干"
		edited.CorrectKeys = []string{"B"}
		q, err := f.bank.Update(context.Background(), qs[0].ID, edited)
		if err != nil || q.Version != 2 {
			t.Fatalf("edit of a shown question = v%d, %v; want a new version", q.Version, err)
		}
		it, err := f.answer(t, a.ID, 0, "A")
		if err != nil || !it.Correct || it.Question.Version != 1 {
			t.Errorf("answer scored against %+v, %v; want version 1 where A is right", it.Question, err)
		}
	})
}

func TestAnAnswerRacingAFinishChangesNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		qs := f.addQuestions(t, handFile)
		c := f.publish(t, settings(qs[0].ID, qs[1].ID))
		a := f.mustStart(t, c.ID, person("壬", "东湖社区"))
		ctx := context.Background()
		_, items, err := f.play.Get(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The answer was checked against the attempt as read before the
		// submit below committed; storing it must now fail as a whole.
		if _, err := f.submit(t, a.ID); err != nil {
			t.Fatal(err)
		}
		it := items[0]
		it.Chosen, it.Correct, it.EarnedCenti, it.AnswerTime = []string{"A"}, true, 1000, t0
		err = db.WithTx(ctx, func(tx *store.Tx) error {
			ok, err := recordAnswers(ctx, tx, &attempt{ID: a.ID}, []PaperItem{it})
			if err == nil && ok {
				t.Error("an answer was recorded on a finished attempt")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, items, _ := f.play.Get(ctx, a.ID)
		if got.ScoreCenti != 0 || got.AnsweredCount != 0 || items[0].Answered {
			t.Errorf("finished attempt changed: %+v", got)
		}
	})
}

// An edit that read a version as unused must not overwrite it once an
// attempt has used it (on PostgreSQL an attempt can mark it between the
// edit's read and its write): the overwrite changes nothing and says so,
// and Bank.Update then makes a new version.
func TestOverwriteLeavesAVersionUsedSinceItWasRead(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		q := f.addQuestions(t, handFile)[0]
		ctx := context.Background()
		if _, err := db.W.Exec(db.W.Rebind(`UPDATE question_versions SET used = TRUE WHERE question_id = ?`), q.ID); err != nil {
			t.Fatal(err)
		}
		edited := q
		edited.Stem = "改过的题干"
		err := db.WithTx(ctx, func(tx *store.Tx) error {
			overwritten, err := overwriteVersion(ctx, tx, edited)
			if err == nil && overwritten {
				t.Error("a used version was overwritten")
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := getQuestion(ctx, db.R, q.ID, q.Version)
		if err != nil || got.Stem != q.Stem {
			t.Errorf("version %d now reads %q (%v), want %q", q.Version, got.Stem, err, q.Stem)
		}
	})
}
