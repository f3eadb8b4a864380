package quiz

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

// The scripted contest: the three handFile questions in order (Q1 single
// choice, key A; Q2 true/false, key A; Q3 multiple choice, keys A+B),
// 10 points each, ALL_OR_NOTHING, 5-minute limit, all attempts started at
// t0.
//
//	who  community  Q1   Q2  Q3    right  score  submitted  time used
//	P1   东湖       A ✓  A ✓  AB ✓  3      30     t0+60s     60s
//	P2   东湖       A ✓  B ✗  AB ✓  2      20     t0+50s     50s
//	P3   东湖       B ✗  A ✓  A  ✗  1      10     t0+30s     30s
//	P4   西湖       A ✓  A ✓  AC ✗  2      20     t0+40s     40s
//	P5   西湖       C ✗  B ✗  –  ✗  0       0     never      300s (expires at the deadline)
//
// Leaderboard (score desc, time used asc): P1 30; P4 20/40s; P2 20/50s;
// P3 10; P5 0. 东湖: P1, P2, P3. 西湖: P4, P5.
type scripted struct {
	name, community string
	answers         [][]string
	submitAfter     time.Duration // 0: never submitted
}

var script = []scripted{
	{"P1", "东湖社区", [][]string{{"A"}, {"A"}, {"A", "B"}}, 60 * time.Second},
	{"P2", "东湖社区", [][]string{{"A"}, {"B"}, {"A", "B"}}, 50 * time.Second},
	{"P3", "东湖社区", [][]string{{"B"}, {"A"}, {"A"}}, 30 * time.Second},
	{"P4", "西湖社区", [][]string{{"A"}, {"A"}, {"A", "C"}}, 40 * time.Second},
	{"P5", "西湖社区", [][]string{{"C"}, {"B"}}, 0},
}

func playScript(t *testing.T, f *fixture) Contest {
	t.Helper()
	qs := f.addQuestions(t, handFile)
	c := f.publish(t, settings(qs[0].ID, qs[1].ID, qs[2].ID))
	ids := make([]string, len(script))
	for i, p := range script {
		f.clock.Set(t0)
		a := f.mustStart(t, c.ID, person(p.name, p.community))
		ids[i] = a.ID
		for q, keys := range p.answers {
			if _, err := f.answer(t, a.ID, q, keys...); err != nil {
				t.Fatal(err)
			}
		}
	}
	for i, p := range script {
		if p.submitAfter == 0 {
			continue
		}
		f.clock.Set(t0.Add(p.submitAfter))
		if _, err := f.submit(t, ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Set(t0.Add(time.Hour)) // P5's deadline has passed
	return c
}

func TestLeaderboardMatchesTheHandComputation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := playScript(t, f)
		ctx := context.Background()
		type row struct {
			rank  int
			name  string
			score int64
			used  time.Duration
		}
		read := func(community string, size int) []row {
			var out []row
			var after *standingKey
			for {
				page, _, err := f.play.Leaderboard(ctx, c.ID, community, after, size)
				if err != nil {
					t.Fatal(err)
				}
				for _, s := range page {
					out = append(out, row{s.Rank, s.DisplayName, s.ScoreCenti, s.TimeUsed})
				}
				if len(page) < size {
					return out
				}
				last := page[len(page)-1]
				after = &standingKey{NegScore: -last.ScoreCenti, TimeUsed: last.TimeUsed.Microseconds(),
					FinishTime: store.Micros(last.FinishTime), AttemptID: last.AttemptID, Rank: last.Rank}
			}
		}
		want := []row{
			{1, "P1", 3000, 60 * time.Second}, {2, "P4", 2000, 40 * time.Second}, {3, "P2", 2000, 50 * time.Second},
			{4, "P3", 1000, 30 * time.Second}, {5, "P5", 0, 5 * time.Minute},
		}
		for _, size := range []int{1, 2, 100} { // pages of any size give the same list
			if got := read("", size); !slices.Equal(got, want) {
				t.Errorf("leaderboard in pages of %d = %v, want %v", size, got, want)
			}
		}
		if got := read("东湖社区", 2); !slices.Equal(got, []row{want[0], {2, "P2", 2000, 50 * time.Second}, {3, "P3", 1000, 30 * time.Second}}) {
			t.Errorf("东湖 leaderboard = %v", got)
		}
		s, found, total, err := f.play.Rank(ctx, c.ID, person("P2", "").Pseudonym, "")
		if err != nil || !found || s.Rank != 3 || total != 5 {
			t.Errorf("P2's rank = %+v, %v, %d, %v; want 3 of 5", s, found, total, err)
		}
		s, found, total, _ = f.play.Rank(ctx, c.ID, person("P5", "").Pseudonym, "西湖社区")
		if !found || s.Rank != 2 || total != 2 {
			t.Errorf("P5's rank in 西湖 = %+v, %v, %d; want 2 of 2", s, found, total)
		}
		if _, found, _, _ := f.play.Rank(ctx, c.ID, person("nobody", "").Pseudonym, ""); found {
			t.Error("a participant without attempts has a rank")
		}
	})
}

func TestStatisticsMatchTheHandComputation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := playScript(t, f)
		h := &StatsHandler{svc: f.svc}
		got, err := h.GetContestStatistics(context.Background(), &quizv1.GetContestStatisticsRequest{ContestId: c.ID, HistogramBinWidth: 10})
		if err != nil {
			t.Fatal(err)
		}
		near := func(what string, got, want float64) {
			t.Helper()
			if math.Abs(got-want) > 1e-6 {
				t.Errorf("%s = %.9g, want %.9g", what, got, want)
			}
		}
		// Scores 30, 20, 10, 20, 0: mean 80/5 = 16; sorted 0 10 20 20 30 →
		// median 20; deviations 14 4 −6 4 −16, squares 196+16+36+16+256 =
		// 520, sample variance 520/4 = 130, sd √130 = 11.401754251.
		if got.AttemptCount != 5 || got.ParticipantCount != 5 || got.MaxScore != 30 {
			t.Errorf("counts = %d attempts, %d people, max %v", got.AttemptCount, got.ParticipantCount, got.MaxScore)
		}
		near("mean", got.MeanScore, 16)
		near("median", got.MedianScore, 20)
		near("stddev", got.StddevScore, math.Sqrt(130))
		// Bins of 10 over [0, 30]: [0,10) holds 0; [10,20) holds 10;
		// [20,30] holds 20, 20, 30.
		var bins []int32
		for _, b := range got.Histogram {
			bins = append(bins, b.Count)
		}
		if !slices.Equal(bins, []int32{1, 1, 3}) {
			t.Errorf("histogram = %v, want [1 1 3]", bins)
		}
		// KR-20: k = 3; totals 3 2 1 2 0, mean 1.6, population variance
		// (1.96+.16+.36+.16+2.56)/5 = 1.04; Σpq = .6·.4 + .6·.4 + .4·.6 =
		// .72; KR-20 = 3/2 · (1 − .72/1.04) = 0.461538462.
		if !got.Kr20Available {
			t.Error("KR-20 not available for a fixed paper")
		}
		near("KR-20", got.Kr20, 1.5*(1-0.72/1.04))

		type item struct {
			correct  int32
			facility float64
			lo, hi   float64 // Wilson 95%
			disc     float64
			options  []int32
		}
		// Discrimination = r(item, rest) with rest = total − item:
		//  Q1 x 1 1 0 1 0, rest 2 1 1 1 0: Sxy = 1.0, Sxx = 1.2, Syy = 2 →
		//     1/√2.4 = 0.645497224.
		//  Q2 x 1 0 1 1 0, rest 2 2 0 1 0: Sxy = .4 − .6 − .4 + 0 + .6 = 0 → 0.
		//  Q3 x 1 1 0 0 0, rest 2 1 1 2 0: Sxy = .6, Sxx = 1.2, Syy = 2.8 →
		//     .6/√3.36 = 0.327326835.
		// Wilson for 3/5: centre (.6 + z²/10)/(1 + z²/5), half-width
		// z/(1 + z²/5)·√(.24/5 + z²/100) with z = 1.959964 → [0.230724, 0.882379];
		// for 2/5 → [0.117621, 0.769276].
		want := []item{
			{3, 0.6, 0.2307242813, 0.8823792258, 1 / math.Sqrt(2.4), []int32{3, 1, 1}},    // A chosen by P1 P2 P4
			{3, 0.6, 0.2307242813, 0.8823792258, 0, []int32{3, 2}},                        // 正确 ×3, 错误 ×2
			{2, 0.4, 0.1176207742, 0.7692757187, 0.6 / math.Sqrt(3.36), []int32{4, 2, 1}}, // A ×4, B ×2, C ×1
		}
		if len(got.Items) != 3 {
			t.Fatalf("%d items", len(got.Items))
		}
		for i, w := range want {
			it := got.Items[i]
			near("facility", it.Facility, w.facility)
			near("wilson lo", it.FacilityCi.Lo, w.lo)
			near("wilson hi", it.FacilityCi.Hi, w.hi)
			near("discrimination", it.Discrimination, w.disc)
			var opts []int32
			for _, o := range it.Options {
				opts = append(opts, o.Count)
			}
			if it.Correct != w.correct || it.Shown != 5 || !slices.Equal(opts, w.options) || !it.DiscriminationAvailable {
				t.Errorf("item %d = %+v", i, it)
			}
			if len(it.Flags) != 0 {
				t.Errorf("item %d flagged %v with only 5 attempts", i, it.Flags)
			}
		}
		if got.Items[1].Answered != 5 || got.Items[2].Answered != 4 {
			t.Errorf("answered counts = %d, %d; want 5, 4 (P5 skipped Q3)", got.Items[1].Answered, got.Items[2].Answered)
		}
	})
}

func TestBestOrFirstAttemptCountsAndFinishTimeBreaksTies(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		for _, counting := range []Counting{CountBest, CountFirst} {
			f := newFixture(t, db)
			qs := f.addQuestions(t, handFile)
			s := settings(qs[0].ID)
			s.AttemptsAllowed, s.Counting = 2, counting
			c := f.publish(t, s)
			play := func(p Participant, start, end time.Duration, key string) {
				f.clock.Set(t0.Add(start))
				a := f.mustStart(t, c.ID, p)
				f.clock.Set(t0.Add(end))
				if _, err := f.submit(t, a.ID, AnswerIn{Index: 0, Chosen: []string{key}}); err != nil {
					t.Fatal(err)
				}
			}
			// 甲 first scores 0, then 10. 乙 and 丙 score 10 in 20s each;
			// 乙 finishes first.
			play(person("甲", "东湖社区"), 0, 10*time.Second, "B")
			play(person("甲", "东湖社区"), time.Minute, time.Minute+5*time.Second, "A")
			play(person("乙", "东湖社区"), 0, 20*time.Second, "A")
			play(person("丙", "东湖社区"), 10*time.Second, 30*time.Second, "A")
			page, _, err := f.play.Leaderboard(context.Background(), c.ID, "", nil, 10)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, st := range page {
				names = append(names, st.DisplayName)
			}
			want := []string{"甲", "乙", "丙"} // BEST: 甲's 10 in 5s
			if counting == CountFirst {
				want = []string{"乙", "丙", "甲"} // FIRST: 甲's 0
			}
			if !slices.Equal(names, want) {
				t.Errorf("%s: leaderboard %v, want %v", counting, names, want)
			}
		}
	})
}

func TestLeaderboardSizesFollowTheCountingAttempt(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, counting := range []Counting{CountBest, CountFirst} {
			f := newFixture(t, db)
			qs := f.addQuestions(t, handFile)
			s := settings(qs[0].ID)
			s.AttemptsAllowed, s.Counting = 3, counting
			c := f.publish(t, s)
			play := func(name, community, key string) {
				a := f.mustStart(t, c.ID, person(name, community))
				if _, err := f.submit(t, a.ID, AnswerIn{Index: 0, Chosen: []string{key}}); err != nil {
					t.Fatal(err)
				}
			}
			sizes := func() [3]int {
				var out [3]int
				for i, community := range []string{"", "东湖社区", "西湖社区"} {
					n, err := (leaderboardCounts{}).size(ctx, db.R, c.ID, community)
					if err != nil {
						t.Fatal(err)
					}
					var rows int
					q := `SELECT COUNT(*) FROM leaderboard WHERE contest_id = ? AND (community = ? OR ? = '')`
					if err := db.R.Get(&rows, db.R.Rebind(q), c.ID, community, community); err != nil {
						t.Fatal(err)
					}
					if n != rows {
						t.Errorf("%s: size of %q = %d, but the leaderboard lists %d", counting, community, n, rows)
					}
					out[i] = n
				}
				return out
			}
			play("癸", "东湖社区", "B") // 0 points in 东湖
			play("子", "东湖社区", "A")
			if got := sizes(); got != [3]int{2, 2, 0} {
				t.Errorf("%s: sizes %v after two people in 东湖", counting, got)
			}
			play("癸", "西湖社区", "A")  // better, in 西湖
			want := [3]int{2, 1, 1} // BEST moves 癸 to 西湖
			if counting == CountFirst {
				want = [3]int{2, 2, 0} // FIRST keeps the 东湖 attempt
			}
			if got := sizes(); got != want {
				t.Errorf("%s: sizes %v after 癸's better attempt, want %v", counting, got, want)
			}
			play("癸", "东湖社区", "B") // worse again: nothing moves
			if got := sizes(); got != want {
				t.Errorf("%s: sizes %v after 癸's worse attempt, want %v", counting, got, want)
			}
		}
	})
}
