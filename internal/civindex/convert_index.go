package civindex

import civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"

func itemNames(f *Framework) map[string]string {
	out := map[string]string{}
	for _, it := range f.Items() {
		out[it.ID] = it.Name
	}
	return out
}

// siteScoreToProto lists dimensions in framework order, skipping those the
// site had no result in.
func siteScoreToProto(s scoredSite, f *Framework, withItems bool) *civindexv1.SiteScore {
	p := &civindexv1.SiteScore{
		SiteId: s.SiteID, SiteName: s.Site.Name, Category: categoryToProto(s.Site.Category), Unit: s.Site.Unit,
		Score: s.Score, Points: s.Points, MaxPoints: s.Max, Visits: int32(s.Visits),
	}
	for _, dim := range f.Dimensions {
		if d, ok := s.Dimensions[dim.ID]; ok {
			p.Dimensions = append(p.Dimensions, &civindexv1.DimensionScore{
				DimensionId: dim.ID, Name: dim.Name, Score: d.Score, Points: d.Points, MaxPoints: d.Max,
			})
		}
	}
	if withItems {
		names := itemNames(f)
		for _, it := range s.Items {
			p.Items = append(p.Items, &civindexv1.ItemScore{
				ItemId: it.ItemID, Name: names[it.ItemID], DimensionId: it.DimensionID,
				Points: it.Points, MaxPoints: it.MaxPoints, Visits: int32(it.Visits),
			})
		}
	}
	return p
}

func roundIndexToProto(d RoundTotals, weights map[string]float64) *civindexv1.RoundIndex {
	ri := d.Stats.Index(weights, d.Framework.DimensionIDs())
	p := &civindexv1.RoundIndex{
		RoundId: d.Round.ID, RoundName: d.Round.Name, Kind: kindToProto(d.Round.Kind),
		Index: ri.Index, N: int32(ri.N), SitesInScope: int32(d.Round.SiteCount),
		UnweightedMean: ri.UnweightedMean, StdDev: ri.StdDev,
	}
	if ri.HasCI {
		p.Ci = &civindexv1.ConfidenceInterval{Low: ri.CI.Lo, High: ri.CI.Hi}
	}
	for i, dm := range ri.Dimensions {
		if dm.N == 0 {
			continue
		}
		p.Dimensions = append(p.Dimensions, &civindexv1.DimensionScore{
			DimensionId: dm.DimensionID, Name: d.Framework.Dimensions[i].Name, Score: dm.Score,
		})
	}
	return p
}
