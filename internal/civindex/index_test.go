package civindex

import (
	"reflect"
	"testing"

	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/scoring/stats"
)

func TestStoredItemsRoundTripExactly(t *testing.T) {
	t.Parallel()
	items := []scoring.ItemAverage{
		{ItemID: "D1.1.1", DimensionID: "D1", MaxPoints: 5, Points: 17.0 / 3, Visits: 3},
		{ItemID: "A-2_x", DimensionID: "D2", MaxPoints: 0.1, Points: 0, Visits: 0},
	}
	got, err := decodeItems(encodeItems(items))
	if err != nil || !reflect.DeepEqual(got, items) {
		t.Fatalf("round trip = %v, %v; want %v", got, err, items)
	}
	if got, err := decodeItems(""); err != nil || got != nil {
		t.Errorf("empty = %v, %v", got, err)
	}
	if _, err := decodeItems("A\tD\tx\t1\t1\n"); err == nil {
		t.Error("a corrupt line decoded")
	}
}

func TestRankingsShareRanksOnTies(t *testing.T) {
	t.Parallel()
	site := func(id, unit string, score float64) scoredSite {
		return scoredSite{Site: Site{ID: id, SiteContent: SiteContent{Name: id, Unit: unit}},
			storedScore: storedScore{SiteID: id, SiteScore: scoring.SiteScore{Score: score, Max: 10}}}
	}
	sites := []scoredSite{site("a", "U1", 80), site("b", "U2", 90), site("c", "U1", 80), site("d", "U3", 70)}
	var ranks []int
	for _, r := range rankSites(sites) {
		ranks = append(ranks, r.Rank)
	}
	if !reflect.DeepEqual(ranks, []int{1, 2, 2, 4}) {
		t.Errorf("site ranks = %v, want 1 2 2 4", ranks)
	}
	units := rankUnits(sites)
	if units[0].Unit != "U2" || units[1].Unit != "U1" || units[1].Score != 80 || units[1].Sites != 2 {
		t.Errorf("units = %+v", units)
	}
	// A site where nothing applied has no score and does not count.
	if n := len(scored(append(sites, scoredSite{storedScore: storedScore{SiteID: "e"}}))); n != 4 {
		t.Errorf("scored = %d, want 4", n)
	}
}

func TestCompareRoundsNeedsTwoSitesEach(t *testing.T) {
	t.Parallel()
	c := compareRounds(stats.MomentsOf(80), stats.MomentsOf(70, 90))
	if c.Tested || c.Significant || c.Note == "" || c.Diff != 0 {
		t.Errorf("one-site round: %+v", c)
	}
}
