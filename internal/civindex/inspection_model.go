package civindex

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/scoring"
)

// Limits on inspection content.
const (
	maxNotesLen    = 2000
	maxNoteLen     = 500
	maxReasonLen   = 500
	maxEvidence    = 20
	maxURLLen      = 2000
	maxCaptionLen  = 200
	maxResultCount = maxItems
)

// Result is what an inspector recorded for one item; Points is filled in
// when it is scored.
type Result struct {
	ItemID        string  `json:"item_id"`
	NotApplicable bool    `json:"not_applicable,omitempty"`
	NAReason      string  `json:"na_reason,omitempty"`
	Met           bool    `json:"met,omitempty"`
	Level         string  `json:"level,omitempty"`
	Compliant     int     `json:"compliant,omitempty"`
	Observed      int     `json:"observed,omitempty"`
	Violations    int     `json:"violations,omitempty"`
	Note          string  `json:"note,omitempty"`
	Points        float64 `json:"points"`
}

func (r Result) observation() scoring.Observation {
	return scoring.Observation{
		NotApplicable: r.NotApplicable, NAReason: r.NAReason, Met: r.Met, Level: r.Level,
		Compliant: r.Compliant, Observed: r.Observed, Violations: r.Violations,
	}
}

// Evidence is a photo or document reference.
type Evidence struct {
	URL     string `json:"url"`
	SHA256  string `json:"sha256"`
	Caption string `json:"caption,omitempty"`
}

// Record is the part of an inspection that a revision replaces.
type Record struct {
	Results  []Result
	Notes    string
	Evidence []Evidence
}

// revision is one submitted state of an inspection.
type revision struct {
	Revision int
	Record
	Reason              string
	Author, AuthorKeyID string
	CreateTime          time.Time
	// VisitScore is this visit's own score, for the inspector's tablet.
	VisitScore float64
}

// inspection is one visit to one site in a round.
type inspection struct {
	ID, RoundID, SiteID       string
	Inspector, InspectorKeyID string
	VisitTime                 time.Time
	CurrentRevision           int
	// Revisions are oldest first; lists carry only the current one.
	Revisions              []revision
	CreateTime, UpdateTime time.Time
}

// Normalize trims text and lower-cases evidence hashes.
func (r *Record) Normalize() {
	r.Notes = strings.TrimSpace(r.Notes)
	for i := range r.Results {
		res := &r.Results[i]
		res.ItemID = strings.TrimSpace(res.ItemID)
		res.NAReason = strings.TrimSpace(res.NAReason)
		res.Level = strings.TrimSpace(res.Level)
		res.Note = strings.TrimSpace(res.Note)
	}
	for i := range r.Evidence {
		e := &r.Evidence[i]
		e.URL = strings.TrimSpace(e.URL)
		e.SHA256 = strings.ToLower(strings.TrimSpace(e.SHA256))
		e.Caption = strings.TrimSpace(e.Caption)
	}
}

// Validate records the problems that need no framework: text limits and
// evidence references.
func (r *Record) Validate(v *apierr.Violations) {
	v.Text("notes", r.Notes, maxNotesLen)
	if len(r.Results) == 0 {
		v.Add("results", "an inspection needs a result for each check item")
	}
	if len(r.Results) > maxResultCount {
		v.Add("results", "has %d results; the limit is %d", len(r.Results), maxResultCount)
	}
	for i, res := range r.Results {
		v.Text(fmt.Sprintf("results[%d].note", i), res.Note, maxNoteLen)
		v.Text(fmt.Sprintf("results[%d].na_reason", i), res.NAReason, maxNoteLen)
	}
	if len(r.Evidence) > maxEvidence {
		v.Add("evidence", "has %d references; the limit is %d", len(r.Evidence), maxEvidence)
	}
	for i, e := range r.Evidence {
		f := fmt.Sprintf("evidence[%d]", i)
		if u, err := url.Parse(e.URL); e.URL == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.Add(f+".url", "must be an absolute http(s) URL")
		} else {
			v.Text(f+".url", e.URL, maxURLLen)
		}
		if b, err := hex.DecodeString(e.SHA256); err != nil || len(b) != 32 {
			v.Add(f+".sha256", "must be the file's SHA-256 as 64 hex digits")
		}
		v.Text(f+".caption", e.Caption, maxCaptionLen)
	}
}

// Score checks every result against its item in f and scores it, filling
// in Points. Problems go to v, each naming the result's field and the item:
// an unknown or repeated item, an observation the item's method cannot
// score (scoring.ObservationError), a required item without a result.
func (r *Record) Score(f *Framework, v *apierr.Violations) []scoring.ItemScore {
	items := map[string]itemRef{}
	for _, it := range f.Items() {
		items[it.ID] = it
	}
	at := map[string]int{}
	var out []scoring.ItemScore
	for i := range r.Results {
		res := &r.Results[i]
		field := fmt.Sprintf("results[%d]", i)
		it, ok := items[res.ItemID]
		switch {
		case res.ItemID == "":
			v.Add(field+".item_id", "is required")
			continue
		case !ok:
			v.Add(field+".item_id", "item %q is not in framework %s version %d", res.ItemID, f.ID, f.Version)
			continue
		}
		if it.FromSurvey != nil {
			v.Add(field+".item_id", "item %q (%s) takes its value from questionnaire %s; leave it out", it.ID, it.Name, it.FromSurvey.QuestionnaireID)
			continue
		}
		if j, dup := at[res.ItemID]; dup {
			v.Add(field+".item_id", "item %q already has a result at results[%d]", res.ItemID, j)
			continue
		}
		at[res.ItemID] = i
		points, applicable, err := it.Survey().Score(res.observation())
		var oe *scoring.ObservationError
		switch {
		case errors.As(err, &oe):
			v.Add(field+"."+oe.Field, "item %q (%s): %s", it.ID, it.Name, oe.Reason)
			continue
		case err != nil:
			v.Add(field, "item %q (%s) cannot be scored: %v", it.ID, it.Name, err)
			continue
		}
		res.Points = points
		out = append(out, scoring.ItemScore{
			ItemID: it.ID, DimensionID: it.DimensionID, MaxPoints: it.MaxPoints,
			Points: points, Applicable: applicable,
		})
	}
	for _, it := range f.Items() {
		if _, ok := at[it.ID]; !ok && !it.Optional && it.FromSurvey == nil {
			v.Add("results", "required item %q (%s) has no result; score it or mark it not applicable with a reason", it.ID, it.Name)
		}
	}
	return out
}

// visitScore is one visit's score, computed as a site score of one visit.
func visitScore(scores []scoring.ItemScore) float64 {
	return scoring.ScoreSite([][]scoring.ItemScore{scores}).Score
}
