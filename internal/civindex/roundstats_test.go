package civindex

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/scoring/stats"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

// indexFromSites is the round index computed from every site's score, as
// GetRoundIndex did before it read the aggregate: the reference that
// RoundStats.Index must agree with.
func indexFromSites(sites []scoredSite, weights map[string]float64, dimOrder []string) roundIndex {
	values := make([]float64, len(sites))
	var ws []float64
	if weights != nil {
		ws = make([]float64, len(sites))
	}
	for i, s := range sites {
		values[i] = s.Score
		if ws != nil {
			w, ok := weights[s.Site.Category]
			if !ok {
				w = 1
			}
			ws[i] = w
		}
	}
	mean, ci, n := stats.MeanCI95(values)
	ri := roundIndex{
		Index:          scoring.WeightedMean(values, ws),
		UnweightedMean: mean,
		StdDev:         stats.Summarize(values).StdDev,
		CI:             ci,
		HasCI:          ws == nil,
		N:              n,
	}
	for _, dim := range dimOrder {
		var vals, dws []float64
		for i, s := range sites {
			if d, ok := s.Dimensions[dim]; ok && d.Max > 0 {
				vals = append(vals, d.Score)
				if ws != nil {
					dws = append(dws, ws[i])
				}
			}
		}
		ri.Dimensions = append(ri.Dimensions, dimMean{DimensionID: dim, Score: scoring.WeightedMean(vals, dws), N: len(vals)})
	}
	return ri
}

func closeTo(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func wantSameIndex(t *testing.T, got, want roundIndex) {
	t.Helper()
	if got.N != want.N || got.HasCI != want.HasCI || len(got.Dimensions) != len(want.Dimensions) ||
		!closeTo(got.Index, want.Index) || !closeTo(got.UnweightedMean, want.UnweightedMean) ||
		!closeTo(got.StdDev, want.StdDev) || !closeTo(got.CI.Lo, want.CI.Lo) || !closeTo(got.CI.Hi, want.CI.Hi) {
		t.Fatalf("index from the aggregate = %+v\nfrom the sites          = %+v", got, want)
	}
	for i, d := range got.Dimensions {
		w := want.Dimensions[i]
		if d.DimensionID != w.DimensionID || d.N != w.N || !closeTo(d.Score, w.Score) {
			t.Errorf("dimension %d = %+v, want %+v", i, d, w)
		}
	}
}

func TestIndexFromStatsMatchesSiteComputation(t *testing.T) {
	t.Parallel()
	site := func(id, category string, score, maxPts float64, dims map[string]scoring.DimScore) scoredSite {
		return scoredSite{
			Site:        Site{ID: id, SiteContent: SiteContent{Category: category}},
			storedScore: storedScore{SiteID: id, SiteScore: scoring.SiteScore{Score: score, Max: maxPts, Dimensions: dims}},
		}
	}
	sites := scored([]scoredSite{
		site("a", "PARK", 790.0/11, 55, map[string]scoring.DimScore{"D1": {Score: 220.0 / 3, Max: 30}, "D2": {Score: 70, Max: 25}}),
		site("b", "STATION", 260.0/3, 30, map[string]scoring.DimScore{"D1": {Score: 100, Max: 10}, "D2": {Score: 80, Max: 20}}),
		site("c", "PARK", 360.0/11, 55, map[string]scoring.DimScore{"D1": {Score: 40, Max: 30}, "D2": {Score: 24, Max: 25}}),
		site("d", "STREET", 50, 10, map[string]scoring.DimScore{"D1": {Score: 50, Max: 10}, "D2": {Max: 0}}),
		site("e", "STREET", 0, 0, map[string]scoring.DimScore{"D1": {Max: 0}}), // nothing applied
	})
	dims := []string{"D1", "D2", "D3"}
	for _, tc := range []struct {
		name    string
		sites   []scoredSite
		weights map[string]float64
	}{
		{name: "unweighted", sites: sites},
		{name: "station counts twice, street not at all", sites: sites, weights: map[string]float64{"STATION": 2, "STREET": 0}},
		{name: "weights of unlisted categories are 1", sites: sites, weights: map[string]float64{"MARKET": 5}},
		{name: "every weight 0", sites: sites, weights: map[string]float64{"PARK": 0, "STATION": 0, "STREET": 0}},
		{name: "one site", sites: sites[:1]},
		{name: "no sites", sites: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			wantSameIndex(t, statsOf(tc.sites).Index(tc.weights, dims), indexFromSites(tc.sites, tc.weights, dims))
		})
	}
}

// statsWorld is a published framework (D1 with three binary items, D2 with
// a rate item and an optional binary one), sites of three categories and
// an open round over them, written through the domain API.
type statsWorld struct {
	db      *store.DB
	svc     *Service
	f       Framework
	round   string
	sites   []Site
	by      auth.Principal
	inspIDs []string
}

func newStatsWorld(t *testing.T, db *store.DB) *statsWorld {
	t.Helper()
	ctx := context.Background()
	c := Content{Name: "stats", Dimensions: []dimension{
		{ID: "D1", Name: "d1", Indicators: []indicator{{ID: "D1.1", Name: "i", Items: []Item{
			{ID: "A1", Name: "a1", MaxPoints: 10, Method: MethodBinary},
			{ID: "A2", Name: "a2", MaxPoints: 5, Method: MethodBinary},
			{ID: "A3", Name: "a3", MaxPoints: 3, Method: MethodBinary},
		}}}},
		{ID: "D2", Name: "d2", Indicators: []indicator{{ID: "D2.1", Name: "i", Items: []Item{
			{ID: "B1", Name: "b1", MaxPoints: 7, Method: MethodRate, MinObserved: 1},
			{ID: "B2", Name: "b2", MaxPoints: 4, Method: MethodBinary, Optional: true},
		}}}},
	}}
	w := &statsWorld{db: db, svc: serviceOver(t, db), by: auth.Principal{Name: "inspector"}}
	fs := w.svc.Frameworks
	err := db.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if w.f, err = fs.Create(ctx, tx, c); err != nil {
			return err
		}
		var cs []SiteContent
		for i, cat := range []string{"PARK", "PARK", "STATION", "STATION", "STREET", "STREET", "PARK"} {
			cs = append(cs, SiteContent{Name: fmt.Sprintf("s%d", i), Category: cat, Unit: "u"})
		}
		w.sites, err = w.svc.Sites.Create(ctx, tx, cs...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if w.f, err = fs.Publish(ctx, w.f.ID); err != nil {
		t.Fatal(err)
	}
	spec := RoundSpec{Name: "r", Kind: Official, FrameworkID: w.f.ID, FrameworkVersion: 1,
		Start: time.Now().Add(-time.Hour), End: time.Now().Add(time.Hour)}
	for _, s := range w.sites {
		spec.SiteIDs = append(spec.SiteIDs, s.ID)
	}
	var r Round
	if err := db.WithTx(ctx, func(tx *store.Tx) (err error) { r, err = w.svc.Rounds.Create(ctx, tx, spec); return }); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Rounds.Transition(ctx, r.ID, Planned, Open); err != nil {
		t.Fatal(err)
	}
	w.round = r.ID
	return w
}

// record draws a visit's results; with allNA every item is not applicable,
// so the site has no score.
func (w *statsWorld) record(rng *rand.Rand, allNA bool) Record {
	var rec Record
	for _, it := range w.f.Items() {
		res := Result{ItemID: it.ID, Met: rng.IntN(3) > 0}
		if it.Method == MethodRate {
			res.Observed = 1 + rng.IntN(20)
			res.Compliant = rng.IntN(res.Observed + 1)
		}
		switch {
		case allNA || rng.IntN(6) == 0:
			res = Result{ItemID: it.ID, NotApplicable: true, NAReason: "n/a"}
		case it.Optional && rng.IntN(2) == 0:
			continue
		}
		rec.Results = append(rec.Results, res)
	}
	return rec
}

func (w *statsWorld) submit(t *testing.T, site string, rec Record) {
	t.Helper()
	ctx := context.Background()
	err := w.db.WithTx(ctx, func(tx *store.Tx) error {
		ins, err := w.svc.Inspections.Submit(ctx, tx, w.by, w.round, site, time.Time{}, rec)
		w.inspIDs = append(w.inspIDs, ins.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (w *statsWorld) amend(t *testing.T, id string, rec Record) {
	t.Helper()
	ctx := context.Background()
	err := w.db.WithTx(ctx, func(tx *store.Tx) error {
		_, err := w.svc.Inspections.Amend(ctx, tx, w.by, id, "correction", rec)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// check compares the maintained aggregate with one made from the stored
// site scores, and the index from it with the index from the sites.
func (w *statsWorld) check(t *testing.T, step string) {
	t.Helper()
	ctx := context.Background()
	rp := w.svc.Reports
	d, err := rp.Round(ctx, w.round, false)
	if err != nil {
		t.Fatal(err)
	}
	all, err := roundStats(ctx, w.db.R, w.round)
	if err != nil {
		t.Fatal(err)
	}
	got := all[w.round]
	want := statsOf(scored(d.Sites))
	for k, m := range want {
		g := got[k]
		if g.N != m.N || !closeTo(g.Sum, m.Sum) || !closeTo(g.SumSq, m.SumSq) {
			t.Errorf("%s: cell %v = %+v, want %+v", step, k, g, m)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: cell %v = %+v counts no site", step, k, g)
		}
	}
	if r, err := getRoundHead(ctx, w.db.R, w.round); err != nil || r.SiteCount != len(w.sites) {
		t.Errorf("%s: sites in scope = %d, %v; want %d", step, r.SiteCount, err, len(w.sites))
	}
	dims := w.f.DimensionIDs()
	for _, weights := range []map[string]float64{nil, {"STATION": 3, "STREET": 0.5}} {
		wantSameIndex(t, got.Index(weights, dims), indexFromSites(scored(d.Sites), weights, dims))
	}
}

// The aggregate follows submissions, amendments (which take a site's old
// score out), sites whose every item becomes not applicable (which leave
// it) and category changes, and a rebuild from the site scores gives the
// same figures.
func TestRoundStatsFollowInspectionsAndAmendments(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newStatsWorld(t, db)
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range 5 { // the last two sites stay uninspected
			w.submit(t, w.sites[i].ID, w.record(rng, false))
		}
		w.check(t, "first visits")
		for i := range 30 {
			if i%3 == 0 {
				w.submit(t, w.sites[rng.IntN(4)].ID, w.record(rng, false))
			} else {
				w.amend(t, w.inspIDs[rng.IntN(len(w.inspIDs))], w.record(rng, false))
			}
		}
		w.check(t, "after amendments")

		// Site 4 is visited once; an amendment marking everything not
		// applicable takes it out of the aggregate, which leaves its
		// street cells empty with sums of exactly 0.
		street := w.inspIDs[4]
		w.amend(t, street, w.record(rng, true))
		w.check(t, "a site with nothing applicable")
		var leftover int
		if err := db.R.Get(&leftover, db.R.Rebind(`SELECT COUNT(*) FROM civ_round_stats
		    WHERE round_id = ? AND category = 'STREET' AND (n <> 0 OR sum <> 0 OR sumsq <> 0)`), w.round); err != nil {
			t.Fatal(err)
		}
		if leftover != 0 {
			t.Errorf("%d street cells still count something", leftover)
		}
		w.amend(t, street, w.record(rng, false))

		// A park becomes a street: its scores move category.
		ctx := context.Background()
		moved := w.sites[0].SiteContent
		moved.Category = "STREET"
		if _, err := w.svc.Sites.Update(ctx, w.sites[0].ID, moved); err != nil {
			t.Fatal(err)
		}
		w.check(t, "after a category change")

		before, err := roundStats(ctx, db.R, w.round)
		if err != nil {
			t.Fatal(err)
		}
		if err := RebuildRoundStats(ctx, db); err != nil {
			t.Fatal(err)
		}
		after, err := roundStats(ctx, db.R, w.round)
		if err != nil {
			t.Fatal(err)
		}
		if len(after[w.round]) != len(before[w.round]) {
			t.Fatalf("rebuilt %v, maintained %v", after[w.round], before[w.round])
		}
		for k, m := range before[w.round] {
			g := after[w.round][k]
			if g.N != m.N || !closeTo(g.Sum, m.Sum) || !closeTo(g.SumSq, m.SumSq) {
				t.Errorf("rebuilt cell %v = %+v, maintained %+v", k, g, m)
			}
		}
		w.check(t, "after a rebuild")
	})
}
