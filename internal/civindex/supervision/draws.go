package supervision

import (
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/store"
)

// Draw states as stored.
const (
	Committed = "COMMITTED"
	Drawn     = "DRAWN"
)

// maxFrame caps a draw's frame (a round's scope has the same cap).
const maxFrame = 5000

// Draw is a spot-check draw.
type Draw struct {
	ID, Name, State        string
	Frame                  Frame
	Statement, FrameSHA256 string
	Commitment, Seed       string
	Sample                 []string
	RoundID                string
	CommitTime, RevealTime time.Time
}

// DrawSpec is what an admin commits to.
type DrawSpec struct {
	Name       string
	Strata     string
	SiteIDs    []string
	Allocation Allocation
	Commitment string
}

// Validate records problems with the spec that need no database.
func (d *DrawSpec) Validate(v *apierr.Violations) {
	v.RequiredText("name", d.Name, 200)
	if d.Strata != StrataCategory && d.Strata != StrataUnit {
		v.Add("strata", "is required: DRAW_STRATA_CATEGORY or DRAW_STRATA_UNIT")
	}
	if len(d.SiteIDs) > maxFrame {
		v.Add("site_ids", "has %d sites; the limit is %d", len(d.SiteIDs), maxFrame)
	}
	d.Commitment = strings.ToLower(strings.TrimSpace(d.Commitment))
	if b, err := hex.DecodeString(d.Commitment); err != nil || len(b) != 32 {
		v.Add("commitment", "must be the SHA-256 of the seed as 64 hex digits")
	}
}

func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return id.String(), nil
}

// CommitDraw builds the frame from the named sites (every site when none
// are named), checks it and stores the draw with its commitment.
func (s *Service) CommitDraw(ctx context.Context, tx *store.Tx, spec DrawSpec) (Draw, error) {
	sites, err := frameSites(ctx, tx, spec.SiteIDs)
	if err != nil {
		return Draw{}, err
	}
	var v apierr.Violations
	if len(spec.SiteIDs) > 0 {
		found := map[string]bool{}
		for _, st := range sites {
			found[st.ID] = true
		}
		for i, id := range spec.SiteIDs {
			if !found[id] {
				v.Add("site_ids", "site %q (at %d) does not exist", id, i)
			}
		}
	}
	if len(sites) > maxFrame {
		v.Add("site_ids", "the frame has %d sites; the limit is %d", len(sites), maxFrame)
	}
	f := Frame{Strata: spec.Strata, Allocation: spec.Allocation}
	for _, st := range sites {
		stratum := st.Category
		if spec.Strata == StrataUnit {
			stratum = st.Unit
		}
		f.Sites = append(f.Sites, FrameSite{SiteID: st.ID, Stratum: stratum})
	}
	for field, problem := range f.Check() {
		v.Add(field, "%s", problem)
	}
	if err := v.Err(); err != nil {
		return Draw{}, err
	}
	id, err := newID()
	if err != nil {
		return Draw{}, err
	}
	st := f.Statement()
	d := Draw{
		ID: id, Name: spec.Name, State: Committed, Frame: f, Statement: st, FrameSHA256: SHA256Hex([]byte(st)),
		Commitment: spec.Commitment, CommitTime: s.now(),
	}
	return d, insertDraw(ctx, tx, d)
}

// RoundPlan is the spot-check round a reveal creates.
type RoundPlan struct {
	Name             string
	FrameworkID      string
	FrameworkVersion int
	Start, End       time.Time
}

// RevealDraw checks the seed against the commitment, draws the sample and
// creates the SPOT_CHECK round over it, all in tx. Revealing again with
// the same seed returns the draw as it is.
func (s *Service) RevealDraw(ctx context.Context, tx *store.Tx, id, seedHex string, plan RoundPlan) (Draw, error) {
	d, err := getDraw(ctx, tx, id, forUpdate(tx))
	if errors.Is(err, errNotFound) {
		return Draw{}, apierr.NotFound("draw", id)
	}
	if err != nil {
		return Draw{}, err
	}
	seed, err := ParseSeed(seedHex)
	if err != nil {
		return Draw{}, apierr.Field("seed", "%v", err)
	}
	if d.State == Drawn {
		if hex.EncodeToString(seed) == d.Seed {
			return d, nil
		}
		return Draw{}, apierr.FailedPrecondition(apierr.DrawStateForbids, "draw %s was already revealed with another seed", id)
	}
	if c := Commitment(seed); c != d.Commitment {
		return Draw{}, apierr.FailedPrecondition(apierr.DrawSeedMismatch,
			"the seed's SHA-256 is %s but draw %s committed to %s; nothing was drawn", c, id, d.Commitment)
	}
	d.Seed = hex.EncodeToString(seed)
	d.Sample = d.Frame.Sample(seed)
	r, err := s.Civ.Rounds.Create(ctx, tx, civindex.RoundSpec{
		Name: plan.Name, Kind: civindex.SpotCheck, FrameworkID: plan.FrameworkID, FrameworkVersion: plan.FrameworkVersion,
		Start: plan.Start, End: plan.End, SiteIDs: d.Sample,
	})
	if err != nil {
		return Draw{}, err
	}
	d.State, d.RoundID, d.RevealTime = Drawn, r.ID, s.now()
	return d, revealDraw(ctx, tx, d)
}

// GetDraw returns a draw with its frame.
func (s *Service) GetDraw(ctx context.Context, id string) (Draw, error) {
	d, err := getDraw(ctx, s.db.R, id, "")
	if errors.Is(err, errNotFound) {
		return Draw{}, apierr.NotFound("draw", id)
	}
	return d, err
}

// ListDraws pages through draws, newest first, without their frames.
func (s *Service) ListDraws(ctx context.Context, after string, limit int) ([]Draw, error) {
	return listDraws(ctx, s.db.R, after, limit)
}

// Document is the draw as the verifier reads it.
func (d Draw) Document() DrawDocument {
	doc := DrawDocument{
		Format: DrawFormat, DrawID: d.ID, Name: d.Name, Statement: d.Statement, FrameSHA256: d.FrameSHA256,
		Commitment: d.Commitment, Seed: d.Seed, Sample: d.Sample, RoundID: d.RoundID,
		CommitTime: d.CommitTime.UTC().Format(time.RFC3339Nano),
	}
	if doc.Sample == nil {
		doc.Sample = []string{}
	}
	if !d.RevealTime.IsZero() {
		doc.RevealTime = d.RevealTime.UTC().Format(time.RFC3339Nano)
	}
	return doc
}
