package console_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/web/webtest"
)

// The contest page's histogram and item table hold the API's statistics.
func TestContestPageShowsTheAPIsStatistics(t *testing.T) {
	t.Parallel()
	withDemo(t, func(t *testing.T, s demoServer) {
		// Three residents play: two at the demo kiosk (和平社区), one
		// recorded by the admin for 东湖社区.
		play := quizv1.NewPlayServiceClient(s.Conn)
		for i, p := range []struct{ key, name, community, phone string }{
			{s.keys.Kiosk, "小张", "", "13800138001"},
			{s.keys.Kiosk, "小李", "", "13800138002"},
			{s.keys.Admin, "小王", "东湖社区", "13800138003"},
		} {
			ctx := testserver.KeyCtx(p.key)
			a, err := play.StartAttempt(ctx, &quizv1.StartAttemptRequest{ContestId: s.keys.ContestID,
				DisplayName: p.name, Community: p.community, ParticipantIdentifier: p.phone})
			if err != nil {
				t.Fatalf("attempt %d: %v", i, err)
			}
			if i < 2 {
				if _, err := play.SubmitAttempt(ctx, &quizv1.SubmitAttemptRequest{AttemptId: a.GetAttempt().GetId()}); err != nil {
					t.Fatal(err)
				}
			}
		}
		part, err := quizv1.NewQuizStatsServiceClient(s.Conn).GetParticipation(testserver.KeyCtx(s.keys.Analyst),
			&quizv1.GetParticipationRequest{ContestId: s.keys.ContestID, Granularity: quizv1.Granularity_GRANULARITY_WEEK})
		if err != nil {
			t.Fatal(err)
		}
		if part.GetAll().GetTotal().GetAttempts() != 3 || len(part.GetCommunities()) != 2 {
			t.Fatalf("participation: %v", part)
		}
		st, err := quizv1.NewQuizStatsServiceClient(s.Conn).GetContestStatistics(testserver.KeyCtx(s.keys.Analyst),
			&quizv1.GetContestStatisticsRequest{ContestId: s.keys.ContestID})
		if err != nil {
			t.Fatal(err)
		}
		b := webtest.New(t, webtest.Window(1440, 900))
		signIn(b, s.BaseURL, s.keys.Analyst, "/console/quiz")
		b.Run(chromedp.WaitVisible("#table-contests", chromedp.ByID))
		shot(t, b, "contests")
		var opt struct {
			Series []struct{ Data []float64 } `json:"series"`
		}
		var rows int
		b.Run(chromedp.Navigate(s.BaseURL+"/console/quiz/contests/"+s.keys.ContestID),
			chromedp.WaitVisible("#chart-hist svg", chromedp.ByQuery),
			chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById("chart-hist")).getOption()`, &opt),
			chromedp.Evaluate(`document.querySelectorAll("#table-items tbody tr").length`, &rows))
		shot(t, b, "contest")
		noErrors(t, b)

		// The participation chart and tables, by week, hold the API's counts.
		var popt struct {
			Series []struct {
				Name string
				Data []float64
			} `json:"series"`
		}
		var trendRows, communityRows int
		b.Run(chromedp.Navigate(s.BaseURL+"/console/quiz/contests/"+s.keys.ContestID+"?g=week"),
			chromedp.WaitVisible("#chart-participation svg", chromedp.ByQuery),
			chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById("chart-participation")).getOption()`, &popt),
			chromedp.Evaluate(`document.querySelectorAll("#table-participation tbody tr").length`, &trendRows),
			chromedp.Evaluate(`document.querySelectorAll("#table-communities tbody tr").length`, &communityRows))
		shot(t, b, "contest-participation")
		if trendRows != len(part.GetBucketStarts()) || communityRows != len(part.GetCommunities()) {
			t.Errorf("tables: %d bucket rows, %d community rows; API %d buckets, %d communities",
				trendRows, communityRows, len(part.GetBucketStarts()), len(part.GetCommunities()))
		}
		if len(popt.Series) != 1+len(part.GetCommunities()) {
			t.Fatalf("participation chart series: %+v", popt.Series)
		}
		for i, b := range part.GetAll().GetBuckets() {
			if popt.Series[0].Data[i] != float64(b.GetAttempts()) {
				t.Errorf("bucket %d: chart %v attempts, API %d", i, popt.Series[0].Data[i], b.GetAttempts())
			}
		}
		for j, c := range part.GetCommunities() {
			line := popt.Series[1+j]
			if line.Name != c.GetCommunity() {
				t.Errorf("line %d is %q, API community %q", j, line.Name, c.GetCommunity())
			}
			for i, b := range c.GetBuckets() {
				if line.Data[i] != float64(b.GetAttempts()) {
					t.Errorf("%s bucket %d: chart %v, API %d", c.GetCommunity(), i, line.Data[i], b.GetAttempts())
				}
			}
		}
		csv := newClient(t, s.BaseURL)
		csv.signIn(s.keys.Analyst)
		r := csv.do("GET", "/console/quiz/contests/"+s.keys.ContestID+"/tables/communities.csv?g=week", nil)
		want := "\ufeff社区,答卷数,参与人数,完成数\n和平社区,2,2,2\n东湖社区,1,1,0\n"
		if r.status != 200 || r.body != want {
			t.Errorf("communities CSV: %d %q, want %q", r.status, r.body, want)
		}
		if rows != len(st.GetItems()) {
			t.Errorf("item table has %d rows, API %d items", rows, len(st.GetItems()))
		}
		if len(opt.Series) != 1 || len(opt.Series[0].Data) != len(st.GetHistogram()) {
			t.Fatalf("histogram: %+v", opt)
		}
		for i, bin := range st.GetHistogram() {
			if opt.Series[0].Data[i] != float64(bin.GetCount()) {
				t.Errorf("bin %d: chart %v, API %d", i, opt.Series[0].Data[i], bin.GetCount())
			}
		}
	})
}
