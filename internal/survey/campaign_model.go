package survey

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
)

const (
	maxDimensions = 5
	maxLevels     = 60
	maxCells      = 2000
	// shareTolerance is how far population shares may sum from 1: shares
	// typed from a census table are rounded.
	shareTolerance = 1e-3
)

var dimensionPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,31}$`)

// validateCampaign reports every problem with a campaign's content that can
// be seen without the database.
func validateCampaign(c *surveyv1.CampaignContent, v *apierr.Violations, p string) {
	v.RequiredText(p+"title", c.GetTitle(), maxTitle)
	v.RequiredText(p+"questionnaire_id", c.GetQuestionnaireId(), 64)
	if c.GetQuestionnaireVersion() <= 0 {
		v.Add(p+"questionnaire_version", "must name a published version (1 or more)")
	}
	switch {
	case c.GetStartTime() == nil:
		v.Add(p+"start_time", "is required")
	case c.GetEndTime() == nil:
		v.Add(p+"end_time", "is required")
	case !c.GetEndTime().AsTime().After(c.GetStartTime().AsTime()):
		v.Add(p+"end_time", "must be after start_time")
	}
	if len(c.GetChannels()) == 0 {
		v.Add(p+"channels", "needs at least one of PUBLIC_LINK, KIOSK, INTERVIEW")
	}
	seenCh := map[surveyv1.Channel]bool{}
	for i, ch := range c.GetChannels() {
		if _, ok := surveyv1.Channel_name[int32(ch)]; !ok || ch == surveyv1.Channel_CHANNEL_UNSPECIFIED || seenCh[ch] {
			v.Add(fmt.Sprintf("%schannels[%d]", p, i), "must be PUBLIC_LINK, KIOSK or INTERVIEW, each once")
		}
		seenCh[ch] = true
	}
	dims := c.GetDimensions()
	if len(dims) > maxDimensions {
		v.Add(p+"dimensions", "has %d; the limit is %d", len(dims), maxDimensions)
	}
	names := map[string]bool{}
	for i, d := range dims {
		dp := fmt.Sprintf("%sdimensions[%d]", p, i)
		if !dimensionPattern.MatchString(d.GetName()) || names[d.GetName()] {
			v.Add(dp+".name", "must be a unique identifier: a letter, then letters, digits, '_' or '-'")
		}
		names[d.GetName()] = true
		v.Text(dp+".label", d.GetLabel(), 50)
		if n := len(d.GetLevels()); n == 0 || n > maxLevels {
			v.Add(dp+".levels", "needs 1 to %d levels", maxLevels)
		}
		levels := map[string]bool{}
		for j, l := range d.GetLevels() {
			if !v.RequiredText(fmt.Sprintf("%s.levels[%d]", dp, j), l, 50) {
				continue
			}
			if strings.Contains(l, "/") || levels[l] {
				v.Add(fmt.Sprintf("%s.levels[%d]", dp, j), "%q must be unique in the dimension and contain no '/'", l)
			}
			levels[l] = true
		}
	}
	validateCells(c, v, p)
	validateMargins(c, v, p)
}

func validateCells(c *surveyv1.CampaignContent, v *apierr.Violations, p string) {
	cells := c.GetCells()
	if len(cells) > maxCells {
		v.Add(p+"cells", "has %d; the limit is %d", len(cells), maxCells)
		return
	}
	seen := map[string]bool{}
	withShare, total := 0, 0.0
	for i, cell := range cells {
		cp := fmt.Sprintf("%scells[%d]", p, i)
		key, field, msg := stratumKey(c.GetDimensions(), cell.GetStratum())
		if msg != "" {
			v.Add(cp+".stratum"+field, "%s", msg)
		} else if seen[key] {
			v.Add(cp+".stratum", "%s is listed twice", key)
		}
		seen[key] = true
		if cell.GetTarget() < 0 {
			v.Add(cp+".target", "must not be negative")
		}
		s := cell.GetPopulationShare()
		if math.IsNaN(s) || s < 0 || s > 1 {
			v.Add(cp+".population_share", "must be between 0 and 1")
		}
		if s > 0 {
			withShare++
			total += s
		}
	}
	if withShare > 0 && withShare < len(cells) {
		v.Add(p+"cells", "give a population_share for every cell or for none (%d of %d have one)", withShare, len(cells))
	} else if withShare > 0 && math.Abs(total-1) > shareTolerance {
		v.Add(p+"cells", "population shares sum to %.4f; they must sum to 1", total)
	}
}

func validateMargins(c *surveyv1.CampaignContent, v *apierr.Violations, p string) {
	ms := c.GetMargins()
	if len(ms) == 0 {
		return
	}
	for _, cell := range c.GetCells() {
		if cell.GetPopulationShare() > 0 {
			v.Add(p+"margins", "give cell population shares or margins, not both")
			return
		}
	}
	sums := map[string]float64{}
	seen := map[string]bool{}
	for i, m := range ms {
		mp := fmt.Sprintf("%smargins[%d]", p, i)
		d := dimension(c.GetDimensions(), m.GetDimension())
		switch {
		case d == nil:
			v.Add(mp+".dimension", "no dimension %q", m.GetDimension())
			continue
		case levelIndex(d, m.GetLevel()) < 0:
			v.Add(mp+".level", "%q is not a level of %s", m.GetLevel(), d.GetName())
			continue
		case seen[d.GetName()+"/"+m.GetLevel()]:
			v.Add(mp+".level", "%s=%s is listed twice", d.GetName(), m.GetLevel())
		}
		seen[d.GetName()+"/"+m.GetLevel()] = true
		if s := m.GetPopulationShare(); math.IsNaN(s) || s <= 0 || s > 1 {
			v.Add(mp+".population_share", "must be more than 0 and at most 1")
		}
		sums[d.GetName()] += m.GetPopulationShare()
	}
	for _, d := range c.GetDimensions() {
		for _, l := range d.GetLevels() {
			if !seen[d.GetName()+"/"+l] {
				v.Add(p+"margins", "raking needs a share for every level; %s=%s has none", d.GetName(), l)
			}
		}
		if s := sums[d.GetName()]; math.Abs(s-1) > shareTolerance {
			v.Add(p+"margins", "the shares of %s sum to %.4f; they must sum to 1", d.GetName(), s)
		}
	}
}

func dimension(dims []*surveyv1.Dimension, name string) *surveyv1.Dimension {
	for _, d := range dims {
		if d.GetName() == name {
			return d
		}
	}
	return nil
}

func levelIndex(d *surveyv1.Dimension, level string) int {
	for i, l := range d.GetLevels() {
		if l == level {
			return i
		}
	}
	return -1
}

// stratumKey is the stored form of a stratum: its levels in dimension
// order joined by "/". When s is not a stratum of dims it returns the
// offending sub-field ("" or "[name]") and what is wrong.
func stratumKey(dims []*surveyv1.Dimension, s map[string]string) (key, field, problem string) {
	parts := make([]string, len(dims))
	for i, d := range dims {
		l, ok := s[d.GetName()]
		if !ok {
			return "", "[" + d.GetName() + "]", "is required: one of " + strings.Join(d.GetLevels(), ", ")
		}
		if levelIndex(d, l) < 0 {
			return "", "[" + d.GetName() + "]", fmt.Sprintf("%q is not one of %s", l, strings.Join(d.GetLevels(), ", "))
		}
		parts[i] = l
	}
	if len(s) > len(dims) {
		extra := make([]string, 0, len(s))
		for k := range s {
			if dimension(dims, k) == nil {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		return "", "[" + extra[0] + "]", "is not a dimension of this campaign"
	}
	return strings.Join(parts, "/"), "", ""
}

// stratumMap is stratumKey's inverse.
func stratumMap(dims []*surveyv1.Dimension, key string) map[string]string {
	m := map[string]string{}
	if len(dims) == 0 {
		return m
	}
	for i, l := range strings.SplitN(key, "/", len(dims)) {
		m[dims[i].GetName()] = l
	}
	return m
}
