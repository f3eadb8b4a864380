package console

import (
	"html/template"
	"net/http"
	"net/url"
	"time"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/web"
)

func (h *handler) feedbackRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/feedback", h.staff(h.feedbackPage))
	mux.HandleFunc("GET "+Prefix+"/feedback/tables/{file}", h.staff(h.feedbackTable))
}

var granularities = map[string]feedbackv1.Granularity{
	"day": feedbackv1.Granularity_GRANULARITY_DAY, "week": feedbackv1.Granularity_GRANULARITY_WEEK,
	"month": feedbackv1.Granularity_GRANULARITY_MONTH,
}

// feedbackQuery is the dashboard's filter, from the URL; unset parts take
// defaults (the first department, the last 30 days, by day).
type feedbackQuery struct {
	Target, From, To, Gran string
}

type feedbackView struct {
	Q         feedbackQuery
	Depts     []*feedbackv1.Target
	Name      string
	Summary   *feedbackv1.RatingSummary
	Trend     table
	Levels    table
	Dims      table
	Ranking   table
	MinCount  int32
	Account   table
	Overdue   table
	MoreDue   bool
	RateChart template.HTMLAttr
	LvlChart  template.HTMLAttr
	DimChart  template.HTMLAttr
}

func (h *handler) loadFeedback(r *http.Request, s *staff) (*feedbackView, error) {
	ctx := web.CallContext(r, s.token)
	conn := h.env.Conn
	q := r.URL.Query()
	today := h.env.Now().In(h.env.Location)
	v := &feedbackView{Q: feedbackQuery{Target: q.Get("target"), From: q.Get("from"), To: q.Get("to"), Gran: q.Get("g")}}
	if v.Q.To == "" {
		v.Q.To = today.Format("2006-01-02")
	}
	if v.Q.From == "" {
		v.Q.From = today.AddDate(0, 0, -29).Format("2006-01-02")
	}
	if _, ok := granularities[v.Q.Gran]; !ok {
		v.Q.Gran = "day"
	}
	targets := feedbackv1.NewTargetServiceClient(conn)
	depts, err := targets.ListTargets(ctx, &feedbackv1.ListTargetsRequest{Kind: feedbackv1.TargetKind_TARGET_KIND_DEPARTMENT, PageSize: 500})
	if err != nil {
		return nil, err
	}
	v.Depts = depts.GetTargets()
	if v.Q.Target == "" && len(v.Depts) > 0 {
		v.Q.Target = v.Depts[0].GetId()
	}
	stats := feedbackv1.NewFeedbackStatsServiceClient(conn)
	st, err := stats.GetTargetStats(ctx, &feedbackv1.GetTargetStatsRequest{TargetId: v.Q.Target, StartDate: v.Q.From, EndDate: v.Q.To})
	if err != nil {
		return nil, err
	}
	v.Name, v.Summary = st.GetTargetName(), st.GetSummary()
	tr, err := stats.GetTrend(ctx, &feedbackv1.GetTrendRequest{TargetId: v.Q.Target, StartDate: v.Q.From, EndDate: v.Q.To,
		Granularity: granularities[v.Q.Gran]})
	if err != nil {
		return nil, err
	}
	rank, err := stats.RankTargets(ctx, &feedbackv1.RankTargetsRequest{Kind: feedbackv1.TargetKind_TARGET_KIND_WINDOW,
		StartDate: v.Q.From, EndDate: v.Q.To})
	if err != nil {
		return nil, err
	}
	cases := feedbackv1.NewCaseServiceClient(conn)
	acc, err := cases.GetAccountabilityReport(ctx, &feedbackv1.GetAccountabilityReportRequest{StartDate: v.Q.From, EndDate: v.Q.To})
	if err != nil {
		return nil, err
	}
	due, err := cases.ListCases(ctx, &feedbackv1.ListCasesRequest{OverdueOnly: true, PageSize: casePageSize})
	if err != nil {
		return nil, err
	}
	h.feedbackTables(v, tr, rank, acc, due)
	return v, nil
}

func (h *handler) feedbackTables(v *feedbackView, tr *feedbackv1.GetTrendResponse, rank *feedbackv1.RankTargetsResponse,
	acc *feedbackv1.GetAccountabilityReportResponse, due *feedbackv1.ListCasesResponse) {
	base, qs := Prefix+"/feedback", "?"+v.Q.values()
	mk := func(id, caption string, cols ...column) table {
		return table{Name: v.Name + " " + caption + " " + v.Q.From + "至" + v.Q.To, ID: id, Caption: caption, Base: base, Query: qs, Cols: cols}
	}
	n, pct := column{Label: "评价数", Num: true}, func(l string) column { return column{Label: l, Num: true} }
	v.Trend = mk("trend", "满意率与差评率（"+granNames[v.Q.Gran]+"）", column{Label: "起始日期"}, n, pct("平均分"), pct("满意率"), pct("差评率"))
	var cats []string
	// An empty bucket has no rate: the chart leaves a gap (null), not 0%.
	var sat, bad []*float64
	var counts []int64
	for _, b := range tr.GetBuckets() {
		sm := b.GetSummary()
		v.Trend.Rows = append(v.Trend.Rows, []cell{text(b.GetStartDate()), count(sm.GetCount()), num(sm.GetMean(), 2),
			num(sm.GetSatisfactionRate(), 4), num(sm.GetBadRate(), 4)})
		cats, counts = append(cats, b.GetStartDate()), append(counts, sm.GetCount())
		if sm.GetCount() == 0 {
			sat, bad = append(sat, nil), append(bad, nil)
		} else {
			sr, br := sm.GetSatisfactionRate(), sm.GetBadRate()
			sat, bad = append(sat, &sr), append(bad, &br)
		}
	}
	v.RateChart = chartAttr(map[string]any{"kind": "rates", "categories": cats, "satisfaction": sat, "bad": bad, "counts": counts})
	v.Levels = mk("levels", "评价等级分布", column{Label: "等级"}, column{Label: "名称"}, n)
	var lc []string
	var lv []int64
	for i, c := range v.Summary.GetDistribution() {
		v.Levels.Rows = append(v.Levels.Rows, []cell{count(int32(i + 1)), text(levelNames[i+1]), count(c)})
		lc, lv = append(lc, levelNames[i+1]), append(lv, c)
	}
	v.LvlChart = chartAttr(map[string]any{"kind": "hist", "categories": lc, "values": lv, "yName": "评价数"})
	// The selected department's form labels its dimension keys.
	labels := map[string]string{}
	for _, d := range v.Depts {
		if d.GetId() == v.Q.Target {
			for _, dim := range d.GetForm().GetDimensions() {
				labels[dim.GetKey()] = dim.GetLabel()
			}
		}
	}
	dimName := func(k string) string {
		if l := labels[k]; l != "" {
			return l
		}
		return k
	}
	v.Dims = mk("dimensions", "分项平均分", column{Label: "分项"}, n, pct("平均分"))
	var dc []string
	var dv []float64
	for _, d := range v.Summary.GetDimensions() {
		v.Dims.Rows = append(v.Dims.Rows, []cell{text(dimName(d.GetKey())), count(d.GetCount()), num(d.GetMean(), 2)})
		dc, dv = append(dc, dimName(d.GetKey())), append(dv, d.GetMean())
	}
	v.DimChart = chartAttr(map[string]any{"kind": "bars", "categories": dc, "values": dv, "max": 5})
	v.MinCount = rank.GetMinCount()
	v.Ranking = mk("ranking", "窗口排名", pct("名次"), column{Label: "窗口"}, n, pct("平均分"), pct("贝叶斯平均"),
		pct("满意率"), pct("满意率 95% 下限"))
	for _, t := range rank.GetTargets() {
		v.Ranking.Rows = append(v.Ranking.Rows, []cell{count(t.GetRank()), text(t.GetTargetName()), count(t.GetCount()),
			num(t.GetMean(), 2), num(t.GetBayesianAverage(), 2), num(t.GetSatisfactionRate(), 4), num(t.GetSatisfactionLowerBound(), 4)})
	}
	v.Account = mk("accountability", "部门问责", column{Label: "部门"}, pct("受理"), pct("按时办结"), pct("已办结"),
		pct("当前超期"), pct("申诉成立"), pct("办结中位时长（小时）"))
	for _, d := range acc.GetDepartments() {
		v.Account.Rows = append(v.Account.Rows, []cell{text(d.GetDepartmentName()), count(d.GetOpened()), count(d.GetClosedInTime()),
			count(d.GetClosed()), count(d.GetOverdueNow()), count(d.GetAppealsAccepted()), num(d.GetMedianHoursToClose(), 1)})
	}
	depts := map[string]string{}
	for _, d := range v.Depts {
		depts[d.GetId()] = d.GetName()
	}
	v.Overdue = mk("overdue", "超期案件", column{Label: "评价对象"}, column{Label: "部门"}, column{Label: "状态"},
		column{Label: "到期时间"}, pct("超期工作日"))
	for _, c := range due.GetCases() {
		d := depts[c.GetDepartmentId()]
		if d == "" {
			d = c.GetDepartmentId()
		}
		v.Overdue.Rows = append(v.Overdue.Rows, []cell{link(c.GetTargetName(), Prefix+"/cases/"+c.GetId()), text(d),
			text(stateNames[c.GetState()]), text(c.GetDueTime().AsTime().Format(time.DateOnly)), count(-c.GetWorkingDaysLeft())})
	}
	v.MoreDue = due.GetNextPageToken() != ""
}

var granNames = map[string]string{"day": "按日", "week": "按周", "month": "按月"}

func (q feedbackQuery) values() string {
	return url.Values{"target": {q.Target}, "from": {q.From}, "to": {q.To}, "g": {q.Gran}}.Encode()
}

func (h *handler) feedbackPage(w http.ResponseWriter, r *http.Request, s *staff) {
	v, err := h.loadFeedback(r, s)
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	h.render(w, r, s, http.StatusOK, "feedback", "好差评", v)
}

func (h *handler) feedbackTable(w http.ResponseWriter, r *http.Request, s *staff) {
	h.download(w, r, s, func() ([]table, error) {
		v, err := h.loadFeedback(r, s)
		if err != nil {
			return nil, err
		}
		return []table{v.Trend, v.Levels, v.Dims, v.Ranking, v.Account, v.Overdue}, nil
	})
}
