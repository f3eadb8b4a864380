package civindex

import (
	"context"
	"errors"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
)

// Inspections records visits.
type Inspections struct{ base }

// openRound returns the round and its framework version, failing unless
// the round accepts inspections.
func openRound(ctx context.Context, tx *store.Tx, roundID string) (Round, Framework, error) {
	if err := shareRound(ctx, tx, roundID); err != nil {
		return Round{}, Framework{}, err
	}
	// The head only: a round's scope can be thousands of sites, and the
	// caller checks the one it needs with lockRoundSite.
	r, err := getRoundHead(ctx, tx, roundID)
	if errors.Is(err, errNotFound) {
		return Round{}, Framework{}, apierr.NotFound("round", roundID)
	}
	if err != nil {
		return Round{}, Framework{}, err
	}
	if r.State != Open {
		return Round{}, Framework{}, apierr.FailedPrecondition(apierr.RoundStateForbids,
			"round %s is %s; only an open round accepts inspections and amendments", roundID, r.State)
	}
	f, err := getFramework(ctx, tx, r.FrameworkID, r.FrameworkVersion)
	if err != nil {
		return Round{}, Framework{}, err
	}
	return r, f, nil
}

// Submit records a visit (whose record passed Record.Validate) inside tx,
// scoring every result; bad results are INVALID_ARGUMENT and nothing is
// written.
func (is *Inspections) Submit(ctx context.Context, tx *store.Tx, by auth.Principal, roundID, siteID string,
	visit time.Time, rec Record) (Inspection, error) {
	_, f, err := openRound(ctx, tx, roundID)
	if err != nil {
		return Inspection{}, err
	}
	var v apierr.Violations
	if ok, err := lockRoundSite(ctx, tx, roundID, siteID); err != nil {
		return Inspection{}, err
	} else if !ok {
		v.Add("site_id", "site %q is not in the scope of round %s", siteID, roundID)
	}
	scores := rec.Score(&f, &v)
	if err := v.Err(); err != nil {
		return Inspection{}, err
	}
	id, err := newID()
	if err != nil {
		return Inspection{}, err
	}
	t := is.now()
	if visit.IsZero() {
		visit = t
	}
	ins := Inspection{
		ID: id, RoundID: roundID, SiteID: siteID, Inspector: by.Name, InspectorKeyID: by.KeyID,
		VisitTime: visit, CurrentRevision: 1, CreateTime: t, UpdateTime: t,
	}
	rev := Revision{
		Revision: 1, Record: rec, Author: by.Name, AuthorKeyID: by.KeyID, CreateTime: t,
		VisitScore: VisitScore(scores),
	}
	ins.Revisions = []Revision{rev}
	if err := insertInspection(ctx, tx, ins); err != nil {
		return Inspection{}, err
	}
	if err := insertRevision(ctx, tx, ins.ID, rev); err != nil {
		return Inspection{}, err
	}
	if err := replaceItemResults(ctx, tx, ins, scores); err != nil {
		return Inspection{}, err
	}
	return ins, refreshSiteScore(ctx, tx, roundID, siteID, t)
}

// Amend adds a revision with a new record and a reason inside tx; earlier
// revisions are kept as they were. The site's score is recomputed from the
// new revision.
func (is *Inspections) Amend(ctx context.Context, tx *store.Tx, by auth.Principal, id, reason string, rec Record) (Inspection, error) {
	// Lock the inspection, so concurrent amendments number their
	// revisions one after another, then its site, like Submit.
	if err := lockInspection(ctx, tx, id); errors.Is(err, errNotFound) {
		return Inspection{}, apierr.NotFound("inspection", id)
	} else if err != nil {
		return Inspection{}, err
	}
	ins, err := getInspection(ctx, tx, id)
	if err != nil {
		return Inspection{}, err
	}
	_, f, err := openRound(ctx, tx, ins.RoundID)
	if err != nil {
		return Inspection{}, err
	}
	if _, err := lockRoundSite(ctx, tx, ins.RoundID, ins.SiteID); err != nil {
		return Inspection{}, err
	}
	var v apierr.Violations
	scores := rec.Score(&f, &v)
	if err := v.Err(); err != nil {
		return Inspection{}, err
	}
	t := is.now()
	rev := Revision{
		Revision: ins.CurrentRevision + 1, Record: rec, Reason: reason, Author: by.Name, AuthorKeyID: by.KeyID,
		CreateTime: t, VisitScore: VisitScore(scores),
	}
	ins.CurrentRevision, ins.UpdateTime = rev.Revision, t
	ins.Revisions = append(ins.Revisions, rev)
	if err := insertRevision(ctx, tx, ins.ID, rev); err != nil {
		return Inspection{}, err
	}
	if err := setCurrentRevision(ctx, tx, ins); err != nil {
		return Inspection{}, err
	}
	if err := replaceItemResults(ctx, tx, ins, scores); err != nil {
		return Inspection{}, err
	}
	return ins, refreshSiteScore(ctx, tx, ins.RoundID, ins.SiteID, t)
}

// Get returns an inspection with every revision.
func (is *Inspections) Get(ctx context.Context, id string) (Inspection, error) {
	ins, err := getInspection(ctx, is.db.R, id)
	if errors.Is(err, errNotFound) {
		return Inspection{}, apierr.NotFound("inspection", id)
	}
	return ins, err
}

// List pages through a round's inspections with their current revision.
func (is *Inspections) List(ctx context.Context, roundID, siteID, after string, limit int) ([]Inspection, error) {
	return listInspections(ctx, is.db.R, roundID, siteID, after, limit)
}
