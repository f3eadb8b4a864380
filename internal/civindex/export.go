package civindex

import (
	"strconv"
	"strings"

	"github.com/wenming/wenming/internal/tabular"
)

// ExportRows writes a round's site scores to w, best first: rank, site,
// category, unit, visits, score and one column per dimension. Scores are
// rounded to two decimals here, for display only. The caller closes w.
func ExportRows(d roundData, w tabular.Writer) error {
	header := []any{"rank", "site_id", "site", "category", "unit", "visits", "score", "points", "max_points"}
	for _, dim := range d.Framework.Dimensions {
		header = append(header, dim.ID+" "+dim.Name)
	}
	if err := w.Write(header...); err != nil {
		return err
	}
	r2 := func(x float64) float64 { v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64); return v }
	for _, r := range rankSites(scored(d.Sites)) {
		row := []any{
			r.Rank, r.SiteID, r.Site.Name, r.Site.Category, r.Site.Unit,
			r.Visits, r2(r.Score), r2(r.Points), r2(r.Max),
		}
		for _, dim := range d.Framework.Dimensions {
			if ds, ok := r.Dimensions[dim.ID]; ok && ds.Max > 0 {
				row = append(row, r2(ds.Score))
			} else {
				row = append(row, "")
			}
		}
		if err := w.Write(row...); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSV is ExportRows as CSV text without a byte-order mark (what the
// ExportIndex RPC returns; the gateway adds the mark to a file download).
func ExportCSV(d roundData) (string, error) {
	var b strings.Builder
	w, err := tabular.NewWriter(&b, tabular.Options{Format: tabular.CSV, NoBOM: true})
	if err != nil {
		return "", err
	}
	if err := ExportRows(d, w); err != nil {
		return "", err
	}
	err = w.Close()
	return b.String(), err
}
