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
