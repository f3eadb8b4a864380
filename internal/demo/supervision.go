package demo

import (
	"context"
	"encoding/hex"
	"time"

	"github.com/wenming/wenming/internal/civindex/supervision"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

// DemoDrawSeed is the seed of the demo's spot-check draw. It is printed
// here so anyone can re-derive the demo draw; a real seed is random and
// kept secret until the reveal.
const DemoDrawSeed = "6a1f0c9e3b7d2a5f8e4c1b0d9a7f6e5c4b3a2d1f0e9c8b7a6f5e4d3c2b1a0f9e"

// DemoScorecardWeights are the weights of the demo's published 2026
// scorecard.
var DemoScorecardWeights = supervision.Weights{
	supervision.CompCivility: 40, supervision.CompSatisfaction: 20, supervision.CompCasesInTime: 15,
	supervision.CompRectification: 15, supervision.CompQuiz: 10,
}

// loadSupervisionIn adds the supervision demo to a database that has the
// civility-index and feedback demos and no draw yet: the unit 市机关事务管理局
// tied to the demo officer's department (机关食堂), and a committed and
// revealed spot-check draw of six sites by category, whose round is
// planned, and a published 2026 assessment scorecard. The rectification tasks come from closing the first demo round.
func loadSupervisionIn(ctx context.Context, d rpc.Deps) error {
	db := d.DB
	var n int
	if err := db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM civ_draws`); err != nil || n > 0 {
		return err
	}
	var fw []struct {
		ID      string `db:"id"`
		Version int    `db:"version"`
	}
	if err := db.R.SelectContext(ctx, &fw, `SELECT id, version FROM civ_frameworks ORDER BY id LIMIT 1`); err != nil || len(fw) == 0 {
		return err
	}
	svc, err := supervision.New(d)
	if err != nil {
		return err
	}
	var depts []string
	if err := db.R.SelectContext(ctx, &depts, db.R.Rebind(
		`SELECT id FROM feedback_targets WHERE kind = ? AND name = ?`), "DEPARTMENT", "机关食堂"); err != nil {
		return err
	}
	if len(depts) > 0 {
		if _, err := svc.SetUnit(ctx, supervision.Unit{
			Name: "市机关事务管理局", DepartmentID: depts[0], Communities: []string{KioskCommunity}, QuizTarget: 200,
		}); err != nil {
			return err
		}
	}
	seed, err := hex.DecodeString(DemoDrawSeed)
	if err != nil {
		return err
	}
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	err = db.WithTx(ctx, func(tx *store.Tx) error {
		_, err := svc.CreateScorecard(ctx, tx, 2026, DemoScorecardWeights, supervision.DefaultPriorWeight)
		return err
	})
	if err != nil {
		return err
	}
	if _, err := svc.PublishScorecard(ctx, 2026, 1); err != nil {
		return err
	}
	return db.WithTx(ctx, func(tx *store.Tx) error {
		dr, err := svc.CommitDraw(ctx, tx, supervision.DrawSpec{
			Name: "2026年第二季度督导抽查", Strata: supervision.StrataCategory,
			Allocation: supervision.Allocation{Total: 6}, Commitment: supervision.Commitment(seed),
		})
		if err != nil {
			return err
		}
		_, err = svc.RevealDraw(ctx, tx, dr.ID, DemoDrawSeed, supervision.RoundPlan{
			Name: "2026年第二季度督导抽查", FrameworkID: fw[0].ID, FrameworkVersion: fw[0].Version,
			Start: start, End: start.AddDate(0, 1, 0),
		})
		return err
	})
}
