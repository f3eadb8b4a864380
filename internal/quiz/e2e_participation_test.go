package quiz_test

import (
	"net/http"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/workcal"
)

// Participation over three days, counted by hand (day 0 is today in
// Asia/Shanghai; the clock moves 24 h between days):
//
//	day 0: 小张 (东湖, submits), 小李 (东湖, never submits: expires), 小王 (西湖, submits)
//	day 1: 小张 again (东湖), 小王 (东湖 this time; both expire)
//	day 2: 小赵 (西湖, still playing when counted)
//
// A participant counts once, where and when they first played.
// 东湖: 4 attempts, 2 participants (张, 李), 4 finished; day 0 {2, 2, 2},
// day 1 {2, 0, 2}, day 2 {0, 0, 0}.
// 西湖: 2 attempts, 2 participants (王, 赵), 1 finished; day 0 {1, 1, 1},
// day 2 {1, 1, 0}.
// All: 6 attempts by 4 participants, 5 finished.
func TestParticipationByCommunityOverDays(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clock := &testserver.Clock{}
		s := testserver.Start(t, db, withSecret, testserver.WithClock(clock.Now))
		g := newGame(t, s, false)
		admin, kiosk, analyst := s.Ctx(auth.Admin), s.Ctx(auth.Kiosk), s.Ctx(auth.Analyst)
		cs := contestSettings(nil, false)
		got, err := g.admin.GetContest(admin, &quizv1.GetContestRequest{Id: g.contestID})
		if err != nil {
			t.Fatal(err)
		}
		cs.Paper = got.GetContest().GetSettings().GetPaper()
		cs.AttemptsAllowed = 3
		cs.EndTime = timestamppb.New(time.Now().Add(10 * 24 * time.Hour))
		c, err := g.admin.CreateContest(admin, &quizv1.CreateContestRequest{Contest: cs})
		if err == nil {
			_, err = g.admin.PublishContest(admin, &quizv1.PublishContestRequest{Id: c.GetContest().GetId()})
		}
		if err != nil {
			t.Fatal(err)
		}
		g.contestID = c.GetContest().GetId()
		loc, _ := time.LoadLocation("Asia/Shanghai")
		day0 := workcal.DateOf(clock.Now().In(loc))

		play := func(name, community, phone string, submit bool) {
			t.Helper()
			st := g.start(t, kiosk, name, community, phone)
			if submit {
				if _, err := g.play.SubmitAttempt(kiosk, &quizv1.SubmitAttemptRequest{AttemptId: st.GetAttempt().GetId()}); err != nil {
					t.Fatal(err)
				}
			}
		}
		play("小张", "东湖社区", "13700137001", true)
		play("小李", "东湖社区", "13700137002", false)
		play("小王", "西湖社区", "13700137003", true)
		clock.Advance(24 * time.Hour)
		play("小张", "东湖社区", "13700137001", false)
		play("小王", "东湖社区", "13700137003", false)
		clock.Advance(24 * time.Hour)
		play("小赵", "西湖社区", "13700137004", false)

		resp, err := g.stats.GetParticipation(analyst, &quizv1.GetParticipationRequest{
			ContestId: g.contestID, Granularity: quizv1.Granularity_GRANULARITY_DAY,
			StartDate: day0.String(), EndDate: day0.AddDays(2).String(),
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{day0.String(), day0.AddDays(1).String(), day0.AddDays(2).String()}
		if len(resp.GetBucketStarts()) != 3 || resp.GetBucketStarts()[0] != want[0] || resp.GetBucketStarts()[2] != want[2] {
			t.Fatalf("buckets %v, want %v", resp.GetBucketStarts(), want)
		}
		type n struct{ a, p, f int32 }
		of := func(c *quizv1.ParticipationCount) n { return n{c.GetAttempts(), c.GetParticipants(), c.GetFinished()} }
		check := func(what string, got *quizv1.ParticipationCount, want n) {
			t.Helper()
			if of(got) != want {
				t.Errorf("%s = %+v, want %+v", what, of(got), want)
			}
		}
		cs2 := resp.GetCommunities()
		if len(cs2) != 2 || cs2[0].GetCommunity() != "东湖社区" || cs2[1].GetCommunity() != "西湖社区" {
			t.Fatalf("communities %v", cs2)
		}
		east, west := cs2[0], cs2[1]
		check("东湖 total", east.GetTotal(), n{4, 2, 4})
		check("东湖 day 0", east.GetBuckets()[0], n{2, 2, 2})
		check("东湖 day 1", east.GetBuckets()[1], n{2, 0, 2})
		check("东湖 day 2", east.GetBuckets()[2], n{0, 0, 0})
		check("西湖 total", west.GetTotal(), n{2, 2, 1})
		check("西湖 day 0", west.GetBuckets()[0], n{1, 1, 1})
		check("西湖 day 2", west.GetBuckets()[2], n{1, 1, 0})
		check("all total", resp.GetAll().GetTotal(), n{6, 4, 5})
		check("all day 1", resp.GetAll().GetBuckets()[1], n{2, 0, 2})

		// The defaults: from the contest's first day to today.
		def, err := g.stats.GetParticipation(analyst, &quizv1.GetParticipationRequest{
			ContestId: g.contestID, Granularity: quizv1.Granularity_GRANULARITY_MONTH})
		if err != nil {
			t.Fatal(err)
		}
		if def.GetEndDate() != day0.AddDays(2).String() || def.GetAll().GetTotal().GetAttempts() != 6 {
			t.Errorf("default period %s–%s with %d attempts, want to %s with 6",
				def.GetStartDate(), def.GetEndDate(), def.GetAll().GetTotal().GetAttempts(), day0.AddDays(2))
		}
		// The same over HTTP.
		r := s.Do(t, auth.Analyst, http.MethodGet, "/v1/contests/"+g.contestID+"/participation?granularity=GRANULARITY_WEEK", nil)
		if r.Status != http.StatusOK {
			t.Errorf("HTTP: %d %s", r.Status, r.Body)
		}
	})
}
