package civindex

import (
	"bytes"
	"encoding/csv"
	"strconv"
)

// ExportCSV writes a round's site scores as CSV, best first: rank, site,
// category, unit, visits, score and one column per dimension. Numbers are
// rounded to two decimals here, for display only.
func ExportCSV(d roundData) (string, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header := []string{"rank", "site_id", "site", "category", "unit", "visits", "score", "points", "max_points"}
	for _, dim := range d.Framework.Dimensions {
		header = append(header, dim.ID+" "+dim.Name)
	}
	if err := w.Write(header); err != nil {
		return "", err
	}
	f2 := func(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
	for _, r := range rankSites(scored(d.Sites)) {
		row := []string{
			strconv.Itoa(r.Rank), r.SiteID, r.Site.Name, r.Site.Category, r.Site.Unit,
			strconv.Itoa(r.Visits), f2(r.Score), f2(r.Points), f2(r.Max),
		}
		for _, dim := range d.Framework.Dimensions {
			if ds, ok := r.Dimensions[dim.ID]; ok && ds.Max > 0 {
				row = append(row, f2(ds.Score))
			} else {
				row = append(row, "")
			}
		}
		if err := w.Write(row); err != nil {
			return "", err
		}
	}
	w.Flush()
	return buf.String(), w.Error()
}
