package console_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"google.golang.org/protobuf/types/known/timestamppb"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/web/webtest"
)

// addSelfCheck gives the demo a January 2026 self-check in which every
// site reports what the second quarter's inspectors found there: the
// units' self-scores then run ahead of the mean of the two official
// rounds, so the inflation table has rows (and the demo's generator
// decides which are significant; the test compares with the API, which
// docs/supervision.md's worked example checks by hand).
func addSelfCheck(t *testing.T, s demoServer) {
	t.Helper()
	admin, insp := testserver.KeyCtx(s.keys.Admin), testserver.KeyCtx(s.keys.Inspector)
	trend := demoTrend(t, s)
	q2 := trend.GetPoints()[1].GetIndex().GetRoundId()
	rd, err := civindexv1.NewRoundServiceClient(s.Conn).GetRound(admin, &civindexv1.GetRoundRequest{Id: q2})
	if err != nil {
		t.Fatal(err)
	}
	jan := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rounds := civindexv1.NewRoundServiceClient(s.Conn)
	self, err := rounds.CreateRound(admin, &civindexv1.CreateRoundRequest{Name: "2026年1月各单位自查",
		Kind: civindexv1.RoundKind_ROUND_KIND_SELF_CHECK, FrameworkId: rd.GetRound().GetFrameworkId(),
		FrameworkVersion: rd.GetRound().GetFrameworkVersion(), StartTime: timestamppb.New(jan),
		EndTime: timestamppb.New(jan.AddDate(0, 1, 0)), SiteIds: rd.GetRound().GetSiteIds()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rounds.OpenRound(admin, &civindexv1.OpenRoundRequest{Id: self.GetRound().GetId()}); err != nil {
		t.Fatal(err)
	}
	ins := civindexv1.NewInspectionServiceClient(s.Conn)
	list, err := ins.ListInspections(admin, &civindexv1.ListInspectionsRequest{RoundId: q2, PageSize: 500})
	if err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	for _, in := range list.GetInspections() {
		if done[in.GetSiteId()] {
			continue
		}
		done[in.GetSiteId()] = true
		revs := in.GetRevisions()
		_, err := ins.SubmitInspection(insp, &civindexv1.SubmitInspectionRequest{RoundId: self.GetRound().GetId(),
			SiteId: in.GetSiteId(), VisitTime: timestamppb.New(jan.AddDate(0, 0, 10)), Results: revs[len(revs)-1].GetResults(),
			Notes: "单位自查"})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func axeClean(t *testing.T, b *webtest.Browser, page string) {
	t.Helper()
	for _, v := range b.Axe() {
		t.Errorf("%s: %s", page, v)
	}
}

func parse(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}

// rows reads a table's cells: the data-value of numeric cells, else the
// text.
func rows(b *webtest.Browser, sel string) [][]string {
	var out [][]string
	b.Run(chromedp.Evaluate(`Array.from(document.querySelectorAll(`+"`"+sel+" tbody tr`"+`)).map(function(tr){
		return Array.from(tr.cells).map(function(td){return td.hasAttribute("data-value")?td.getAttribute("data-value"):td.textContent.trim()})})`, &out))
	return out
}

// The analyst reads the 2026 assessment, the self-check inflation, the
// rectification summary, the draws and a round's chain with the API's
// numbers, sees no action button, and a POST forged from the analyst's
// session is refused.
func TestAnalystReadsSupervisionAsTheAPIHasIt(t *testing.T) {
	t.Parallel()
	withDemo(t, func(t *testing.T, s demoServer) {
		addSelfCheck(t, s)
		ctx := testserver.KeyCtx(s.keys.Analyst)
		sup := civindexv1.NewSupervisionServiceClient(s.Conn)
		as, err := sup.GetAssessment(ctx, &civindexv1.GetAssessmentRequest{Year: 2026})
		if err != nil || len(as.GetUnits()) == 0 {
			t.Fatalf("assessment: %v %v", as, err)
		}
		b := webtest.New(t, webtest.Window(1440, 900))
		signIn(b, s.BaseURL, s.keys.Analyst, "/console/supervision")
		b.Run(chromedp.WaitVisible("#table-assessment", chromedp.ByID))
		got := rows(b, "#table-assessment")
		if len(got) != len(as.GetUnits()) {
			t.Fatalf("assessment shows %d units, API %d", len(got), len(as.GetUnits()))
		}
		for i, u := range as.GetUnits() {
			row := got[i]
			if row[0] != strconv.Itoa(int(u.GetRank())) || row[1] != u.GetUnit() || !near(parse(row[2]), u.GetTotal()) {
				t.Errorf("row %d = %v, API rank %d %s total %v", i, row[:3], u.GetRank(), u.GetUnit(), u.GetTotal())
			}
			for j, c := range u.GetComponents() {
				if !near(parse(row[3+2*j]), c.GetValue()) || !near(parse(row[4+2*j]), c.GetPoints()) {
					t.Errorf("%s %s = %v %v, API %v %v", u.GetUnit(), c.GetComponent(), row[3+2*j], row[4+2*j], c.GetValue(), c.GetPoints())
				}
			}
		}
		var formula string
		b.Run(chromedp.Evaluate(`document.getElementById("formula").textContent`, &formula))
		if formula != as.GetFormula() {
			t.Errorf("formula on the page %q, API %q", formula, as.GetFormula())
		}
		axeClean(t, b, "assessment")
		b.Screenshot("sv-assessment")

		// The download is the API's export, formula included.
		c := newClient(t, s.BaseURL)
		c.signIn(s.keys.Analyst)
		ex, err := sup.ExportAssessment(ctx, &civindexv1.ExportAssessmentRequest{Year: 2026, Format: civindexv1.ExportFormat_EXPORT_FORMAT_CSV})
		if err != nil {
			t.Fatal(err)
		}
		var csvURL string
		b.Run(chromedp.Evaluate(`document.querySelector(".downloads a").getAttribute("href")`, &csvURL))
		if r := c.do("GET", csvURL, nil); r.status != 200 || r.body != string(ex.GetContent()) {
			t.Errorf("CSV %s: %d, same as ExportAssessment: %v", csvURL, r.status, r.body == string(ex.GetContent()))
		}

		// Self-check inflation.
		loc, _ := time.LoadLocation("Asia/Shanghai")
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
		infl, err := sup.GetSelfCheckInflation(ctx, &civindexv1.GetSelfCheckInflationRequest{
			StartTime: timestamppb.New(start), EndTime: timestamppb.New(start.AddDate(1, 0, 0))})
		if err != nil || len(infl.GetInflation()) == 0 {
			t.Fatalf("inflation: %v %v", infl, err)
		}
		b.Follow(`a[href="/console/supervision/inflation"]`)
		b.Run(chromedp.WaitVisible("#chart-inflation svg", chromedp.ByQuery))
		got = rows(b, "#table-inflation")
		var marked []bool
		b.Run(chromedp.Evaluate(`Array.from(document.querySelectorAll("#table-inflation tbody tr")).map(function(tr){return tr.classList.contains("inflated")})`, &marked))
		if len(got) != len(infl.GetInflation()) {
			t.Fatalf("inflation shows %d rows, API %d", len(got), len(infl.GetInflation()))
		}
		inflated := 0
		for i, in := range infl.GetInflation() {
			row := got[i]
			if row[0] != in.GetUnit() || row[2] != strconv.Itoa(int(in.GetN())) || !near(parse(row[5]), in.GetMeanDifference()) ||
				!near(parse(row[6]), in.GetCi().GetLow()) || !near(parse(row[7]), in.GetCi().GetHigh()) || marked[i] != in.GetInflated() {
				t.Errorf("inflation row %d = %v (flagged %v), API %v", i, row, marked[i], in)
			}
			if in.GetInflated() {
				inflated++
			}
		}
		var opt struct {
			Series []struct {
				Data []any `json:"data"`
			} `json:"series"`
		}
		b.Run(chromedp.Evaluate(`echarts.getInstanceByDom(document.getElementById("chart-inflation")).getOption()`, &opt))
		if len(opt.Series) != 3 || len(opt.Series[0].Data) != len(infl.GetInflation()) || len(opt.Series[2].Data) != inflated {
			t.Errorf("chart series %+v", opt.Series)
		} else {
			for i, in := range infl.GetInflation() {
				bar := opt.Series[0].Data[i].([]any)
				if !near(bar[0].(float64), in.GetCi().GetLow()) || !near(bar[1].(float64), in.GetCi().GetHigh()) {
					t.Errorf("chart interval %d %v, API %v", i, bar, in.GetCi())
				}
			}
		}
		axeClean(t, b, "inflation")
		b.Screenshot("sv-inflation")

		// Rectification: the analyst reads, and has no button.
		b.Follow(`a[href="/console/supervision/rectifications"]`)
		b.Run(chromedp.WaitVisible("#table-summary", chromedp.ByID))
		sum, err := sup.GetRectificationSummary(ctx, &civindexv1.GetRectificationSummaryRequest{})
		if err != nil {
			t.Fatal(err)
		}
		got = rows(b, "#table-summary")
		if len(got) != len(sum.GetUnits()) {
			t.Fatalf("summary shows %d units, API %d", len(got), len(sum.GetUnits()))
		}
		for i, u := range sum.GetUnits() {
			if got[i][0] != u.GetUnit() || got[i][1] != strconv.Itoa(int(u.GetTotal())) || got[i][6] != strconv.Itoa(int(u.GetOverdue())) ||
				!near(parse(got[i][7]), u.GetCompletionRate()) {
				t.Errorf("summary row %v, API %v", got[i], u)
			}
		}
		if n := count(b, "form.report, .do-report"); n != 0 {
			t.Errorf("the analyst is offered %d report buttons", n)
		}
		axeClean(t, b, "rectifications")
		b.Screenshot("sv-rectifications-analyst")
		tasks, err := sup.ListRectificationTasks(ctx, &civindexv1.ListRectificationTasksRequest{
			State: civindexv1.RectificationState_RECTIFICATION_STATE_OPEN, PageSize: 1})
		if err != nil || len(tasks.GetTasks()) == 0 {
			t.Fatalf("open tasks: %v %v", tasks, err)
		}
		task := tasks.GetTasks()[0]
		var status int
		b.Run(chromedp.Evaluate(`fetch("/console/supervision/rectifications/`+task.GetId()+`/report", {method:"POST",
			body:new URLSearchParams({csrf:document.querySelector("input[name=csrf]").value, note:"伪造"})}).then(function(r){return r.status})`,
			&status, func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
		if status != 403 {
			t.Errorf("forged report from the analyst's session: %d", status)
		}
		after, err := sup.ListRectificationTasks(testserver.KeyCtx(s.keys.Admin), &civindexv1.ListRectificationTasksRequest{
			Unit: task.GetUnit(), State: civindexv1.RectificationState_RECTIFICATION_STATE_REPORTED, PageSize: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range after.GetTasks() {
			if x.GetId() == task.GetId() {
				t.Errorf("the forged POST reported task %s", task.GetId())
			}
		}

		// Draws: the list, a draw's page with its sample and the command
		// to check it, and the exported document.
		draws, err := sup.ListDraws(ctx, &civindexv1.ListDrawsRequest{})
		if err != nil || len(draws.GetDraws()) != 1 {
			t.Fatalf("draws: %v %v", draws, err)
		}
		dr := draws.GetDraws()[0]
		b.Follow(`a[href="/console/supervision/draws"]`)
		b.Run(chromedp.WaitVisible("#table-draws", chromedp.ByID))
		axeClean(t, b, "draws")
		b.Screenshot("sv-draws")
		var cmd string
		b.Follow("#table-draws tbody a")
		b.Run(chromedp.WaitVisible("#verify-cmd", chromedp.ByID),
			chromedp.Text("#verify-cmd", &cmd, chromedp.ByID))
		if !strings.Contains(cmd, "wenming verify draw --file ") || !strings.Contains(cmd, "--commitment "+dr.GetCommitment()) ||
			!strings.Contains(cmd, "--frame-sha256 "+dr.GetFrameSha256()) {
			t.Errorf("verify command %q", cmd)
		}
		if n := count(b, "#table-sample tbody tr"); n != len(dr.GetSample()) {
			t.Errorf("sample shows %d sites, API %d", n, len(dr.GetSample()))
		}
		axeClean(t, b, "draw")
		b.Screenshot("sv-draw")
		doc, err := sup.ExportDraw(ctx, &civindexv1.ExportDrawRequest{Id: dr.GetId()})
		if err != nil {
			t.Fatal(err)
		}
		if r := c.do("GET", "/console/supervision/draw-documents/"+dr.GetId(), nil); r.status != 200 || r.body != doc.GetJson() ||
			!strings.Contains(r.header.Get("Content-Disposition"), doc.GetFilename()) {
			t.Errorf("draw export: %d %q, same as ExportDraw: %v", r.status, r.header.Get("Content-Disposition"), r.body == doc.GetJson())
		}

		// The round shows its chain head; 校验 recomputes it.
		ri, err := civindexv1.NewIndexServiceClient(s.Conn).GetRoundIndex(ctx, &civindexv1.GetRoundIndexRequest{RoundId: s.keys.RoundID})
		if err != nil {
			t.Fatal(err)
		}
		var head, verdict string
		b.Run(chromedp.Navigate(s.BaseURL+"/console/index/rounds/"+s.keys.RoundID+"/report"),
			chromedp.WaitVisible("#chain-head", chromedp.ByID), chromedp.Text("#chain-head", &head, chromedp.ByID))
		if head != ri.GetChainHead() || head == "" {
			t.Errorf("report's chain head %q, API %q", head, ri.GetChainHead())
		}
		b.Screenshot("sv-report-chain")
		b.Run(chromedp.Navigate(s.BaseURL+"/console/index/rounds/"+s.keys.RoundID), chromedp.WaitVisible("#verify-chain", chromedp.ByID),
			chromedp.ScrollIntoView("#chain", chromedp.ByID))
		b.Screenshot("sv-round-chain")
		b.Run(chromedp.Click("#verify-chain", chromedp.ByID), chromedp.WaitVisible("#chain-verdict", chromedp.ByID),
			chromedp.Text("#chain-verdict", &verdict, chromedp.ByID))
		if !strings.Contains(verdict, "校验通过") {
			t.Errorf("chain verdict %q", verdict)
		}
		axeClean(t, b, "chain")
		b.Screenshot("sv-chain")
		for _, e := range b.Errors() {
			if !strings.Contains(e, "403") { // the forged POST's refusal
				t.Errorf("page error: %s", e)
			}
		}
	})
}

// officerUnitWithOpenTasks makes the demo officer's department the unit
// of a site with open rectification tasks (the demo's own 市机关事务管理局
// may have none left open once the second quarter's visits close them),
// through the admin's SetUnit, and returns that unit.
func officerUnitWithOpenTasks(t *testing.T, s demoServer) string {
	t.Helper()
	admin := testserver.KeyCtx(s.keys.Admin)
	sup := civindexv1.NewSupervisionServiceClient(s.Conn)
	open, err := sup.ListRectificationTasks(admin, &civindexv1.ListRectificationTasksRequest{
		State: civindexv1.RectificationState_RECTIFICATION_STATE_OPEN, PageSize: 500})
	if err != nil || len(open.GetTasks()) == 0 {
		t.Fatalf("open tasks: %v %v", open, err)
	}
	counts := map[string]int{}
	for _, x := range open.GetTasks() {
		counts[x.GetUnit()]++
	}
	if counts["市机关事务管理局"] > 0 {
		return "市机关事务管理局"
	}
	unit := open.GetTasks()[0].GetUnit()
	units, err := sup.ListUnits(admin, &civindexv1.ListUnitsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units.GetUnits() {
		if u.GetDepartmentId() == s.keys.OfficerDept {
			u.DepartmentId = ""
			if _, err := sup.SetUnit(admin, &civindexv1.SetUnitRequest{Unit: u}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := sup.SetUnit(admin, &civindexv1.SetUnitRequest{Unit: &civindexv1.Unit{Name: unit, DepartmentId: s.keys.OfficerDept}}); err != nil {
		t.Fatal(err)
	}
	return unit
}

// The demo officer sees only the unit's tasks and reports one rectified
// with the button: the API shows it REPORTED, not closed, and the
// inspector's page lists it for re-inspection.
func TestOfficerReportsARectificationThroughTheButton(t *testing.T) {
	t.Parallel()
	withDemo(t, func(t *testing.T, s demoServer) {
		admin := testserver.KeyCtx(s.keys.Admin)
		sup := civindexv1.NewSupervisionServiceClient(s.Conn)
		unit := officerUnitWithOpenTasks(t, s)
		b := webtest.New(t, webtest.Window(1440, 900))
		signIn(b, s.BaseURL, s.keys.Officer, "/console/supervision")
		b.Run(chromedp.WaitVisible("#own-total", chromedp.ByID))
		own, err := sup.GetAssessment(testserver.KeyCtx(s.keys.Officer), &civindexv1.GetAssessmentRequest{Year: 2026})
		if err != nil || len(own.GetUnits()) != 1 {
			t.Fatalf("officer's assessment: %v %v", own, err)
		}
		var total string
		b.Run(chromedp.Text("#own-total", &total, chromedp.ByID))
		if total != strconv.FormatFloat(own.GetUnits()[0].GetTotal(), 'f', 2, 64) || count(b, "#table-assessment tbody tr") != 1 {
			t.Errorf("officer sees total %q and %d lines, API %v", total, count(b, "#table-assessment tbody tr"), own.GetUnits()[0].GetTotal())
		}
		axeClean(t, b, "officer assessment")
		b.Screenshot("sv-assessment-officer")

		b.Follow(`a[href="/console/supervision/rectifications"]`)
		b.Run(chromedp.WaitVisible("h1", chromedp.ByQuery))
		var units []string
		b.Run(chromedp.Evaluate(`Array.from(document.querySelectorAll("#tasks tbody tr td:nth-child(2)")).map(function(td){return td.textContent})`, &units))
		if len(units) == 0 {
			t.Fatal("the officer's unit has no task to report")
		}
		for _, u := range units {
			if u != unit {
				t.Errorf("the officer sees a task of %q", u)
			}
		}
		var id string
		b.Run(chromedp.Evaluate(`(document.querySelector("#tasks tbody tr form.report")||{closest:function(){return {dataset:{}}}}).closest("tr").dataset.task||""`, &id))
		if id == "" {
			t.Fatal("no open task offers 报告已整改")
		}
		axeClean(t, b, "officer rectifications")
		b.Screenshot("sv-rectifications-officer")
		row := `tr[data-task="` + id + `"] `
		b.Run(chromedp.SendKeys(row+`input[name=note]`, "已更换破损垃圾桶并补齐标识。", chromedp.ByQuery),
			chromedp.Click(row+`button.do-report`, chromedp.ByQuery),
			chromedp.WaitVisible(".notice", chromedp.ByQuery))
		if n := count(b, row+"form.report"); n != 0 {
			t.Errorf("a reported task still offers the button")
		}
		b.Screenshot("sv-rectifications-reported")
		noErrors(t, b)

		got, err := sup.ListRectificationTasks(admin, &civindexv1.ListRectificationTasksRequest{Unit: unit, PageSize: 500})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, x := range got.GetTasks() {
			if x.GetId() != id {
				continue
			}
			found = true
			if x.GetState() != civindexv1.RectificationState_RECTIFICATION_STATE_REPORTED || x.GetCloseTime() != nil ||
				x.GetReportNote() != "已更换破损垃圾桶并补齐标识。" {
				t.Errorf("after the button: %v", x)
			}
		}
		if !found {
			t.Fatalf("task %s not found", id)
		}

		// The inspector sees it among the tasks to re-inspect, with no
		// button.
		bi := webtest.New(t, webtest.Window(1440, 900))
		signIn(bi, s.BaseURL, s.keys.Inspector, "/console/supervision")
		bi.Run(chromedp.WaitVisible("#tasks", chromedp.ByID))
		if n := count(bi, `tr[data-task="`+id+`"]`); n != 1 {
			t.Errorf("the inspector's list has the reported task %d times", n)
		}
		if n := count(bi, "form.report"); n != 0 {
			t.Errorf("the inspector is offered %d buttons", n)
		}
		axeClean(t, bi, "inspector rectifications")
		bi.Screenshot("sv-rectifications-inspector")
		noErrors(t, bi)
	})
}

// The report form's edges: a retried form (same request id) reports once,
// a closed task is refused with the server's reason, a too-long note is
// refused naming the field, and an officer cannot open the analysts'
// pages.
func TestReportRectifiedRefusalsAndRetries(t *testing.T) {
	t.Parallel()
	withDemo(t, func(t *testing.T, s demoServer) {
		unit := officerUnitWithOpenTasks(t, s)
		admin := testserver.KeyCtx(s.keys.Admin)
		sup := civindexv1.NewSupervisionServiceClient(s.Conn)
		list, err := sup.ListRectificationTasks(admin, &civindexv1.ListRectificationTasksRequest{Unit: unit, PageSize: 500})
		if err != nil {
			t.Fatal(err)
		}
		var open, closed *civindexv1.RectificationTask
		for _, x := range list.GetTasks() {
			switch x.GetState() {
			case civindexv1.RectificationState_RECTIFICATION_STATE_OPEN:
				open = x
			case civindexv1.RectificationState_RECTIFICATION_STATE_CLOSED:
				closed = x
			}
		}
		if open == nil || closed == nil {
			t.Fatalf("%s needs an open and a closed task: %v", unit, list.GetTasks())
		}
		c := newClient(t, s.BaseURL)
		c.signIn(s.keys.Officer)
		csrf := c.csrf()
		post := func(id, note, rid string) reply {
			return c.do("POST", "/console/supervision/rectifications/"+id+"/report",
				url.Values{"csrf": {csrf}, "note": {note}, "request_id": {rid}})
		}
		state := func(id string) civindexv1.RectificationState {
			got, err := sup.ListRectificationTasks(admin, &civindexv1.ListRectificationTasksRequest{Unit: unit, PageSize: 500})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range got.GetTasks() {
				if x.GetId() == id {
					return x.GetState()
				}
			}
			return 0
		}

		if r := post(open.GetId(), strings.Repeat("长", 501), "r-long"); r.status != 400 || !strings.Contains(r.body, "note") {
			t.Errorf("501-character note: %d, names note: %v", r.status, strings.Contains(r.body, "note"))
		}
		if st := state(open.GetId()); st != civindexv1.RectificationState_RECTIFICATION_STATE_OPEN {
			t.Errorf("after the refused note the task is %v", st)
		}
		for i := range 2 { // the same form sent twice
			if r := post(open.GetId(), "已整改", "r-retry"); r.status != 303 || !strings.Contains(r.location, "done=1") {
				t.Errorf("report %d: %d %q", i, r.status, r.location)
			}
		}
		if st := state(open.GetId()); st != civindexv1.RectificationState_RECTIFICATION_STATE_REPORTED {
			t.Errorf("after the report the task is %v", st)
		}
		r := post(closed.GetId(), "已整改", "r-closed")
		if r.status != 400 && r.status != 409 || !strings.Contains(r.body, "RECTIFICATION_STATE_FORBIDS") || !strings.Contains(r.body, "操作未完成") {
			t.Errorf("reporting a closed task: %d\n%s", r.status, r.body)
		}
		if st := state(closed.GetId()); st != civindexv1.RectificationState_RECTIFICATION_STATE_CLOSED {
			t.Errorf("the closed task is now %v", st)
		}
		for _, p := range []string{"/console/supervision/inflation", "/console/supervision/draws"} {
			if r := c.do("GET", p, nil); r.status != 403 {
				t.Errorf("officer opens %s: %d", p, r.status)
			}
		}
		if r := c.do("POST", "/console/supervision/rectifications/"+open.GetId()+"/report", url.Values{"note": {"无令牌"}}); r.status != 403 {
			t.Errorf("a report without the CSRF token: %d", r.status)
		}
	})
}
