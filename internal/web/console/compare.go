package console

import (
	"html/template"
	"net/http"
	"net/url"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/web"
)

// compareView puts two rounds side by side: headline figures, dimensions
// and each site's score and rank in both.
type compareView struct {
	Rounds   []*civindexv1.Round
	A, B     *civindexv1.RoundIndex
	Overview table
	Dims     table
	Sites    table
	Chart    template.HTMLAttr
}

func (h *handler) loadCompare(r *http.Request, s *staff) (*compareView, error) {
	ctx := web.CallContext(r, s.token)
	rounds, err := civindexv1.NewRoundServiceClient(h.env.Conn).ListRounds(ctx, &civindexv1.ListRoundsRequest{PageSize: 200})
	if err != nil {
		return nil, err
	}
	v := &compareView{Rounds: rounds.GetRounds()}
	a, b := r.URL.Query().Get("a"), r.URL.Query().Get("b")
	if a == "" || b == "" {
		return v, nil
	}
	idx := civindexv1.NewIndexServiceClient(h.env.Conn)
	var rank [2]*civindexv1.ListSiteRankingResponse
	for i, id := range []string{a, b} {
		ri, err := idx.GetRoundIndex(ctx, &civindexv1.GetRoundIndexRequest{RoundId: id})
		if err != nil {
			return nil, err
		}
		if i == 0 {
			v.A = ri.GetIndex()
		} else {
			v.B = ri.GetIndex()
		}
		if rank[i], err = idx.ListSiteRanking(ctx, &civindexv1.ListSiteRankingRequest{RoundId: id}); err != nil {
			return nil, err
		}
	}
	base := Prefix + "/index/compare"
	q := "?" + url.Values{"a": {a}, "b": {b}}.Encode()
	// Columns say 前一轮/后一轮; the captions name the rounds, so long
	// round names do not crowd the tables.
	an, bn := "前一轮", "后一轮"
	names := "（前：" + v.A.GetRoundName() + "；后：" + v.B.GetRoundName() + "）"
	v.Overview = table{Name: "轮次对比 总体", ID: "overview", Caption: "总体", Base: base, Query: q,
		Cols: []column{{Label: "指标"}, {Label: an, Num: true}, {Label: bn, Num: true}, {Label: "差（后 − 前）", Num: true}}}
	for _, row := range []struct {
		label  string
		av, bv float64
		digits int
	}{
		{"文明指数", v.A.GetIndex(), v.B.GetIndex(), 2},
		{"95% 区间下限", v.A.GetCi().GetLow(), v.B.GetCi().GetLow(), 2},
		{"95% 区间上限", v.A.GetCi().GetHigh(), v.B.GetCi().GetHigh(), 2},
		{"已测站点 n", float64(v.A.GetN()), float64(v.B.GetN()), 0},
		{"标准差", v.A.GetStdDev(), v.B.GetStdDev(), 2},
	} {
		v.Overview.Rows = append(v.Overview.Rows, []cell{text(row.label), num(row.av, row.digits), num(row.bv, row.digits), num(row.bv-row.av, row.digits)})
	}
	v.Dims = table{Name: "轮次对比 维度", ID: "dimensions", Caption: "维度得分" + names, Base: base, Query: q,
		Cols: []column{{Label: "维度"}, {Label: an, Num: true}, {Label: bn, Num: true}, {Label: "差（后 − 前）", Num: true}}}
	bDims := map[string]float64{}
	for _, d := range v.B.GetDimensions() {
		bDims[d.GetDimensionId()] = d.GetScore()
	}
	var cats []string
	var av, bv []float64
	for _, d := range v.A.GetDimensions() {
		bs, ok := bDims[d.GetDimensionId()]
		if !ok {
			continue // a dimension of another framework version
		}
		cats, av, bv = append(cats, d.GetName()), append(av, d.GetScore()), append(bv, bs)
		v.Dims.Rows = append(v.Dims.Rows, []cell{text(d.GetName()), num(d.GetScore(), 2), num(bs, 2), num(bs-d.GetScore(), 2)})
	}
	v.Chart = chartAttr(map[string]any{"kind": "pair", "categories": cats, "names": []string{v.A.GetRoundName(), v.B.GetRoundName()}, "a": av, "b": bv, "max": 100})
	v.Sites = table{Name: "轮次对比 站点", ID: "sites", Caption: "站点得分" + names, Base: base, Query: q,
		Cols: []column{{Label: "站点"}, {Label: an + "得分", Num: true}, {Label: an + "名次", Num: true},
			{Label: bn + "得分", Num: true}, {Label: bn + "名次", Num: true}, {Label: "差（后 − 前）", Num: true}}}
	inB := map[string]*civindexv1.RankedSite{}
	for _, rs := range rank[1].GetSites() {
		inB[rs.GetScore().GetSiteId()] = rs
	}
	for _, ra := range rank[0].GetSites() {
		rb, ok := inB[ra.GetScore().GetSiteId()]
		if !ok {
			continue
		}
		sa, sb := ra.GetScore().GetScore(), rb.GetScore().GetScore()
		v.Sites.Rows = append(v.Sites.Rows, []cell{text(ra.GetScore().GetSiteName()), num(sa, 2), count(ra.GetRank()),
			num(sb, 2), count(rb.GetRank()), num(sb-sa, 2)})
	}
	return v, nil
}

func (h *handler) compare(w http.ResponseWriter, r *http.Request, s *staff) {
	v, err := h.loadCompare(r, s)
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	h.render(w, r, s, http.StatusOK, "compare", "轮次对比", v)
}

func (h *handler) compareTable(w http.ResponseWriter, r *http.Request, s *staff) {
	h.download(w, r, s, func() ([]table, error) {
		v, err := h.loadCompare(r, s)
		if err != nil || v.A == nil {
			return nil, err
		}
		return []table{v.Overview, v.Dims, v.Sites}, nil
	})
}
