package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/civindex/supervision"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

//go:embed civindex_framework.yaml
var civFrameworkYAML []byte

// civSites are the demo sites: 12 places in five categories and six units.
var civSites = []civindex.SiteContent{
	{Name: "市政府机关大院", Category: "OFFICE_COMPOUND", Unit: "市机关事务管理局"},
	{Name: "东城区政府大院", Category: "OFFICE_COMPOUND", Unit: "东城区"},
	{Name: "幸福里社区", Category: "RESIDENTIAL_COMMUNITY", Unit: "东城区"},
	{Name: "和平家园小区", Category: "RESIDENTIAL_COMMUNITY", Unit: "西城区"},
	{Name: "滨江花园社区", Category: "RESIDENTIAL_COMMUNITY", Unit: "西城区"},
	{Name: "人民路步行街", Category: "STREET", Unit: "东城区", HasLocation: true, Latitude: 31.2304, Longitude: 121.4737},
	{Name: "解放大道", Category: "STREET", Unit: "西城区"},
	{Name: "中山北路", Category: "STREET", Unit: "东城区"},
	{Name: "火车站南广场", Category: "STATION", Unit: "市交通运输局"},
	{Name: "长途汽车客运站", Category: "STATION", Unit: "市交通运输局"},
	{Name: "市民服务中心", Category: "SERVICE_HALL", Unit: "市政务服务管理局"},
	{Name: "东城区政务服务大厅", Category: "SERVICE_HALL", Unit: "东城区"},
}

// demoInspector is who the generated inspections are recorded as.
var demoInspector = auth.Principal{Name: "demo-inspector"}

// LoadCivIndex loads the civility-index demo into a database without
// frameworks: the framework (published), 12 sites, a closed first round
// and an open second one, each with generated inspections. The generator
// has a fixed seed, so every demo shows the same numbers.
func LoadCivIndex(ctx context.Context, db *store.DB) error {
	return loadCivIndexIn(ctx, rpc.Deps{DB: db})
}

// loadCivIndexIn is LoadCivIndex with the server's deps.
func loadCivIndexIn(ctx context.Context, d rpc.Deps) error {
	db := d.DB
	var n int
	if err := db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM civ_frameworks`); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	content, err := civindex.ParseFrameworkYAML(bytes.NewReader(civFrameworkYAML))
	if err != nil {
		return fmt.Errorf("demo framework: %w", err)
	}
	// Built through supervision, so closing the first round opens its
	// rectification tasks and the second round's visits close some.
	sup, err := supervision.New(d)
	if err != nil {
		return err
	}
	svc := sup.Civ
	fs := svc.Frameworks
	var fw civindex.Framework
	var sites []civindex.Site
	err = db.WithTx(ctx, func(tx *store.Tx) error {
		if fw, err = fs.Create(ctx, tx, content); err != nil {
			return err
		}
		sites, err = svc.Sites.Create(ctx, tx, civSites...)
		return err
	})
	if err != nil {
		return err
	}
	if fw, err = fs.Publish(ctx, fw.ID); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2026, 5))
	quality := make([]float64, len(sites))
	for i := range quality {
		quality[i] = 0.55 + 0.4*rng.Float64()
	}
	q1 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for r, spec := range []struct {
		name  string
		start time.Time
		gain  float64
		close bool
	}{
		{"2026年第一季度公共文明指数测评", q1, 0, true},
		{"2026年第二季度公共文明指数测评", q1.AddDate(0, 3, 0), 0.06, false},
	} {
		if err := civRound(ctx, svc, db, rng, fw, sites, quality, spec.name, civindex.Official, spec.start, spec.gain, spec.close, r == 0); err != nil {
			return err
		}
	}
	// The units' own second-quarter self-check, at the same sites (the
	// round adds the same 0.06 gain as the second official round). Over
	// the year the inspectors found each site at quality + 0.03 on average
	// (+0 in the first round, +0.06 in the second); most units score
	// themselves about so, 西城区 and 市交通运输局 much better (up to the cap):
	// what the supervision tab's inflation page compares.
	self := make([]float64, len(sites))
	for i, s := range sites {
		self[i] = quality[i] - 0.03
		if s.Unit == "西城区" || s.Unit == "市交通运输局" {
			self[i] = quality[i] + 0.25
		}
	}
	return civRound(ctx, svc, db, rng, fw, sites, self, "2026年第二季度各单位自查", civindex.SelfCheck, q1.AddDate(0, 3, 0), 0.06, true, false)
}

func civRound(ctx context.Context, svc *civindex.Service, db *store.DB, rng *rand.Rand, fw civindex.Framework, sites []civindex.Site,
	quality []float64, name, kind string, start time.Time, gain float64, closeIt, revisits bool) error {
	rounds, ins := svc.Rounds, svc.Inspections
	spec := civindex.RoundSpec{
		Name: name, Kind: kind, FrameworkID: fw.ID, FrameworkVersion: fw.Version,
		Start: start, End: start.AddDate(0, 3, 0).Add(-time.Second),
	}
	for _, s := range sites {
		spec.SiteIDs = append(spec.SiteIDs, s.ID)
	}
	var round civindex.Round
	err := db.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		round, err = rounds.Create(ctx, tx, spec)
		return err
	})
	if err != nil {
		return err
	}
	if _, err := rounds.Transition(ctx, round.ID, civindex.Planned, civindex.Open); err != nil {
		return err
	}
	err = db.WithTx(ctx, func(tx *store.Tx) error {
		for i, s := range sites {
			visits := 1
			if revisits && i%4 == 0 {
				visits = 2 // a second, unannounced visit to every fourth site
			}
			for v := range visits {
				rec := civRecord(rng, fw, s, math.Min(0.98, quality[i]+gain))
				visit := start.AddDate(0, 0, 7+14*v+i)
				if _, err := ins.Submit(ctx, tx, demoInspector, round.ID, s.ID, visit, rec); err != nil {
					return fmt.Errorf("demo inspection of %s: %w", s.Name, err)
				}
			}
		}
		return nil
	})
	if err != nil || !closeIt {
		return err
	}
	_, err = rounds.Transition(ctx, round.ID, civindex.Open, civindex.Closed)
	return err
}

// civRecord generates one visit's results for a site of quality q (the
// share of things found in order): not applicable where the site has no
// such thing, otherwise observations drawn around q.
func civRecord(rng *rand.Rand, fw civindex.Framework, s civindex.Site, q float64) civindex.Record {
	var rec civindex.Record
	around := func() float64 { return math.Max(0, math.Min(1, q+0.25*(rng.Float64()-0.5))) }
	for _, it := range fw.Items() {
		r := civindex.Result{ItemID: it.ID}
		switch {
		case it.ID == "D1.1.2" && (s.Category == "OFFICE_COMPOUND" || s.Category == "RESIDENTIAL_COMMUNITY"):
			r.NotApplicable, r.NAReason = true, "院内无斑马线"
		case it.ID == "D3.2.1" && s.Category != "SERVICE_HALL" && s.Category != "STATION":
			r.NotApplicable, r.NAReason = true, "无服务窗口"
		case it.Optional && s.Category == "STREET":
			continue // no public toilet on the checked stretch
		case it.Method == civindex.MethodBinary:
			r.Met = rng.Float64() < q
		case it.Method == civindex.MethodGraded:
			r.Level = it.Levels[min(len(it.Levels)-1, int((1-around())*float64(len(it.Levels))))].Name
		case it.Method == civindex.MethodRate:
			r.Observed = max(it.MinObserved, 10+rng.IntN(40))
			r.Compliant = int(math.Round(float64(r.Observed) * around()))
		case it.Method == civindex.MethodDeduction:
			r.Violations = int((1 - around()) * 8 * rng.Float64())
		}
		rec.Results = append(rec.Results, r)
	}
	rec.Notes = "演示数据：系统按固定种子生成"
	return rec
}
