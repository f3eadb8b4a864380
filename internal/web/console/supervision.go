package console

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/web"
)

// The supervision view (督导考核): the annual assessment, self-check
// inflation, rectification tasks, spot-check draws and the rounds' hash
// chains, read through wenming.civindex.v1.SupervisionService with the
// signed-in person's own rights (docs/supervision.md has the access table).

const svBase = Prefix + "/supervision"

func (h *handler) supervisionRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+svBase, h.staff(h.svHome))
	mux.HandleFunc("GET "+svBase+"/assessment", h.staff(h.svAssessment))
	mux.HandleFunc("GET "+svBase+"/assessment/tables/{file}", h.staff(h.svAssessmentExport))
	mux.HandleFunc("GET "+svBase+"/inflation", h.staff(h.svInflation))
	mux.HandleFunc("GET "+svBase+"/inflation/tables/{file}", h.staff(h.svInflationTable))
	mux.HandleFunc("GET "+svBase+"/rectifications", h.staff(h.svRectifications))
	mux.HandleFunc("GET "+svBase+"/rectifications/tables/{file}", h.staff(h.svRectTable))
	mux.HandleFunc("POST "+svBase+"/rectifications/{id}/report", h.staff(h.svReport))
	mux.HandleFunc("GET "+svBase+"/draws", h.staff(h.svDraws))
	mux.HandleFunc("GET "+svBase+"/draws/tables/{file}", h.staff(h.svDrawsTable))
	mux.HandleFunc("GET "+svBase+"/draws/{id}", h.staff(h.svDraw))
	mux.HandleFunc("GET "+svBase+"/draws/{id}/tables/{file}", h.staff(h.svDrawTable))
	mux.HandleFunc("GET "+svBase+"/draw-documents/{id}", h.staff(h.svDrawExport))
	mux.HandleFunc("GET "+Prefix+"/index/rounds/{id}/chain", h.staff(h.svChain))
}

// svNav is the supervision sub-menu for a role: only what its RPCs allow.
func svNav(role string) []navItem {
	switch role {
	case "admin", "analyst":
		return []navItem{{"年度考核", svBase + "/assessment"}, {"自查虚报", svBase + "/inflation"},
			{"整改任务", svBase + "/rectifications"}, {"抽查抽签", svBase + "/draws"}}
	case "officer":
		return []navItem{{"年度考核", svBase + "/assessment"}, {"整改任务", svBase + "/rectifications"}}
	case "inspector":
		return []navItem{{"待复查任务", svBase + "/rectifications"}}
	}
	return nil
}

func (h *handler) svHome(w http.ResponseWriter, r *http.Request, s *staff) {
	items := svNav(s.Role)
	if len(items) == 0 {
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, items[0].Path, http.StatusSeeOther)
}

// svPage wraps a supervision page's data with its sub-menu.
type svPage struct {
	Sub  []navItem
	Here string
	Data any
}

func (h *handler) svRender(w http.ResponseWriter, r *http.Request, s *staff, status int, name, title string, data any) {
	h.render(w, r, s, status, name, title, svPage{Sub: svNav(s.Role), Here: r.URL.Path, Data: data})
}

func (h *handler) sv() civindexv1.SupervisionServiceClient {
	return civindexv1.NewSupervisionServiceClient(h.env.Conn)
}

// compNames are the assessment components' Chinese names, in the API's
// order (docs/supervision.md).
var compNames = map[string]string{"civility": "文明指数", "satisfaction": "服务满意度",
	"cases_in_time": "差评按时办结率", "rectification": "整改按时完成率", "quiz": "知识竞赛参与率"}

var compOrder = []string{"civility", "satisfaction", "cases_in_time", "rectification", "quiz"}

// compDigits is how many decimals a component's value shows: an index
// out of 100, a satisfaction level 1–5, rates 0–1, a head count.
var compDigits = map[string]int{"civility": 2, "satisfaction": 2, "cases_in_time": 3, "rectification": 3, "quiz": 0}

// ---- annual assessment ----

type assessmentData struct {
	Year, Version int32
	Years         []int32
	Scorecard     *civindexv1.Scorecard
	Formula       string
	Table         table
	Units         []*civindexv1.UnitAssessment
	// CompHeads head the components' column pairs; ColClass styles each
	// column (the total, a component's value, its points).
	CompHeads []ownComp
	ColClass  []string
	// Own is the officer's unit line, shown as a card with each
	// component's detail.
	Own *ownView
}

type ownView struct {
	Unit        string
	Rank        int32
	Total       float64
	RaiseName   string
	RaisePoints float64
	Comps       []ownComp
}

type ownComp struct {
	Name                  string
	Weight, Points, Value float64
	Detail                string
}

// svYears lists the years with a published scorecard, newest first.
func (h *handler) svYears(r *http.Request, s *staff) []int32 {
	resp, err := h.sv().ListScorecards(web.CallContext(r, s.token), &civindexv1.ListScorecardsRequest{})
	if err != nil {
		return nil
	}
	seen := map[int32]bool{}
	var out []int32
	for _, sc := range resp.GetScorecards() {
		if sc.GetState() == civindexv1.ScorecardState_SCORECARD_STATE_PUBLISHED && !seen[sc.GetYear()] {
			seen[sc.GetYear()] = true
			out = append(out, sc.GetYear())
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] > out[j] })
	return out
}

// svYear is the year a page asks for (?year=), else the newest year with a
// published scorecard, else this year.
func (h *handler) svYear(r *http.Request, years []int32) int32 {
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y > 0 && y < 10000 {
		return int32(y)
	}
	if len(years) > 0 {
		return years[0]
	}
	return int32(h.env.Now().In(h.env.Location).Year())
}

func (h *handler) loadAssessment(r *http.Request, s *staff) (*assessmentData, error) {
	years := h.svYears(r, s)
	d := &assessmentData{Years: years, Year: h.svYear(r, years)}
	if v, err := strconv.Atoi(r.URL.Query().Get("version")); err == nil && v > 0 {
		d.Version = int32(v)
	}
	resp, err := h.sv().GetAssessment(web.CallContext(r, s.token), &civindexv1.GetAssessmentRequest{Year: d.Year, Version: d.Version})
	if err != nil {
		return nil, err
	}
	d.Scorecard, d.Formula, d.Units = resp.GetScorecard(), resp.GetFormula(), resp.GetUnits()
	q := fmt.Sprintf("?year=%d&version=%d", d.Year, d.Scorecard.GetVersion())
	t := table{Name: fmt.Sprintf("%d年度考核", d.Year), ID: "assessment", Caption: "考核结果", Base: svBase + "/assessment", Query: q,
		Cols: []column{{Label: "名次", Num: true}, {Label: "单位"}, {Label: "总分", Num: true}}}
	for _, c := range compOrder {
		t.Cols = append(t.Cols, column{Label: compNames[c] + " 值", Num: true}, column{Label: compNames[c] + " 得分", Num: true})
	}
	t.Cols = append(t.Cols, column{Label: "最能提分的一项"})
	w := d.Scorecard.GetWeights()
	weights := map[string]float64{"civility": w.GetCivility(), "satisfaction": w.GetSatisfaction(),
		"cases_in_time": w.GetCasesInTime(), "rectification": w.GetRectification(), "quiz": w.GetQuiz()}
	d.ColClass = []string{"", "", "total"}
	for _, c := range compOrder {
		d.CompHeads = append(d.CompHeads, ownComp{Name: compNames[c], Weight: weights[c]})
		d.ColClass = append(d.ColClass, "val", "pts")
	}
	d.ColClass = append(d.ColClass, "")
	for _, u := range d.Units {
		row := []cell{count(u.GetRank()), text(u.GetUnit()), num(u.GetTotal(), 2)}
		byID := map[string]*civindexv1.ComponentScore{}
		for _, c := range u.GetComponents() {
			byID[c.GetComponent()] = c
		}
		for _, c := range compOrder {
			cs := byID[c]
			row = append(row, num(cs.GetValue(), compDigits[c]), num(cs.GetPoints(), 2))
		}
		raise := "—"
		if u.GetRaisePoints() > 0 {
			raise = compNames[u.GetRaiseComponent()] + " +" + fixed(u.GetRaisePoints(), 2)
		}
		row = append(row, text(raise))
		t.Rows = append(t.Rows, row)
	}
	d.Table = t
	if s.Role == "officer" && len(d.Units) == 1 {
		u := d.Units[0]
		d.Own = &ownView{Unit: u.GetUnit(), Rank: u.GetRank(), Total: u.GetTotal(),
			RaiseName: compNames[u.GetRaiseComponent()], RaisePoints: u.GetRaisePoints()}
		for _, c := range u.GetComponents() {
			d.Own.Comps = append(d.Own.Comps, ownComp{Name: compNames[c.GetComponent()], Weight: c.GetWeight(),
				Points: c.GetPoints(), Value: c.GetValue(), Detail: c.GetDetail()})
		}
	}
	return d, nil
}

func (h *handler) svAssessment(w http.ResponseWriter, r *http.Request, s *staff) {
	d, err := h.loadAssessment(r, s)
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	h.svRender(w, r, s, http.StatusOK, "supervision_assessment", fmt.Sprintf("%d 年度考核", d.Year), d)
}

// svAssessmentExport sends the API's own export (ExportAssessment), which
// carries the formula after the table, so the file a department gets is
// the one the API documents.
func (h *handler) svAssessmentExport(w http.ResponseWriter, r *http.Request, s *staff) {
	id, ext, _ := strings.Cut(r.PathValue("file"), ".")
	format := map[string]civindexv1.ExportFormat{"csv": civindexv1.ExportFormat_EXPORT_FORMAT_CSV,
		"xlsx": civindexv1.ExportFormat_EXPORT_FORMAT_XLSX}[ext]
	if id != "assessment" || format == 0 {
		http.NotFound(w, r)
		return
	}
	years := h.svYears(r, s)
	req := &civindexv1.ExportAssessmentRequest{Year: h.svYear(r, years), Format: format}
	if v, err := strconv.Atoi(r.URL.Query().Get("version")); err == nil && v > 0 {
		req.Version = int32(v)
	}
	resp, err := h.sv().ExportAssessment(web.CallContext(r, s.token), req)
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	download(w, resp.GetFilename(), resp.GetContentType(), resp.GetContent())
}

// ---- self-check inflation ----

type inflationData struct {
	Year     int32
	Years    []int32
	Table    markedTable
	Chart    any
	Inflated int
}

// markedTable is a table whose rows may carry a class (overdue, inflated).
type markedTable struct {
	table
	Marks []string
}

// Mark is row i's class.
func (t markedTable) Mark(i int) string {
	if i < len(t.Marks) {
		return t.Marks[i]
	}
	return ""
}

func (h *handler) loadInflation(r *http.Request, s *staff) (*inflationData, error) {
	years := h.svYears(r, s)
	d := &inflationData{Years: years, Year: h.svYear(r, years)}
	start := time.Date(int(d.Year), 1, 1, 0, 0, 0, 0, h.env.Location)
	resp, err := h.sv().GetSelfCheckInflation(web.CallContext(r, s.token), &civindexv1.GetSelfCheckInflationRequest{
		StartTime: timestamppb.New(start), EndTime: timestamppb.New(start.AddDate(1, 0, 0))})
	if err != nil {
		return nil, err
	}
	t := markedTable{table: table{Name: fmt.Sprintf("%d年自查虚报", d.Year), ID: "inflation", Caption: "自查与检查的差异（自查 − 检查）",
		Base: svBase + "/inflation", Query: fmt.Sprintf("?year=%d", d.Year),
		Cols: []column{{Label: "单位"}, {Label: "维度"}, {Label: "站点数 n", Num: true}, {Label: "自查均分", Num: true},
			{Label: "检查均分", Num: true}, {Label: "平均差值", Num: true}, {Label: "95% 下限", Num: true},
			{Label: "95% 上限", Num: true}, {Label: "显著"}, {Label: "虚报"}}}}
	var cats []string
	var mean, low, high []float64
	var flag []bool
	for _, in := range resp.GetInflation() {
		dim := in.GetDimensionName()
		if in.GetDimensionId() == "" {
			dim = "站点总分"
		}
		sig, infl, mark := "否", "否", ""
		if in.GetSignificant() {
			sig = "是"
		}
		if in.GetInflated() {
			infl, mark = "虚报", "inflated"
			d.Inflated++
		}
		t.Rows = append(t.Rows, []cell{text(in.GetUnit()), text(dim), count(in.GetN()), num(in.GetSelfMean(), 2),
			num(in.GetInspectedMean(), 2), num(in.GetMeanDifference(), 2), num(in.GetCi().GetLow(), 2),
			num(in.GetCi().GetHigh(), 2), text(sig), text(infl)})
		t.Marks = append(t.Marks, mark)
		cats = append(cats, in.GetUnit()+" · "+dim)
		mean = append(mean, in.GetMeanDifference())
		low = append(low, in.GetCi().GetLow())
		high = append(high, in.GetCi().GetHigh())
		flag = append(flag, in.GetInflated())
	}
	d.Table = t
	if len(cats) > 0 {
		d.Chart = chartAttr(map[string]any{"kind": "diffs", "categories": cats, "mean": mean, "low": low, "high": high, "inflated": flag})
	}
	return d, nil
}

func (h *handler) svInflation(w http.ResponseWriter, r *http.Request, s *staff) {
	d, err := h.loadInflation(r, s)
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	h.svRender(w, r, s, http.StatusOK, "supervision_inflation", fmt.Sprintf("%d 年自查虚报", d.Year), d)
}

func (h *handler) svInflationTable(w http.ResponseWriter, r *http.Request, s *staff) {
	h.download(w, r, s, func() ([]table, error) {
		d, err := h.loadInflation(r, s)
		if err != nil {
			return nil, err
		}
		return []table{d.Table.table}, nil
	})
}

// ---- rectification ----

var taskStateNames = map[civindexv1.RectificationState]string{
	civindexv1.RectificationState_RECTIFICATION_STATE_OPEN:     "待整改",
	civindexv1.RectificationState_RECTIFICATION_STATE_REPORTED: "已报整改，待复查",
	civindexv1.RectificationState_RECTIFICATION_STATE_CLOSED:   "复查通过，已关闭",
}

type taskRow struct {
	Task              *civindexv1.RectificationTask
	Site, Item, Dim   string
	State             string
	CanReport         bool
	RequestID         string
	Overdue, Reported bool
	// SiteKnown and ItemKnown: the names were found (an officer may not
	// list sites or frameworks, so its page shows the ids).
	SiteKnown, ItemKnown bool
}

type rectData struct {
	Summary   table
	Tasks     []taskRow
	TaskTable markedTable
	All       bool
	Truncated bool
	Unit      string
	Done      bool
	Refused   *web.Problem
	Inspector bool
	// CanAct: the role may report tasks (officers, admins), so the list
	// has an action column.
	CanAct  bool
	Open    int
	Overdue int
}

const taskPageSize = 500

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// svSiteNames names the sites for a draw's sample (analysts and admins,
// who read draws, may list sites).
func (h *handler) svSiteNames(r *http.Request, s *staff) map[string]string {
	sites := map[string]string{}
	resp, err := civindexv1.NewSiteServiceClient(h.env.Conn).ListSites(web.CallContext(r, s.token), &civindexv1.ListSitesRequest{PageSize: 500})
	if err == nil {
		for _, st := range resp.GetSites() {
			sites[st.GetId()] = st.GetName()
		}
	}
	return sites
}

func (h *handler) loadRect(r *http.Request, s *staff) (*rectData, error) {
	ctx := web.CallContext(r, s.token)
	d := &rectData{All: r.URL.Query().Get("all") == "1", Done: r.URL.Query().Get("done") == "1", Inspector: s.Role == "inspector",
		CanAct: s.Role == "officer" || s.Role == "admin"}
	q := ""
	if d.All {
		q = "?all=1"
	}
	d.Summary = table{Name: "整改完成情况", ID: "summary", Caption: "各单位整改完成情况", Base: svBase + "/rectifications", Query: q,
		Cols: []column{{Label: "单位"}, {Label: "任务数", Num: true}, {Label: "待整改", Num: true}, {Label: "待复查", Num: true},
			{Label: "已关闭", Num: true}, {Label: "按时关闭", Num: true}, {Label: "超期未关闭", Num: true},
			{Label: "完成率", Num: true}, {Label: "按时完成率", Num: true}}}
	if !d.Inspector {
		sum, err := h.sv().GetRectificationSummary(ctx, &civindexv1.GetRectificationSummaryRequest{})
		if err != nil {
			return nil, err
		}
		for _, u := range sum.GetUnits() {
			d.Summary.Rows = append(d.Summary.Rows, []cell{text(u.GetUnit()), count(u.GetTotal()), count(u.GetOpen()),
				count(u.GetReported()), count(u.GetClosed()), count(u.GetClosedInTime()), count(u.GetOverdue()),
				num(u.GetCompletionRate(), 3), num(u.GetInTimeRate(), 3)})
			if s.Role == "officer" {
				d.Unit = u.GetUnit()
			}
		}
	}
	req := &civindexv1.ListRectificationTasksRequest{PageSize: taskPageSize}
	if d.Inspector {
		req.State = civindexv1.RectificationState_RECTIFICATION_STATE_REPORTED
	}
	resp, err := h.sv().ListRectificationTasks(ctx, req)
	if err != nil {
		return nil, err
	}
	d.Truncated = resp.GetNextPageToken() != ""
	for _, t := range resp.GetTasks() {
		closed := t.GetState() == civindexv1.RectificationState_RECTIFICATION_STATE_CLOSED
		if !closed {
			d.Open++
			if t.GetOverdue() {
				d.Overdue++
			}
		}
		if closed && !d.All {
			continue
		}
		tr := taskRow{Task: t, Site: t.GetSiteName(), Item: t.GetItemName(), Dim: t.GetDimensionName(),
			SiteKnown: t.GetSiteName() != "", ItemKnown: t.GetItemName() != ""}
		if !tr.SiteKnown {
			tr.Site = t.GetSiteId()
		}
		if !tr.ItemKnown {
			tr.Item = t.GetItemId()
		}
		tr.State, tr.Overdue = taskStateNames[t.GetState()], t.GetOverdue()
		tr.Reported = t.GetState() == civindexv1.RectificationState_RECTIFICATION_STATE_REPORTED
		// The unit (its officer) or an admin reports an open task; a
		// reported one waits for the re-inspection, a closed one takes no
		// report.
		tr.CanReport = d.CanAct && t.GetState() == civindexv1.RectificationState_RECTIFICATION_STATE_OPEN
		tr.RequestID = newRequestID()
		d.Tasks = append(d.Tasks, tr)
	}
	sort.SliceStable(d.Tasks, func(i, j int) bool {
		a, b := d.Tasks[i], d.Tasks[j]
		if a.Overdue != b.Overdue {
			return a.Overdue
		}
		return a.Task.GetDueTime().AsTime().Before(b.Task.GetDueTime().AsTime())
	})
	tt := markedTable{table: table{Name: "整改任务", ID: "tasks", Caption: "整改任务", Base: svBase + "/rectifications", Query: q,
		Cols: []column{{Label: "站点"}, {Label: "责任单位"}, {Label: "检查项"}, {Label: "维度"}, {Label: "得分", Num: true},
			{Label: "满分", Num: true}, {Label: "状态"}, {Label: "下达"}, {Label: "整改期限"}, {Label: "超期"}, {Label: "整改说明"}}}}
	for _, tr := range d.Tasks {
		t := tr.Task
		over, mark := "否", ""
		if tr.Overdue {
			over, mark = "超期", "overdue"
		}
		tt.Rows = append(tt.Rows, []cell{text(tr.Site), text(t.GetUnit()), text(tr.Item), text(tr.Dim), num(t.GetPoints(), 2),
			num(t.GetMaxPoints(), 2), text(tr.State), text(h.day(t.GetOpenTime())), text(h.when(t.GetDueTime())), text(over), text(t.GetReportNote())})
		tt.Marks = append(tt.Marks, mark)
	}
	d.TaskTable = tt
	return d, nil
}

func (h *handler) when(ts interface{ AsTime() time.Time }) string {
	if ts == nil {
		return "—"
	}
	t := ts.AsTime()
	if t.IsZero() || t.Unix() == 0 {
		return "—"
	}
	return t.In(h.env.Location).Format("2006-01-02 15:04")
}

func (h *handler) svRectifications(w http.ResponseWriter, r *http.Request, s *staff) {
	h.showRect(w, r, s, http.StatusOK, nil)
}

func (h *handler) showRect(w http.ResponseWriter, r *http.Request, s *staff, status int, refused *web.Problem) {
	d, err := h.loadRect(r, s)
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	d.Refused = refused
	title := "整改任务"
	if d.Inspector {
		title = "待复查的整改任务"
	}
	h.svRender(w, r, s, status, "supervision_rect", title, d)
}

func (h *handler) svRectTable(w http.ResponseWriter, r *http.Request, s *staff) {
	h.download(w, r, s, func() ([]table, error) {
		d, err := h.loadRect(r, s)
		if err != nil {
			return nil, err
		}
		return []table{d.Summary, d.TaskTable.table}, nil
	})
}

// svReport reports a task rectified (ReportRectified). The form's
// request_id, minted when the page was drawn, makes a double submit
// harmless. A refusal is shown on the list with the server's reason.
func (h *handler) svReport(w http.ResponseWriter, r *http.Request, s *staff) {
	_, err := h.sv().ReportRectified(web.CallContext(r, s.token), &civindexv1.ReportRectifiedRequest{
		Id: r.PathValue("id"), Note: strings.TrimSpace(r.PostFormValue("note")), RequestId: r.PostFormValue("request_id")})
	if err == nil {
		http.Redirect(w, r, svBase+"/rectifications?done=1", http.StatusSeeOther)
		return
	}
	p := web.ProblemOf(err)
	r.URL.RawQuery = ""
	h.showRect(w, r, s, p.Status, &p)
}

// ---- draws ----

var drawStateNames = map[civindexv1.DrawState]string{civindexv1.DrawState_DRAW_STATE_COMMITTED: "已承诺，待揭晓",
	civindexv1.DrawState_DRAW_STATE_DRAWN: "已揭晓抽取"}
var strataNames = map[civindexv1.DrawStrata]string{civindexv1.DrawStrata_DRAW_STRATA_CATEGORY: "按站点类别",
	civindexv1.DrawStrata_DRAW_STRATA_UNIT: "按责任单位"}

func allocationText(a *civindexv1.DrawAllocation) string {
	if a.GetTotal() > 0 {
		return fmt.Sprintf("按比例，共 %d 个", a.GetTotal())
	}
	var parts []string
	for k, v := range a.GetSizes() {
		parts = append(parts, fmt.Sprintf("%s %d", orDash(stratumName(k)), v))
	}
	sort.Strings(parts)
	return "固定：" + strings.Join(parts, "，")
}

// stratumName names a stratum: a category in Chinese, a unit as it is.
func stratumName(s string) string {
	if v, ok := civindexv1.SiteCategory_value["SITE_CATEGORY_"+s]; ok {
		if n, ok := categoryNames[civindexv1.SiteCategory(v)]; ok {
			return n
		}
	}
	return s
}

func (h *handler) loadDraws(r *http.Request, s *staff) (table, error) {
	resp, err := h.sv().ListDraws(web.CallContext(r, s.token), &civindexv1.ListDrawsRequest{PageSize: 200})
	if err != nil {
		return table{}, err
	}
	t := table{Name: "抽查抽签", ID: "draws", Caption: "抽查抽签", Base: svBase + "/draws",
		Cols: []column{{Label: "抽签"}, {Label: "状态"}, {Label: "分层"}, {Label: "抽中站点", Num: true},
			{Label: "种子承诺 SHA-256"}, {Label: "抽样框 SHA-256"}, {Label: "承诺时间"}, {Label: "揭晓时间"}}}
	for _, dr := range resp.GetDraws() {
		t.Rows = append(t.Rows, []cell{link(dr.GetName(), svBase+"/draws/"+dr.GetId()), text(drawStateNames[dr.GetState()]),
			text(strataNames[dr.GetStrata()]), count(int32(len(dr.GetSample()))), text(dr.GetCommitment()), text(dr.GetFrameSha256()),
			text(h.when(dr.GetCommitTime())), text(h.when(dr.GetRevealTime()))})
	}
	return t, nil
}

func (h *handler) svDraws(w http.ResponseWriter, r *http.Request, s *staff) {
	t, err := h.loadDraws(r, s)
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	h.svRender(w, r, s, http.StatusOK, "supervision_draws", "抽查抽签", t)
}

func (h *handler) svDrawsTable(w http.ResponseWriter, r *http.Request, s *staff) {
	h.download(w, r, s, func() ([]table, error) {
		t, err := h.loadDraws(r, s)
		return []table{t}, err
	})
}

type drawData struct {
	Draw     *civindexv1.Draw
	Drawn    bool
	Sample   table
	Strata   string
	Alloc    string
	State    string
	Filename string
	Command  string
	Round    string
}

func (h *handler) svDraw(w http.ResponseWriter, r *http.Request, s *staff) {
	d, err := h.loadDraw(r, s)
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	h.svRender(w, r, s, http.StatusOK, "supervision_draw", d.Draw.GetName(), d)
}

func (h *handler) svDrawTable(w http.ResponseWriter, r *http.Request, s *staff) {
	h.download(w, r, s, func() ([]table, error) {
		d, err := h.loadDraw(r, s)
		if err != nil {
			return nil, err
		}
		return []table{d.Sample}, nil
	})
}

func (h *handler) loadDraw(r *http.Request, s *staff) (*drawData, error) {
	ctx := web.CallContext(r, s.token)
	resp, err := h.sv().GetDraw(ctx, &civindexv1.GetDrawRequest{Id: r.PathValue("id")})
	if err != nil {
		return nil, err
	}
	dr := resp.GetDraw()
	d := drawData{Draw: dr, Drawn: dr.GetState() == civindexv1.DrawState_DRAW_STATE_DRAWN, Strata: strataNames[dr.GetStrata()],
		Alloc: allocationText(dr.GetAllocation()), State: drawStateNames[dr.GetState()], Filename: "draw-" + dr.GetId() + ".json"}
	if ex, err := h.sv().ExportDraw(ctx, &civindexv1.ExportDrawRequest{Id: dr.GetId()}); err == nil && ex.GetFilename() != "" {
		d.Filename = ex.GetFilename()
	}
	d.Command = fmt.Sprintf("wenming verify draw --file %s \\\n    --commitment %s \\\n    --frame-sha256 %s", d.Filename, dr.GetCommitment(), dr.GetFrameSha256())
	sites := h.svSiteNames(r, s)
	strat := map[string]string{}
	for _, f := range dr.GetFrame() {
		strat[f.GetSiteId()] = f.GetStratum()
	}
	d.Sample = table{Name: dr.GetName() + " 抽中站点", ID: "sample", Caption: "抽中站点", Base: svBase + "/draws/" + dr.GetId(),
		Cols: []column{{Label: "站点"}, {Label: "分层"}, {Label: "站点编号"}}}
	for _, id := range dr.GetSample() {
		n := sites[id]
		if n == "" {
			n = id
		}
		d.Sample.Rows = append(d.Sample.Rows, []cell{text(n), text(stratumName(strat[id])), text(id)})
	}
	if dr.GetRoundId() != "" {
		if rd, err := civindexv1.NewRoundServiceClient(h.env.Conn).GetRound(ctx, &civindexv1.GetRoundRequest{Id: dr.GetRoundId()}); err == nil {
			d.Round = rd.GetRound().GetName()
		}
	}
	return &d, nil
}

// svDrawExport downloads the draw's published document (ExportDraw), the
// file `wenming verify draw --file` checks.
func (h *handler) svDrawExport(w http.ResponseWriter, r *http.Request, s *staff) {
	resp, err := h.sv().ExportDraw(web.CallContext(r, s.token), &civindexv1.ExportDrawRequest{Id: r.PathValue("id")})
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	name := resp.GetFilename()
	if name == "" {
		name = "draw-" + r.PathValue("id") + ".json"
	}
	download(w, name, "application/json; charset=utf-8", []byte(resp.GetJson()))
}

// ---- hash chain ----

type chainData struct {
	Round  *civindexv1.Round
	Result *civindexv1.VerifyChainResponse
	// Published is the head GetRoundIndex returns (printed in the report).
	Published string
	Length    int64
}

// svChain recomputes a round's hash chain (VerifyChain) and shows the
// result; a read, so analysts may run it.
func (h *handler) svChain(w http.ResponseWriter, r *http.Request, s *staff) {
	ctx := web.CallContext(r, s.token)
	id := r.PathValue("id")
	rd, err := civindexv1.NewRoundServiceClient(h.env.Conn).GetRound(ctx, &civindexv1.GetRoundRequest{Id: id})
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	res, err := h.sv().VerifyChain(ctx, &civindexv1.VerifyChainRequest{RoundId: id})
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	d := chainData{Round: rd.GetRound(), Result: res}
	if ri, err := civindexv1.NewIndexServiceClient(h.env.Conn).GetRoundIndex(ctx, &civindexv1.GetRoundIndexRequest{RoundId: id}); err == nil {
		d.Published, d.Length = ri.GetChainHead(), ri.GetChainLength()
	}
	h.render(w, r, s, http.StatusOK, "chain", rd.GetRound().GetName()+" 记录链校验", d)
}
