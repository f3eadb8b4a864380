package supervision

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/scoring/stats"
)

// Self-check inflation (docs/supervision.md, "Self-check inflation"): for
// each unit and each dimension ("" for the site score), over the sites
// that both a SELF_CHECK round and a SPOT_CHECK or OFFICIAL round of the
// period scored, the differences d = self − inspected; their mean with the
// 95% Student's t interval mean ± t(0.975, n−1)·s/√n (stats.MeanCI95). The
// inflation is significant when the interval excludes 0, and inflated when
// it lies above 0. A site scored by several rounds of one kind in the
// period takes the mean of those scores.

// SiteScores are one side's scores of a site: the site score under "" and
// each dimension's score under its id.
type SiteScores map[string]float64

// InflationInput is one site scored by both sides.
type InflationInput struct {
	SiteID, Unit    string
	Self, Inspected SiteScores
}

// InflationRow is one unit's inflation on one dimension.
type InflationRow struct {
	Unit, DimensionID       string
	N                       int
	Mean                    float64
	CI                      stats.Interval
	SelfMean, InspectedMean float64
	Significant, Inflated   bool
}

// ComputeInflation computes the rows, by unit, then the site score first
// and dimensions by id. A dimension counts at a site only where both sides
// scored it.
func ComputeInflation(sites []InflationInput) []InflationRow {
	type key struct{ unit, dim string }
	diffs := map[key][]float64{}
	selfs := map[key][]float64{}
	insp := map[key][]float64{}
	for _, s := range sites {
		for dim, a := range s.Self {
			b, ok := s.Inspected[dim]
			if !ok {
				continue
			}
			k := key{s.Unit, dim}
			diffs[k] = append(diffs[k], a-b)
			selfs[k] = append(selfs[k], a)
			insp[k] = append(insp[k], b)
		}
	}
	keys := make([]key, 0, len(diffs))
	for k := range diffs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.unit != b.unit {
			return strings.Compare(a.unit, b.unit)
		}
		return strings.Compare(a.dim, b.dim)
	})
	out := make([]InflationRow, 0, len(keys))
	for _, k := range keys {
		m, ci, n := stats.MeanCI95(diffs[k])
		r := InflationRow{Unit: k.unit, DimensionID: k.dim, N: n, Mean: m, CI: ci,
			SelfMean: meanOf(selfs[k]), InspectedMean: meanOf(insp[k])}
		r.Significant = n >= 2 && (ci.Lo > 0 || ci.Hi < 0)
		r.Inflated = r.Significant && ci.Lo > 0
		out = append(out, r)
	}
	return out
}

func meanOf(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// Inflation reads the site scores of the rounds starting in [from, to) and
// computes the inflation (one unit's when unit is set), with the names of
// the dimensions as the inspected rounds' frameworks give them.
func (s *Service) Inflation(ctx context.Context, from, to time.Time, unit string) ([]InflationRow, map[string]string, error) {
	var rows []struct {
		Kind             string  `db:"kind"`
		SiteID           string  `db:"site_id"`
		Unit             string  `db:"unit"`
		Score            float64 `db:"score"`
		Dimensions       string  `db:"dimensions"`
		FrameworkID      string  `db:"framework_id"`
		FrameworkVersion int     `db:"framework_version"`
	}
	q := s.db.R
	query := `SELECT r.kind, sc.site_id, s.unit, sc.score, sc.dimensions, r.framework_id, r.framework_version
		 FROM civ_site_scores sc JOIN civ_rounds r ON r.id = sc.round_id JOIN civ_sites s ON s.id = sc.site_id
		 WHERE r.start_time >= ? AND r.start_time < ? AND sc.max_points > 0`
	args := []any{from.UnixMicro(), to.UnixMicro()}
	if unit != "" {
		query += ` AND s.unit = ?`
		args = append(args, unit)
	}
	if err := q.SelectContext(ctx, &rows, q.Rebind(query+` ORDER BY sc.site_id, sc.round_id`), args...); err != nil {
		return nil, nil, fmt.Errorf("supervision: inflation scores: %w", err)
	}
	type side struct{ sum, n map[string]float64 }
	newSide := func() *side { return &side{sum: map[string]float64{}, n: map[string]float64{}} }
	self, insp := map[string]*side{}, map[string]*side{}
	units := map[string]string{}
	frameworks := map[string]int{}
	for _, r := range rows {
		var tgt map[string]*side
		switch r.Kind {
		case civindex.SelfCheck:
			tgt = self
		case civindex.SpotCheck, civindex.Official:
			tgt = insp
			frameworks[r.FrameworkID] = max(frameworks[r.FrameworkID], r.FrameworkVersion)
		default:
			continue
		}
		sd := tgt[r.SiteID]
		if sd == nil {
			sd = newSide()
			tgt[r.SiteID] = sd
		}
		units[r.SiteID] = r.Unit
		sd.sum[""] += r.Score
		sd.n[""]++
		var dims map[string]scoring.DimScore
		if r.Dimensions != "" && r.Dimensions != "null" {
			if err := json.Unmarshal([]byte(r.Dimensions), &dims); err != nil {
				return nil, nil, fmt.Errorf("supervision: site %s dimensions: %w", r.SiteID, err)
			}
		}
		for id, d := range dims {
			if d.Max > 0 {
				sd.sum[id] += d.Score
				sd.n[id]++
			}
		}
	}
	means := func(sd *side) SiteScores {
		out := SiteScores{}
		for k, v := range sd.sum {
			out[k] = v / sd.n[k]
		}
		return out
	}
	var in []InflationInput
	for site, a := range self {
		if b, ok := insp[site]; ok {
			in = append(in, InflationInput{SiteID: site, Unit: units[site], Self: means(a), Inspected: means(b)})
		}
	}
	names := map[string]string{}
	for id, v := range frameworks {
		f, err := s.Civ.Frameworks.Get(ctx, id, v)
		if err != nil {
			continue // names are a courtesy; the numbers stand without them
		}
		for _, d := range f.Dimensions {
			names[d.ID] = d.Name
		}
	}
	return ComputeInflation(in), names, nil
}
