package console

import (
	"net/http"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/web"
)

// siteView is a site's page in a round: its score, item results,
// dimensions, and every visit with its evidence and amendment history.
type siteView struct {
	RoundID string
	Score   *civindexv1.SiteScore
	Items   table
	Dims    table
	Visits  []*civindexv1.Inspection
	More    bool
}

// maxVisits is the one page of visits a site's page reads; a site is
// visited a few times a round, so more means the list is cut.
const maxVisits = 100

func (h *handler) loadSite(r *http.Request, s *staff, roundID, siteID string) (*siteView, error) {
	ctx := web.CallContext(r, s.token)
	sc, err := civindexv1.NewIndexServiceClient(h.env.Conn).GetSiteScore(ctx, &civindexv1.GetSiteScoreRequest{RoundId: roundID, SiteId: siteID})
	if err != nil {
		return nil, err
	}
	ins, err := civindexv1.NewInspectionServiceClient(h.env.Conn).ListInspections(ctx,
		&civindexv1.ListInspectionsRequest{RoundId: roundID, SiteId: siteID, PageSize: maxVisits})
	if err != nil {
		return nil, err
	}
	v := &siteView{RoundID: roundID, Score: sc.GetScore(), Visits: ins.GetInspections(), More: ins.GetNextPageToken() != ""}
	base := Prefix + "/index/rounds/" + roundID + "/sites/" + siteID
	name := v.Score.GetSiteName()
	dimNames := map[string]string{}
	v.Dims = table{Name: name + " 维度得分", ID: "dimensions", Caption: "维度得分", Base: base,
		Cols: []column{{Label: "维度"}, {Label: "得分", Num: true}, {Label: "得分点", Num: true}, {Label: "满分点", Num: true}}}
	for _, d := range v.Score.GetDimensions() {
		dimNames[d.GetDimensionId()] = d.GetName()
		v.Dims.Rows = append(v.Dims.Rows, []cell{text(d.GetName()), num(d.GetScore(), 2), num(d.GetPoints(), 2), num(d.GetMaxPoints(), 2)})
	}
	v.Items = table{Name: name + " 检查项结果", ID: "items", Caption: "检查项结果（多次走访按项平均）", Base: base,
		Cols: []column{{Label: "检查项"}, {Label: "维度"}, {Label: "得分点", Num: true}, {Label: "满分点", Num: true}, {Label: "走访次数", Num: true}}}
	for _, it := range v.Score.GetItems() {
		v.Items.Rows = append(v.Items.Rows, []cell{text(it.GetName()), text(dimNames[it.GetDimensionId()]),
			num(it.GetPoints(), 2), num(it.GetMaxPoints(), 2), count(it.GetVisits())})
	}
	return v, nil
}

func (h *handler) sitePage(w http.ResponseWriter, r *http.Request, s *staff) {
	v, err := h.loadSite(r, s, r.PathValue("id"), r.PathValue("site"))
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	h.render(w, r, s, http.StatusOK, "site", v.Score.GetSiteName(), v)
}

func (h *handler) siteTable(w http.ResponseWriter, r *http.Request, s *staff) {
	h.download(w, r, s, func() ([]table, error) {
		v, err := h.loadSite(r, s, r.PathValue("id"), r.PathValue("site"))
		if err != nil {
			return nil, err
		}
		return []table{v.Items, v.Dims}, nil
	})
}
