package civindex

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/scoring"
)

// Limits on framework content.
const (
	maxNameLen        = 100
	maxDescriptionLen = 2000
	maxGuidanceLen    = 1000
	maxCodeLen        = 32
	maxItems          = 500
)

// codePattern is what dimension, indicator and item ids look like: codes
// an author picks (e.g. "A1.2.3") so inspection files and exports can name
// items readably.
var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// frameworkState of one framework version.
type frameworkState string

const (
	draft     frameworkState = "DRAFT"
	published frameworkState = "PUBLISHED"
)

// Published reports whether this version is published (and so immutable).
func (f Framework) Published() bool { return f.State == published }

// Scoring method names as stored; they map 1:1 to scoring.Method.
const (
	MethodBinary    = "BINARY"
	MethodGraded    = "GRADED"
	MethodRate      = "RATE"
	MethodDeduction = "DEDUCTION"
)

var methods = map[string]scoring.Method{
	MethodBinary: scoring.Binary, MethodGraded: scoring.Graded,
	MethodRate: scoring.Rate, MethodDeduction: scoring.Deduction,
}

// level is one grade of a GRADED item.
type level struct {
	Name     string  `json:"name"`
	Fraction float64 `json:"fraction"`
}

// Item is one check item.
type Item struct {
	ID                 string  `json:"id"`
	Name               string  `json:"name"`
	MaxPoints          float64 `json:"max_points"`
	Method             string  `json:"method"`
	Levels             []level `json:"levels,omitempty"`
	MinObserved        int     `json:"min_observed,omitempty"`
	PointsPerViolation float64 `json:"points_per_violation,omitempty"`
	Optional           bool    `json:"optional,omitempty"`
	Guidance           string  `json:"guidance,omitempty"`
	// FromSurvey, on a RATE item, takes its value from a questionnaire
	// (survey_items.go) instead of an inspector.
	FromSurvey *SurveySource `json:"survey,omitempty"`
}

// SurveySource names the questionnaire question a RATE item reads.
type SurveySource struct {
	QuestionnaireID    string   `json:"questionnaire_id"`
	QuestionID         string   `json:"question_id"`
	Values             []string `json:"values"`
	CommunityDimension string   `json:"community_dimension,omitempty"`
}

// maxSurveyValues bounds the answers a survey source counts.
const maxSurveyValues = 20

// dimensionOrDefault is the campaign dimension naming the community.
func (s *SurveySource) dimensionOrDefault() string {
	if s.CommunityDimension == "" {
		return "community"
	}
	return s.CommunityDimension
}

// Survey returns the item as the scoring engine sees it.
func (it Item) Survey() scoring.Item {
	s := scoring.Item{
		ID: it.ID, MaxPoints: it.MaxPoints, Method: methods[it.Method],
		MinObserved: it.MinObserved, PointsPerViolation: it.PointsPerViolation,
	}
	for _, l := range it.Levels {
		s.Levels = append(s.Levels, scoring.Level{Name: l.Name, Fraction: l.Fraction})
	}
	return s
}

// indicator groups items.
type indicator struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Items []Item `json:"items"`
}

// dimension is a top-level area of the index.
type dimension struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Indicators []indicator `json:"indicators"`
}

// Content is what an author writes.
type Content struct {
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	Dimensions  []dimension `json:"dimensions"`
}

// Framework is one version of a framework.
type Framework struct {
	ID      string
	Version int
	State   frameworkState
	Content
	CreateTime, UpdateTime time.Time
	// PublishTime is zero while a draft.
	PublishTime time.Time
}

// itemRef is an item with the dimension it belongs to.
type itemRef struct {
	Item
	DimensionID string
}

// Items lists every item in framework order.
func (c *Content) Items() []itemRef {
	var out []itemRef
	for _, d := range c.Dimensions {
		for _, ind := range d.Indicators {
			for _, it := range ind.Items {
				out = append(out, itemRef{Item: it, DimensionID: d.ID})
			}
		}
	}
	return out
}

// DimensionIDs lists the dimension ids in framework order.
func (c *Content) DimensionIDs() []string {
	ids := make([]string, len(c.Dimensions))
	for i, dim := range c.Dimensions {
		ids[i] = dim.ID
	}
	return ids
}

// Normalize trims whitespace and upper-cases method names.
func (c *Content) Normalize() {
	c.Name = strings.TrimSpace(c.Name)
	c.Description = strings.TrimSpace(c.Description)
	for i := range c.Dimensions {
		d := &c.Dimensions[i]
		d.ID, d.Name = strings.TrimSpace(d.ID), strings.TrimSpace(d.Name)
		for j := range d.Indicators {
			ind := &d.Indicators[j]
			ind.ID, ind.Name = strings.TrimSpace(ind.ID), strings.TrimSpace(ind.Name)
			for k := range ind.Items {
				it := &ind.Items[k]
				it.ID, it.Name = strings.TrimSpace(it.ID), strings.TrimSpace(it.Name)
				it.Method = strings.ToUpper(strings.TrimSpace(it.Method))
				it.Guidance = strings.TrimSpace(it.Guidance)
				if src := it.FromSurvey; src != nil {
					src.QuestionnaireID, src.QuestionID = strings.TrimSpace(src.QuestionnaireID), strings.TrimSpace(src.QuestionID)
					src.CommunityDimension = strings.TrimSpace(src.CommunityDimension)
					for l := range src.Values {
						src.Values[l] = strings.TrimSpace(src.Values[l])
					}
				}
				for l := range it.Levels {
					it.Levels[l].Name = strings.TrimSpace(it.Levels[l].Name)
				}
			}
		}
	}
}

// ValidateDraft records the problems a draft may not have even while being
// edited: text that is too long or not UTF-8, and a missing name. Drafts may
// otherwise be incomplete.
func (c *Content) ValidateDraft(v *apierr.Violations, prefix string) {
	v.RequiredText(prefix+"name", c.Name, maxNameLen)
	v.Text(prefix+"description", c.Description, maxDescriptionLen)
	n := 0
	for i, d := range c.Dimensions {
		dp := fmt.Sprintf("%sdimensions[%d].", prefix, i)
		v.Text(dp+"id", d.ID, maxCodeLen)
		v.Text(dp+"name", d.Name, maxNameLen)
		for j, ind := range d.Indicators {
			ip := fmt.Sprintf("%sindicators[%d].", dp, j)
			v.Text(ip+"id", ind.ID, maxCodeLen)
			v.Text(ip+"name", ind.Name, maxNameLen)
			for k, it := range ind.Items {
				n++
				tp := fmt.Sprintf("%sitems[%d].", ip, k)
				v.Text(tp+"id", it.ID, maxCodeLen)
				v.Text(tp+"name", it.Name, maxNameLen)
				v.Text(tp+"guidance", it.Guidance, maxGuidanceLen)
				for l, lv := range it.Levels {
					v.Text(fmt.Sprintf("%slevels[%d].name", tp, l), lv.Name, maxNameLen)
				}
			}
		}
	}
	if n > maxItems {
		v.Add(prefix+"dimensions", "has %d check items; the limit is %d", n, maxItems)
	}
}

// Validate records every problem that stops c from being published: the
// draft checks, plus a non-empty tree, well-formed unique ids, and every
// item scoreable (positive max points and deduction, well-formed levels,
// a known method — as scoring.Item.Validate decides).
func (c *Content) Validate(v *apierr.Violations, prefix string) {
	c.ValidateDraft(v, prefix)
	seen := map[string]string{} // id → field that first used it
	code := func(field, id string) {
		if !v.Required(field, id) {
			return
		}
		if !codePattern.MatchString(id) || len(id) > maxCodeLen {
			v.Add(field, "%q is not a code: use letters, digits, '.', '_' or '-', at most %d characters", id, maxCodeLen)
			return
		}
		if first, dup := seen[id]; dup {
			v.Add(field, "id %q is already used by %s", id, first)
			return
		}
		seen[id] = field
	}
	if len(c.Dimensions) == 0 {
		v.Add(prefix+"dimensions", "a framework needs at least one dimension")
	}
	for i, d := range c.Dimensions {
		dp := fmt.Sprintf("%sdimensions[%d]", prefix, i)
		code(dp+".id", d.ID)
		v.Required(dp+".name", d.Name)
		if len(d.Indicators) == 0 {
			v.Add(dp+".indicators", "dimension %q needs at least one indicator", d.ID)
		}
		for j, ind := range d.Indicators {
			ip := fmt.Sprintf("%s.indicators[%d]", dp, j)
			code(ip+".id", ind.ID)
			v.Required(ip+".name", ind.Name)
			if len(ind.Items) == 0 {
				v.Add(ip+".items", "indicator %q needs at least one check item", ind.ID)
			}
			for k, it := range ind.Items {
				tp := fmt.Sprintf("%s.items[%d]", ip, k)
				code(tp+".id", it.ID)
				v.Required(tp+".name", it.Name)
				validateItem(v, tp, it)
			}
		}
	}
}

// validateItem adds the scoring engine's verdict on it, plus the levels of
// a non-GRADED item, which would silently be ignored.
func validateItem(v *apierr.Violations, field string, it Item) {
	m, ok := methods[it.Method]
	if !ok {
		v.Add(field+".method", "must be BINARY, GRADED, RATE or DEDUCTION, not %q", it.Method)
	}
	if m != scoring.Graded && len(it.Levels) > 0 {
		v.Add(field+".levels", "only a GRADED item has levels")
	}
	if src := it.FromSurvey; src != nil {
		validateSurveySource(v, field+".survey", it.Method, src)
	}
	s := it.Survey()
	if !ok {
		s.Method = scoring.Binary // still check the fields every method shares
	}
	if err := s.Validate(); err != nil {
		if ie, isItem := err.(*scoring.ItemError); isItem {
			v.Add(field+"."+ie.Field, "item %q: %s", it.ID, ie.Reason)
		} else {
			v.Add(field, "item %q: %v", it.ID, err)
		}
	}
}

// validateSurveySource checks the form of a survey-fed item's link. A draft
// may name a questionnaire not written yet; publishing then checks that the
// questionnaire and question exist and the values are answers the question
// takes (checkSurveySources). Until it has respondents in a round's period
// the item is not applicable.
func validateSurveySource(v *apierr.Violations, field, method string, s *SurveySource) {
	if method != MethodRate {
		v.Add(field, "only a RATE item can take its value from a questionnaire")
	}
	if v.Required(field+".questionnaire_id", s.QuestionnaireID) {
		v.Text(field+".questionnaire_id", s.QuestionnaireID, maxCodeLen*2)
	}
	if v.Required(field+".question_id", s.QuestionID) && (!codePattern.MatchString(s.QuestionID) || len(s.QuestionID) > maxCodeLen) {
		v.Add(field+".question_id", "%q is not a question id", s.QuestionID)
	}
	switch {
	case len(s.Values) == 0:
		v.Add(field+".values", "name at least one answer that counts (an option code or a scale point)")
	case len(s.Values) > maxSurveyValues:
		v.Add(field+".values", "has %d answers; the limit is %d", len(s.Values), maxSurveyValues)
	}
	seen := map[string]bool{}
	for i, val := range s.Values {
		f := fmt.Sprintf("%s.values[%d]", field, i)
		if v.RequiredText(f, val, maxCodeLen) && seen[val] {
			v.Add(f, "%q is listed twice", val)
		}
		seen[val] = true
	}
	if d := s.CommunityDimension; d != "" && (!codePattern.MatchString(d) || len(d) > maxCodeLen) {
		v.Add(field+".community_dimension", "%q is not a dimension name", d)
	}
}
