package console_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/web/webtest"
)

// demoTrend is the API's trend over the demo's two rounds.
func demoTrend(t *testing.T, s demoServer) *civindexv1.GetTrendResponse {
	t.Helper()
	ctx := testserver.KeyCtx(s.keys.Analyst)
	rd, err := civindexv1.NewRoundServiceClient(s.Conn).GetRound(ctx, &civindexv1.GetRoundRequest{Id: s.keys.RoundID})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := civindexv1.NewIndexServiceClient(s.Conn).GetTrend(ctx, &civindexv1.GetTrendRequest{
		FrameworkId: rd.GetRound().GetFrameworkId(), Kind: rd.GetRound().GetKind()})
	if err != nil || len(tr.GetPoints()) != 2 {
		t.Fatalf("trend: %v %v", tr, err)
	}
	return tr
}

type chartOption struct {
	XAxis  []struct{ Data []string } `json:"xAxis"`
	Series []struct {
		Name string `json:"name"`
		Data []any  `json:"data"`
	} `json:"series"`
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// The chart on the second round's page holds the API's means, intervals
// and significance flags (read back with ECharts getOption).
func TestRoundChartsShowTheAPIsIndexIntervalsAndSignificance(t *testing.T) {
	t.Parallel()
	withDemo(t, func(t *testing.T, s demoServer) {
		trend := demoTrend(t, s)
		second := trend.GetPoints()[1].GetIndex().GetRoundId()
		ri, err := civindexv1.NewIndexServiceClient(s.Conn).GetRoundIndex(testserver.KeyCtx(s.keys.Analyst),
			&civindexv1.GetRoundIndexRequest{RoundId: second})
		if err != nil {
			t.Fatal(err)
		}
		b := webtest.New(t, webtest.Window(1440, 900))
		signIn(b, s.BaseURL, s.keys.Analyst, "/console/index")
		b.Run(chromedp.WaitVisible("#table-rounds", chromedp.ByID))
		shot(t, b, "rounds")
		var opt chartOption
		var dims chartOption
		b.Run(chromedp.Navigate(s.BaseURL+"/console/index/rounds/"+second),
			chromedp.WaitVisible("#chart-trend svg", chromedp.ByQuery),
			chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById("chart-trend")).getOption()`, &opt),
			chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById("chart-dims")).getOption()`, &dims))
		shot(t, b, "round")
		noErrors(t, b)

		if len(opt.Series) != 3 || len(opt.XAxis) != 1 {
			t.Fatalf("trend chart option: %+v", opt)
		}
		for i, p := range trend.GetPoints() {
			ix := p.GetIndex()
			if opt.XAxis[0].Data[i] != ix.GetRoundName() {
				t.Errorf("category %d = %q, want %q", i, opt.XAxis[0].Data[i], ix.GetRoundName())
			}
			if v, _ := opt.Series[0].Data[i].(float64); !near(v, ix.GetIndex()) {
				t.Errorf("round %d index on the chart %v, API %v", i, opt.Series[0].Data[i], ix.GetIndex())
			}
			bar, _ := opt.Series[1].Data[i].([]any)
			if len(bar) != 3 || !near(bar[1].(float64), ix.GetCi().GetLow()) || !near(bar[2].(float64), ix.GetCi().GetHigh()) {
				t.Errorf("round %d interval on the chart %v, API %v", i, bar, ix.GetCi())
			}
		}
		var want, got []int
		for _, c := range trend.GetChanges() {
			if c.GetSignificant() {
				want = append(want, 1) // the only change is into the second round
			}
		}
		for _, d := range opt.Series[2].Data {
			got = append(got, int(d.([]any)[0].(float64)))
		}
		if !slices.Equal(got, want) {
			t.Errorf("significant changes on the chart %v, API %v", got, want)
		}
		if !near(trend.GetPoints()[1].GetIndex().GetIndex(), ri.GetIndex().GetIndex()) {
			t.Errorf("trend and round index disagree")
		}
		for i, d := range ri.GetIndex().GetDimensions() {
			if v, _ := dims.Series[0].Data[i].(float64); !near(v, d.GetScore()) || dims.XAxis[0].Data[i] != d.GetName() {
				t.Errorf("dimension %d on the chart %v %v, API %v %v", i, dims.XAxis[0].Data[i], v, d.GetName(), d.GetScore())
			}
		}
		var headline string
		b.Run(chromedp.Text("#index-value", &headline, chromedp.ByID))
		if headline != strconv.FormatFloat(ri.GetIndex().GetIndex(), 'f', 2, 64) {
			t.Errorf("headline %q, API %v", headline, ri.GetIndex().GetIndex())
		}
	})
}

// The site ranking's CSV and XLSX hold the API's ranks and scores.
func TestSiteRankingDownloadsMatchTheAPI(t *testing.T) {
	t.Parallel()
	withDemo(t, func(t *testing.T, s demoServer) {
		rank, err := civindexv1.NewIndexServiceClient(s.Conn).ListSiteRanking(testserver.KeyCtx(s.keys.Analyst),
			&civindexv1.ListSiteRankingRequest{RoundId: s.keys.RoundID})
		if err != nil || len(rank.GetSites()) == 0 {
			t.Fatalf("ranking: %v", err)
		}
		c := newClient(t, s.BaseURL)
		c.signIn(s.keys.Analyst)
		base := "/console/index/rounds/" + s.keys.RoundID + "/tables/ranking"
		r := c.do("GET", base+".csv", nil)
		if r.status != 200 || !strings.HasPrefix(r.body, "\ufeff") || !strings.Contains(r.header.Get("Content-Disposition"), ".csv") {
			t.Fatalf("CSV: %d %q %q", r.status, r.header.Get("Content-Disposition"), r.body[:min(len(r.body), 40)])
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		x := c.do("GET", base+".xlsx", nil)
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
		if err != nil {
			t.Fatalf("XLSX: %v", err)
		}
		rows, err := f.GetRows("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		for name, got := range map[string][][]string{"CSV": recs, "XLSX": rows} {
			if len(got) != len(rank.GetSites())+1 || got[0][0] != "名次" || got[0][4] != "得分" {
				t.Fatalf("%s: %d rows, header %v", name, len(got), got[0])
			}
			for i, rs := range rank.GetSites() {
				row := got[i+1]
				score, _ := strconv.ParseFloat(row[4], 64)
				if row[0] != strconv.Itoa(int(rs.GetRank())) || row[1] != rs.GetScore().GetSiteName() ||
					math.Abs(score-rs.GetScore().GetScore()) > 1e-9 {
					t.Errorf("%s row %d = %v, API rank %d %s %v", name, i+1, row, rs.GetRank(), rs.GetScore().GetSiteName(), rs.GetScore().GetScore())
				}
			}
		}
	})
}

// A site's page lists its visits with their evidence hashes and amendment
// history as the API has them; two rounds compare side by side; the round
// report prints with its charts.
func TestSiteCompareAndReportPages(t *testing.T) {
	t.Parallel()
	withDemo(t, func(t *testing.T, s demoServer) {
		ctx := testserver.KeyCtx(s.keys.Analyst)
		trend := demoTrend(t, s)
		first, second := trend.GetPoints()[0].GetIndex().GetRoundId(), trend.GetPoints()[1].GetIndex().GetRoundId()
		rank, err := civindexv1.NewIndexServiceClient(s.Conn).ListSiteRanking(ctx, &civindexv1.ListSiteRankingRequest{RoundId: second})
		if err != nil {
			t.Fatal(err)
		}
		site := rank.GetSites()[0].GetScore()
		ins, err := civindexv1.NewInspectionServiceClient(s.Conn).ListInspections(ctx,
			&civindexv1.ListInspectionsRequest{RoundId: second, SiteId: site.GetSiteId()})
		if err != nil {
			t.Fatal(err)
		}
		var wantHashes []string
		for _, in := range ins.GetInspections() {
			for _, rev := range in.GetRevisions() {
				for _, e := range rev.GetEvidence() {
					wantHashes = append(wantHashes, e.GetSha256())
				}
			}
		}

		b := webtest.New(t, webtest.Window(1440, 900))
		signIn(b, s.BaseURL, s.keys.Analyst, "/console/index/rounds/"+second)
		b.Follow("#table-ranking tbody tr:first-child a")
		b.Run(chromedp.WaitVisible("#site-score", chromedp.ByID))
		var score string
		var hashes []string
		b.Run(chromedp.Text("#site-score", &score, chromedp.ByID),
			chromedp.Evaluate(`Array.from(document.querySelectorAll("code.hash")).map(function(e){return e.textContent})`, &hashes))
		if score != strconv.FormatFloat(site.GetScore(), 'f', 2, 64) {
			t.Errorf("site score %q, API %v", score, site.GetScore())
		}
		if !slices.Equal(hashes, wantHashes) && !(len(hashes) == 0 && len(wantHashes) == 0) {
			t.Errorf("evidence hashes %v, API %v", hashes, wantHashes)
		}
		shot(t, b, "site")

		var rows int
		b.Run(chromedp.Navigate(s.BaseURL+"/console/index/compare?a="+first+"&b="+second),
			chromedp.WaitVisible("#chart-pair svg", chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll("#table-sites tbody tr").length`, &rows))
		if rows != len(rank.GetSites()) {
			t.Errorf("compare lists %d sites, want %d", rows, len(rank.GetSites()))
		}
		shot(t, b, "compare")

		var charts int
		b.Run(chromedp.Navigate(s.BaseURL+"/console/index/rounds/"+second+"/report"),
			chromedp.WaitVisible("#chart-trend svg", chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll(".chart svg").length`, &charts))
		if charts != 2 {
			t.Errorf("report has %d drawn charts, want 2", charts)
		}
		shot(t, b, "report")
		var pdf []byte
		b.Run(chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPrintBackground(false).Do(ctx)
			return err
		}))
		if !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Error("the report did not print")
		}
		noErrors(t, b)
	})
}
