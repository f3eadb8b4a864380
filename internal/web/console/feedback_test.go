package console_test

import (
	"math"
	"testing"

	"github.com/chromedp/chromedp"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/web/webtest"
)

// The feedback dashboard's rate chart carries the API's trend, bucket by
// bucket, and its headline the API's summary.
func TestFeedbackDashboardShowsTheAPIsRates(t *testing.T) {
	t.Parallel()
	withDemo(t, func(t *testing.T, s demoServer) {
		const from, to = "2026-09-01", "2026-11-30"
		ctx := testserver.KeyCtx(s.keys.Analyst)
		trend, err := feedbackv1.NewFeedbackStatsServiceClient(s.Conn).GetTrend(ctx, &feedbackv1.GetTrendRequest{
			TargetId: s.keys.OfficerDept, StartDate: from, EndDate: to, Granularity: feedbackv1.Granularity_GRANULARITY_WEEK})
		if err != nil {
			t.Fatal(err)
		}
		b := webtest.New(t, webtest.Window(1440, 900))
		signIn(b, s.BaseURL, s.keys.Analyst, "/console/feedback?target="+s.keys.OfficerDept+"&from="+from+"&to="+to+"&g=week")
		var opt struct {
			XAxis  []struct{ Data []string } `json:"xAxis"`
			Series []struct {
				Name string    `json:"name"`
				Data []float64 `json:"data"`
			} `json:"series"`
		}
		b.Run(chromedp.WaitVisible("#chart-rates svg", chromedp.ByQuery),
			chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById("chart-rates")).getOption()`, &opt))
		shot(t, b, "feedback")
		noErrors(t, b)
		if len(opt.Series) != 3 || len(opt.XAxis[0].Data) != len(trend.GetBuckets()) {
			t.Fatalf("rate chart: %+v", opt)
		}
		total := 0.0
		for i, bk := range trend.GetBuckets() {
			sm := bk.GetSummary()
			if opt.XAxis[0].Data[i] != bk.GetStartDate() || opt.Series[0].Data[i] != float64(sm.GetCount()) ||
				math.Abs(opt.Series[1].Data[i]-sm.GetSatisfactionRate()) > 1e-12 || math.Abs(opt.Series[2].Data[i]-sm.GetBadRate()) > 1e-12 {
				t.Errorf("bucket %d on the chart: %s %v %v %v; API %+v", i, opt.XAxis[0].Data[i], opt.Series[0].Data[i],
					opt.Series[1].Data[i], opt.Series[2].Data[i], bk)
			}
			total += float64(sm.GetCount())
		}
		if total == 0 {
			t.Error("the demo department has no ratings in the period; the test compares nothing")
		}
	})
}
