package console

import (
	"encoding/json"
	"html/template"
	"net/http"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/web"
)

func (h *handler) indexRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+Prefix+"/index", h.staff(h.roundList))
	mux.HandleFunc("GET "+Prefix+"/index/rounds/{id}", h.staff(h.roundPage))
	mux.HandleFunc("GET "+Prefix+"/index/rounds/{id}/tables/{file}", h.staff(h.roundTable))
	mux.HandleFunc("GET "+Prefix+"/index/rounds/{id}/report", h.staff(h.roundReport))
	mux.HandleFunc("GET "+Prefix+"/index/rounds/{id}/sites/{site}", h.staff(h.sitePage))
	mux.HandleFunc("GET "+Prefix+"/index/rounds/{id}/sites/{site}/tables/{file}", h.staff(h.siteTable))
	mux.HandleFunc("GET "+Prefix+"/index/compare", h.staff(h.compare))
	mux.HandleFunc("GET "+Prefix+"/index/compare/tables/{file}", h.staff(h.compareTable))
}

type roundsData struct {
	Rounds table
}

func (h *handler) roundList(w http.ResponseWriter, r *http.Request, s *staff) {
	resp, err := civindexv1.NewRoundServiceClient(h.env.Conn).ListRounds(web.CallContext(r, s.token),
		&civindexv1.ListRoundsRequest{PageSize: 200})
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	t := table{Name: "测评轮次", ID: "rounds", Caption: "测评轮次", Base: Prefix + "/index",
		Cols: []column{{Label: "轮次"}, {Label: "类型"}, {Label: "状态"}, {Label: "开始"}, {Label: "结束"}, {Label: "站点数", Num: true}}}
	for _, rd := range resp.GetRounds() {
		t.Rows = append(t.Rows, []cell{
			link(rd.GetName(), Prefix+"/index/rounds/"+rd.GetId()), text(kindNames[rd.GetKind()]),
			text(roundStateNames[rd.GetState()]), text(h.day(rd.GetStartTime())), text(h.day(rd.GetEndTime())),
			count(int32(len(rd.GetSiteIds()))),
		})
	}
	h.render(w, r, s, http.StatusOK, "rounds", "文明指数", roundsData{Rounds: t})
}

// roundView is everything a round's page shows, read in five calls.
type roundView struct {
	Round   *civindexv1.Round
	Index   *civindexv1.RoundIndex
	Trend   *civindexv1.GetTrendResponse
	Ranking table
	Short   table
	Dims    table
	Changes table
	// TrendChart and DimChart are the charts' data for charts.js.
	TrendChart, DimChart template.HTMLAttr
	Threshold            float64
	// ChainHead and ChainLength are the round's hash-chain head
	// (GetRoundIndex), printed in the report.
	ChainHead   string
	ChainLength int64
}

func (h *handler) loadRound(r *http.Request, s *staff, id string) (*roundView, error) {
	ctx := web.CallContext(r, s.token)
	conn := h.env.Conn
	rd, err := civindexv1.NewRoundServiceClient(conn).GetRound(ctx, &civindexv1.GetRoundRequest{Id: id})
	if err != nil {
		return nil, err
	}
	idx := civindexv1.NewIndexServiceClient(conn)
	ri, err := idx.GetRoundIndex(ctx, &civindexv1.GetRoundIndexRequest{RoundId: id})
	if err != nil {
		return nil, err
	}
	round := rd.GetRound()
	trend, err := idx.GetTrend(ctx, &civindexv1.GetTrendRequest{FrameworkId: round.GetFrameworkId(), Kind: round.GetKind()})
	if err != nil {
		return nil, err
	}
	rank, err := idx.ListSiteRanking(ctx, &civindexv1.ListSiteRankingRequest{RoundId: id})
	if err != nil {
		return nil, err
	}
	short, err := idx.ListShortfalls(ctx, &civindexv1.ListShortfallsRequest{RoundId: id})
	if err != nil {
		return nil, err
	}
	v := &roundView{Round: round, Index: ri.GetIndex(), Trend: trend, Threshold: short.GetThreshold(),
		ChainHead: ri.GetChainHead(), ChainLength: ri.GetChainLength()}
	base := Prefix + "/index/rounds/" + id
	dimNames := map[string]string{}
	v.Dims = table{Name: round.GetName() + " 维度得分", ID: "dimensions", Caption: "维度得分", Base: base,
		Cols: []column{{Label: "维度"}, {Label: "得分", Num: true}}}
	for _, d := range v.Index.GetDimensions() {
		dimNames[d.GetDimensionId()] = d.GetName()
		// A round's dimension scores are means of site scores; the API
		// leaves their points empty, so the table shows the score alone.
		v.Dims.Rows = append(v.Dims.Rows, []cell{text(d.GetName()), num(d.GetScore(), 2)})
	}
	v.Ranking = table{Name: round.GetName() + " 站点排名", ID: "ranking", Caption: "站点排名", Base: base,
		Cols: []column{{Label: "名次", Num: true}, {Label: "站点"}, {Label: "类别"}, {Label: "责任单位"}, {Label: "得分", Num: true}, {Label: "走访次数", Num: true}}}
	for _, rs := range rank.GetSites() {
		sc := rs.GetScore()
		v.Ranking.Rows = append(v.Ranking.Rows, []cell{count(rs.GetRank()), link(sc.GetSiteName(), base+"/sites/"+sc.GetSiteId()),
			text(categoryNames[sc.GetCategory()]), text(sc.GetUnit()), num(sc.GetScore(), 2), count(sc.GetVisits())})
	}
	v.Short = table{Name: round.GetName() + " 短板", ID: "shortfalls", Caption: "短板（按失分排序）", Base: base,
		Cols: []column{{Label: "检查项"}, {Label: "维度"}, {Label: "得分点", Num: true}, {Label: "满分点", Num: true}, {Label: "失分", Num: true}, {Label: "得分率", Num: true}}}
	for _, sf := range short.GetShortfalls() {
		v.Short.Rows = append(v.Short.Rows, []cell{text(sf.GetName()), text(dimNames[sf.GetDimensionId()]),
			num(sf.GetPoints(), 2), num(sf.GetMaxPoints(), 2), num(sf.GetLost(), 2), num(sf.GetShare(), 3)})
	}
	v.Changes = table{Name: round.GetName() + " 趋势变化", ID: "changes", Caption: "相邻轮次的变化", Base: base,
		Cols: []column{{Label: "从"}, {Label: "到"}, {Label: "变化", Num: true}, {Label: "t", Num: true}, {Label: "自由度", Num: true}, {Label: "p 值", Num: true}, {Label: "显著"}}}
	names := map[string]string{}
	for _, p := range trend.GetPoints() {
		names[p.GetIndex().GetRoundId()] = p.GetIndex().GetRoundName()
	}
	for _, c := range trend.GetChanges() {
		sig := "否"
		if c.GetSignificant() {
			sig = "是"
		}
		v.Changes.Rows = append(v.Changes.Rows, []cell{text(names[c.GetFromRoundId()]), text(names[c.GetToRoundId()]),
			num(c.GetDiff(), 2), num(c.GetT(), 2), num(c.GetDf(), 1), num(c.GetP(), 4), text(sig)})
	}
	v.TrendChart = chartAttr(trendChart(trend, id))
	v.DimChart = chartAttr(dimChart(v.Index))
	return v, nil
}

func (h *handler) roundPage(w http.ResponseWriter, r *http.Request, s *staff) {
	v, err := h.loadRound(r, s, r.PathValue("id"))
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	h.render(w, r, s, http.StatusOK, "round", v.Round.GetName(), v)
}

// roundReport is the round's page laid out for print: the report the
// testing team hands to leaders, charts included.
func (h *handler) roundReport(w http.ResponseWriter, r *http.Request, s *staff) {
	v, err := h.loadRound(r, s, r.PathValue("id"))
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	h.render(w, r, s, http.StatusOK, "report", v.Round.GetName()+" 测评报告", v)
}

func (h *handler) roundTable(w http.ResponseWriter, r *http.Request, s *staff) {
	h.download(w, r, s, func() ([]table, error) {
		v, err := h.loadRound(r, s, r.PathValue("id"))
		if err != nil {
			return nil, err
		}
		return []table{v.Ranking, v.Short, v.Dims, v.Changes}, nil
	})
}

// trendChart is the data of the round-over-round chart: each round's index
// with its 95% interval, the page's round marked, and the rounds whose
// change from the one before is significant.
func trendChart(t *civindexv1.GetTrendResponse, current string) map[string]any {
	var cats []string
	var index, low, high []float64
	var n []int32
	cur := -1
	pos := map[string]int{}
	for i, p := range t.GetPoints() {
		ix := p.GetIndex()
		pos[ix.GetRoundId()] = i
		if ix.GetRoundId() == current {
			cur = i
		}
		cats = append(cats, ix.GetRoundName())
		index = append(index, ix.GetIndex())
		low = append(low, ix.GetCi().GetLow())
		high = append(high, ix.GetCi().GetHigh())
		n = append(n, ix.GetN())
	}
	sig := []int{}
	for _, c := range t.GetChanges() {
		if c.GetSignificant() {
			sig = append(sig, pos[c.GetToRoundId()])
		}
	}
	return map[string]any{"kind": "trend", "categories": cats, "index": index, "low": low, "high": high,
		"n": n, "current": cur, "significant": sig}
}

func dimChart(ix *civindexv1.RoundIndex) map[string]any {
	var cats []string
	var vals []float64
	for _, d := range ix.GetDimensions() {
		cats = append(cats, d.GetName())
		vals = append(vals, d.GetScore())
	}
	return map[string]any{"kind": "bars", "categories": cats, "values": vals, "max": 100}
}

// chartAttr is a chart's data as a data-chart attribute (html/template
// escapes it; charts.js parses it). No inline script is needed.
func chartAttr(v any) template.HTMLAttr {
	raw, _ := json.Marshal(v)
	return template.HTMLAttr(`data-chart="` + template.HTMLEscapeString(string(raw)) + `"`)
}
