package civindex

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/store"
)

type inspectionRow struct {
	ID              string `db:"id"`
	RoundID         string `db:"round_id"`
	SiteID          string `db:"site_id"`
	Inspector       string `db:"inspector"`
	InspectorKeyID  string `db:"inspector_key_id"`
	VisitTime       int64  `db:"visit_time"`
	CurrentRevision int    `db:"current_revision"`
	CreateTime      int64  `db:"create_time"`
	UpdateTime      int64  `db:"update_time"`
}

func (r inspectionRow) inspection() inspection {
	return inspection{
		ID: r.ID, RoundID: r.RoundID, SiteID: r.SiteID, Inspector: r.Inspector, InspectorKeyID: r.InspectorKeyID,
		VisitTime: store.FromMicros(r.VisitTime), CurrentRevision: r.CurrentRevision,
		CreateTime: store.FromMicros(r.CreateTime), UpdateTime: store.FromMicros(r.UpdateTime),
	}
}

type revisionRow struct {
	InspectionID string  `db:"inspection_id"`
	Revision     int     `db:"revision"`
	Results      string  `db:"results"`
	Notes        string  `db:"notes"`
	Evidence     string  `db:"evidence"`
	Reason       string  `db:"reason"`
	Author       string  `db:"author"`
	AuthorKeyID  string  `db:"author_key_id"`
	VisitScore   float64 `db:"visit_score"`
	CreateTime   int64   `db:"create_time"`
}

func (r revisionRow) revision() (revision, error) {
	rev := revision{
		Revision: r.Revision, Reason: r.Reason, Author: r.Author, AuthorKeyID: r.AuthorKeyID,
		VisitScore: r.VisitScore, CreateTime: store.FromMicros(r.CreateTime),
		Record: Record{Notes: r.Notes},
	}
	if err := json.Unmarshal([]byte(r.Results), &rev.Results); err != nil {
		return revision{}, fmt.Errorf("civindex: inspection %s results: %w", r.InspectionID, err)
	}
	if err := json.Unmarshal([]byte(r.Evidence), &rev.Evidence); err != nil {
		return revision{}, fmt.Errorf("civindex: inspection %s evidence: %w", r.InspectionID, err)
	}
	return rev, nil
}

const selectInspection = `SELECT id, round_id, site_id, inspector, inspector_key_id, visit_time, current_revision,
       create_time, update_time FROM civ_inspections`

const selectRevision = `SELECT inspection_id, revision, results, notes, evidence, reason, author, author_key_id,
       visit_score, create_time FROM civ_inspection_revisions`

// getInspection returns an inspection with every revision, oldest first.
func getInspection(ctx context.Context, db store.Queryer, id string) (inspection, error) {
	var r inspectionRow
	err := db.GetContext(ctx, &r, db.Rebind(selectInspection+` WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return inspection{}, errNotFound
	}
	if err != nil {
		return inspection{}, fmt.Errorf("civindex: get inspection: %w", err)
	}
	ins := r.inspection()
	ins.Revisions, err = store.SelectAll(ctx, db, revisionRow.revision, selectRevision+` WHERE inspection_id = ? ORDER BY revision`, id)
	if err != nil {
		return inspection{}, fmt.Errorf("civindex: get inspection revisions: %w", err)
	}
	return ins, nil
}

// lockInspection locks an inspection row on PostgreSQL until tx ends
// (see lockRoundSite); errNotFound when there is none.
func lockInspection(ctx context.Context, tx *store.Tx, id string) error {
	var got string
	err := tx.GetContext(ctx, &got, tx.Rebind(`SELECT id FROM civ_inspections WHERE id = ?`+forUpdate(tx)), id)
	if errors.Is(err, sql.ErrNoRows) {
		return errNotFound
	}
	if err != nil {
		return fmt.Errorf("civindex: lock inspection: %w", err)
	}
	return nil
}

// listInspections returns a round's inspections with their current revision,
// by id descending, in one query.
func listInspections(ctx context.Context, db store.Queryer, roundID, siteID, after string, limit int) ([]inspection, error) {
	q := `SELECT i.id, i.round_id, i.site_id, i.inspector, i.inspector_key_id, i.visit_time, i.current_revision,
	         i.create_time, i.update_time, r.inspection_id, r.revision, r.results, r.notes, r.evidence, r.reason,
	         r.author, r.author_key_id, r.visit_score, r.create_time AS rev_create_time
	      FROM civ_inspections i
	      JOIN civ_inspection_revisions r ON r.inspection_id = i.id AND r.revision = i.current_revision
	      WHERE i.round_id = ?`
	args := []any{roundID}
	if siteID != "" {
		q += ` AND i.site_id = ?`
		args = append(args, siteID)
	}
	q, args = store.PageDesc(q, args, "i.id", after, limit)
	out, err := store.SelectAll(ctx, db, currentInspectionRow.inspectionWithCurrent, q, args...)
	if err != nil {
		return nil, fmt.Errorf("civindex: list inspections: %w", err)
	}
	return out, nil
}

// currentInspectionRow is an inspection joined with its current revision.
type currentInspectionRow struct {
	inspectionRow
	InspectionID  string  `db:"inspection_id"`
	Revision      int     `db:"revision"`
	Results       string  `db:"results"`
	Notes         string  `db:"notes"`
	Evidence      string  `db:"evidence"`
	Reason        string  `db:"reason"`
	Author        string  `db:"author"`
	AuthorKeyID   string  `db:"author_key_id"`
	VisitScore    float64 `db:"visit_score"`
	RevCreateTime int64   `db:"rev_create_time"`
}

func (r currentInspectionRow) inspectionWithCurrent() (inspection, error) {
	ins := r.inspection()
	rev, err := revisionRow{
		InspectionID: r.InspectionID, Revision: r.Revision, Results: r.Results, Notes: r.Notes,
		Evidence: r.Evidence, Reason: r.Reason, Author: r.Author, AuthorKeyID: r.AuthorKeyID,
		VisitScore: r.VisitScore, CreateTime: r.RevCreateTime,
	}.revision()
	if err != nil {
		return inspection{}, err
	}
	ins.Revisions = []revision{rev}
	return ins, nil
}

func insertInspection(ctx context.Context, tx *store.Tx, ins inspection) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO civ_inspections (id, round_id, site_id, inspector, inspector_key_id, visit_time,
		     current_revision, create_time, update_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		ins.ID, ins.RoundID, ins.SiteID, ins.Inspector, ins.InspectorKeyID, store.Micros(ins.VisitTime),
		ins.CurrentRevision, store.Micros(ins.CreateTime), store.Micros(ins.UpdateTime))
	if err != nil {
		return fmt.Errorf("civindex: insert inspection: %w", err)
	}
	return nil
}

func setCurrentRevision(ctx context.Context, tx *store.Tx, ins inspection) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`UPDATE civ_inspections SET current_revision = ?, update_time = ? WHERE id = ?`),
		ins.CurrentRevision, store.Micros(ins.UpdateTime), ins.ID)
	if err != nil {
		return fmt.Errorf("civindex: update inspection: %w", err)
	}
	return nil
}

func insertRevision(ctx context.Context, tx *store.Tx, inspectionID string, rev revision) error {
	results, err := json.Marshal(rev.Results)
	if err != nil {
		return err
	}
	evidence, err := json.Marshal(rev.Evidence)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO civ_inspection_revisions (inspection_id, revision, results, notes, evidence, reason, author,
		     author_key_id, visit_score, create_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		inspectionID, rev.Revision, string(results), rev.Notes, string(evidence), rev.Reason, rev.Author,
		rev.AuthorKeyID, rev.VisitScore, store.Micros(rev.CreateTime))
	if err != nil {
		return fmt.Errorf("civindex: insert inspection revision: %w", err)
	}
	return nil
}

// replaceItemResults makes scores the inspection's scored items, in a few
// multi-row statements rather than one per item.
func replaceItemResults(ctx context.Context, tx *store.Tx, ins inspection, scores []scoring.ItemScore) error {
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM civ_item_results WHERE inspection_id = ?`), ins.ID); err != nil {
		return fmt.Errorf("civindex: clear item results: %w", err)
	}
	rows := make([][]any, len(scores))
	for i, s := range scores {
		rows[i] = []any{ins.RoundID, ins.SiteID, ins.ID, s.ItemID, s.DimensionID, s.MaxPoints, s.Points, s.Applicable}
	}
	if err := store.InsertRows(ctx, tx, "civ_item_results", itemResultColumns, rows); err != nil {
		return fmt.Errorf("civindex: insert item results: %w", err)
	}
	return nil
}

// itemResultColumns are the civ_item_results columns a scored visit fills.
var itemResultColumns = []string{"round_id", "site_id", "inspection_id", "item_id", "dimension_id", "max_points",
	"points", "applicable"}

type itemResultRow struct {
	InspectionID string  `db:"inspection_id"`
	ItemID       string  `db:"item_id"`
	DimensionID  string  `db:"dimension_id"`
	MaxPoints    float64 `db:"max_points"`
	Points       float64 `db:"points"`
	Applicable   bool    `db:"applicable"`
}

// siteVisits returns the scored items of every inspection of a site in a
// round, one slice per visit.
func siteVisits(ctx context.Context, db store.Queryer, roundID, siteID string) ([][]scoring.ItemScore, error) {
	var rows []itemResultRow
	err := db.SelectContext(ctx, &rows, db.Rebind(
		`SELECT inspection_id, item_id, dimension_id, max_points, points, applicable
		 FROM civ_item_results WHERE round_id = ? AND site_id = ? ORDER BY inspection_id, item_id`), roundID, siteID)
	if err != nil {
		return nil, fmt.Errorf("civindex: site item results: %w", err)
	}
	var visits [][]scoring.ItemScore
	last := ""
	for _, r := range rows {
		if r.InspectionID != last || len(visits) == 0 {
			visits = append(visits, nil)
			last = r.InspectionID
		}
		visits[len(visits)-1] = append(visits[len(visits)-1], scoring.ItemScore{
			ItemID: r.ItemID, DimensionID: r.DimensionID, MaxPoints: r.MaxPoints, Points: r.Points, Applicable: r.Applicable,
		})
	}
	return visits, nil
}
