package civindex

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

// seedRound fills db with one framework of items items, sites sites and an
// open round with one inspection per site, and returns the round id.
func seedRound(b *testing.B, db *store.DB, sites, items int) string {
	b.Helper()
	ctx := context.Background()
	c := Content{Name: "bench", Dimensions: []dimension{{ID: "D1", Name: "d1"}, {ID: "D2", Name: "d2"}}}
	for i := range items {
		d := &c.Dimensions[i%2]
		if len(d.Indicators) == 0 {
			d.Indicators = []indicator{{ID: d.ID + ".1", Name: "i"}}
		}
		it := Item{ID: fmt.Sprintf("I%03d", i), Name: "item", MaxPoints: 1, Method: MethodBinary}
		if i%3 == 0 {
			it.Method, it.MinObserved = MethodRate, 1
		}
		d.Indicators[0].Items = append(d.Indicators[0].Items, it)
	}
	svc := serviceOver(b, db)
	fs := svc.Frameworks
	var f Framework
	var ss []Site
	err := db.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if f, err = fs.Create(ctx, tx, c); err != nil {
			return err
		}
		cs := make([]SiteContent, sites)
		for i := range cs {
			cs[i] = SiteContent{Name: fmt.Sprintf("site %d", i), Category: categories[i%len(categories)], Unit: fmt.Sprintf("unit %d", i%20)}
		}
		ss, err = svc.Sites.Create(ctx, tx, cs...)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	if f, err = fs.Publish(ctx, f.ID); err != nil {
		b.Fatal(err)
	}
	spec := RoundSpec{Name: "r", Kind: Official, FrameworkID: f.ID, FrameworkVersion: 1, Start: time.Now().Add(-time.Hour), End: time.Now()}
	for _, s := range ss {
		spec.SiteIDs = append(spec.SiteIDs, s.ID)
	}
	var r Round
	if err := db.WithTx(ctx, func(tx *store.Tx) (err error) { r, err = svc.Rounds.Create(ctx, tx, spec); return }); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Rounds.Transition(ctx, r.ID, Planned, Open); err != nil {
		b.Fatal(err)
	}
	ins := svc.Inspections
	err = db.WithTx(ctx, func(tx *store.Tx) error {
		for i, s := range ss {
			var rec Record
			for j, it := range f.Items() {
				res := Result{ItemID: it.ID, Met: (i+j)%4 != 0}
				if it.Method == MethodRate {
					res.Compliant, res.Observed = (i+j)%10, 10
				}
				rec.Results = append(rec.Results, res)
			}
			if _, err := ins.Submit(ctx, tx, auth.Principal{Name: "bench"}, r.ID, s.ID, time.Time{}, rec); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return r.ID
}

// BenchmarkRoundReports measures the reads behind the round index and the
// round shortfalls at 100 and 1,000 sites × 100 items. The index reads the
// round's aggregate, so its time should not grow with the sites; the
// shortfalls read every site's items.
func BenchmarkRoundReports(b *testing.B) {
	for _, sites := range []int{100, 1000} {
		b.Run(fmt.Sprintf("sites=%d", sites), func(b *testing.B) {
			db := storetest.SQLite(b)
			start := time.Now()
			round := seedRound(b, db, sites, 100)
			b.Logf("seeded %d inspections of 100 items in %v", sites, time.Since(start))
			rp := serviceOver(b, db).Reports
			ctx := context.Background()
			b.Run("index", func(b *testing.B) {
				for b.Loop() {
					d, err := rp.Totals(ctx, round)
					if err != nil {
						b.Fatal(err)
					}
					if ri := d.Stats.Index(nil, d.Framework.DimensionIDs()); ri.N != sites {
						b.Fatalf("n = %d", ri.N)
					}
				}
			})
			b.Run("shortfalls", func(b *testing.B) {
				for b.Loop() {
					d, err := rp.Round(ctx, round, true)
					if err != nil {
						b.Fatal(err)
					}
					itemShortfalls(d.Sites, 0.6)
				}
			})
		})
	}
}
