package civindex

import (
	"context"
	"errors"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/store"
)

// inspections records visits.
type inspections struct{ base }

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
func (is *inspections) Submit(ctx context.Context, tx *store.Tx, by auth.Principal, roundID, siteID string,
	visit time.Time, rec Record) (inspection, error) {
	r, f, err := openRound(ctx, tx, roundID)
	if err != nil {
		return inspection{}, err
	}
	var v apierr.Violations
	if ok, err := lockRoundSite(ctx, tx, roundID, siteID); err != nil {
		return inspection{}, err
	} else if !ok {
		v.Add("site_id", "site %q is not in the scope of round %s", siteID, roundID)
	}
	scores := rec.Score(&f, &v)
	if err := v.Err(); err != nil {
		return inspection{}, err
	}
	id, err := newID()
	if err != nil {
		return inspection{}, err
	}
	t := is.now()
	if visit.IsZero() {
		visit = t
	}
	ins := inspection{
		ID: id, RoundID: roundID, SiteID: siteID, Inspector: by.Name, InspectorKeyID: by.KeyID,
		VisitTime: visit, CurrentRevision: 1, CreateTime: t, UpdateTime: t,
	}
	rev := revision{
		Revision: 1, Record: rec, Author: by.Name, AuthorKeyID: by.KeyID, CreateTime: t,
		VisitScore: visitScore(scores),
	}
	ins.Revisions = []revision{rev}
	if err := insertInspection(ctx, tx, ins); err != nil {
		return inspection{}, err
	}
	if err := insertRevision(ctx, tx, ins.ID, rev); err != nil {
		return inspection{}, err
	}
	if err := replaceItemResults(ctx, tx, ins, scores); err != nil {
		return inspection{}, err
	}
	if err := refreshSiteScore(ctx, tx, roundID, siteID, t); err != nil {
		return inspection{}, err
	}
	return ins, is.recorded(ctx, tx, r.Kind, ins, rev, scores)
}

// Amend adds a revision with a new record and a reason inside tx; earlier
// revisions are kept as they were. The site's score is recomputed from the
// new revision.
func (is *inspections) Amend(ctx context.Context, tx *store.Tx, by auth.Principal, id, reason string, rec Record) (inspection, error) {
	// Lock the inspection, so concurrent amendments number their
	// revisions one after another, then its site, like Submit.
	if err := lockInspection(ctx, tx, id); errors.Is(err, errNotFound) {
		return inspection{}, apierr.NotFound("inspection", id)
	} else if err != nil {
		return inspection{}, err
	}
	ins, err := getInspection(ctx, tx, id)
	if err != nil {
		return inspection{}, err
	}
	r, f, err := openRound(ctx, tx, ins.RoundID)
	if err != nil {
		return inspection{}, err
	}
	if _, err := lockRoundSite(ctx, tx, ins.RoundID, ins.SiteID); err != nil {
		return inspection{}, err
	}
	var v apierr.Violations
	scores := rec.Score(&f, &v)
	if err := v.Err(); err != nil {
		return inspection{}, err
	}
	t := is.now()
	rev := revision{
		Revision: ins.CurrentRevision + 1, Record: rec, Reason: reason, Author: by.Name, AuthorKeyID: by.KeyID,
		CreateTime: t, VisitScore: visitScore(scores),
	}
	ins.CurrentRevision, ins.UpdateTime = rev.Revision, t
	ins.Revisions = append(ins.Revisions, rev)
	if err := insertRevision(ctx, tx, ins.ID, rev); err != nil {
		return inspection{}, err
	}
	if err := setCurrentRevision(ctx, tx, ins); err != nil {
		return inspection{}, err
	}
	if err := replaceItemResults(ctx, tx, ins, scores); err != nil {
		return inspection{}, err
	}
	if err := refreshSiteScore(ctx, tx, ins.RoundID, ins.SiteID, t); err != nil {
		return inspection{}, err
	}
	return ins, is.recorded(ctx, tx, r.Kind, ins, rev, scores)
}

// Get returns an inspection with every revision.
func (is *inspections) Get(ctx context.Context, id string) (inspection, error) {
	ins, err := getInspection(ctx, is.db.R, id)
	if errors.Is(err, errNotFound) {
		return inspection{}, apierr.NotFound("inspection", id)
	}
	return ins, err
}

// List pages through a round's inspections with their current revision.
func (is *inspections) List(ctx context.Context, roundID, siteID, after string, limit int) ([]inspection, error) {
	return listInspections(ctx, is.db.R, roundID, siteID, after, limit)
}

// recorded links a revision just written to its round's hash chain and
// tells the hooks (supervision) about it, in the same transaction.
func (is *inspections) recorded(ctx context.Context, tx *store.Tx, kind string, ins inspection, rev revision, scores []scoring.ItemScore) error {
	if err := appendChain(ctx, tx, ins.RoundID, ins.ID, rev.Revision, store.Micros(rev.CreateTime)); err != nil {
		return err
	}
	if is.hooks.Recorded == nil {
		return nil
	}
	return is.hooks.Recorded(ctx, tx, Recorded{
		RoundID: ins.RoundID, RoundKind: kind, SiteID: ins.SiteID, InspectionID: ins.ID, Revision: rev.Revision,
		InspectionCreateTime: ins.CreateTime, At: rev.CreateTime, Items: scores,
	})
}
