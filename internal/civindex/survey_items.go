package civindex

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/survey"
)

// surveyVisit scores a round's survey-fed items (Item.FromSurvey) at a
// site, as one more visit beside the inspectors': for each such item, the
// weighted share p_w of the site's community's respondents who chose the
// item's answers (survey.LevelShare, responses submitted in the round's
// period), scored as a RATE observation would be — max × p_w — when at
// least min_observed respondents answered; with fewer, the item is not
// applicable at the site (it leaves the numerator and the denominator).
// The site's community is the level of the source's dimension equal to
// the site's name. It returns nil when the framework has no such item.
func surveyVisit(ctx context.Context, db store.Queryer, roundID, siteID string) ([]scoring.ItemScore, error) {
	r, err := getRoundHead(ctx, db, roundID)
	if err != nil {
		return nil, err
	}
	f, err := getFramework(ctx, db, r.FrameworkID, r.FrameworkVersion)
	if err != nil {
		return nil, err
	}
	var fed []itemRef
	for _, it := range f.Items() {
		if it.FromSurvey != nil {
			fed = append(fed, it)
		}
	}
	if len(fed) == 0 {
		return nil, nil
	}
	site, err := getSite(ctx, db, siteID)
	if err != nil {
		return nil, err
	}
	var out []scoring.ItemScore
	for _, it := range fed {
		src := it.FromSurvey
		sh, err := survey.LevelShare(ctx, db, survey.ShareQuery{
			QuestionnaireID: src.QuestionnaireID, QuestionID: src.QuestionID, Values: src.Values,
			Dimension: src.dimensionOrDefault(), Level: site.Name,
			Since: store.Micros(r.Start), Until: store.Micros(r.End),
		})
		if err != nil {
			return nil, err
		}
		out = append(out, surveyItemScore(it, sh))
	}
	return out, nil
}

// surveyItemScore is a survey-fed item's result: the RATE rule applied to
// the respondents (n = sh.N, the share p_w).
func surveyItemScore(it itemRef, sh survey.Share) scoring.ItemScore {
	s := scoring.ItemScore{ItemID: it.ID, DimensionID: it.DimensionID, MaxPoints: it.MaxPoints}
	if sh.N > 0 && sh.N >= it.MinObserved {
		s.Points, s.Applicable = it.MaxPoints*sh.Share, true
	}
	return s
}

// refreshSurveyItems rescores every scored site of a round, so its
// survey-fed items read the responses as they are now; closing a round
// does this, fixing the index to the survey as it stood at the close. A
// round whose framework has no survey-fed item is left alone.
func refreshSurveyItems(ctx context.Context, tx *store.Tx, roundID string, at time.Time) error {
	r, err := getRoundHead(ctx, tx, roundID)
	if err != nil {
		return err
	}
	f, err := getFramework(ctx, tx, r.FrameworkID, r.FrameworkVersion)
	if err != nil {
		return err
	}
	fed := false
	for _, it := range f.Items() {
		fed = fed || it.FromSurvey != nil
	}
	if !fed {
		return nil
	}
	scores, err := roundScores(ctx, tx, roundID, "", false)
	if err != nil {
		return err
	}
	for _, s := range scores {
		if err := refreshSiteScore(ctx, tx, roundID, s.SiteID, at); err != nil {
			return err
		}
	}
	return nil
}

// checkSurveySources adds a violation for each survey-fed item whose link
// cannot be read: the questionnaire or question missing, or a value no
// answer can take (survey.CheckShareSource). Publishing checks this, so a
// typo in an id is refused instead of leaving the item never applicable.
func checkSurveySources(ctx context.Context, db store.Queryer, c Content, v *apierr.Violations, prefix string) error {
	for i, d := range c.Dimensions {
		for j, ind := range d.Indicators {
			for k, it := range ind.Items {
				src := it.FromSurvey
				if src == nil || src.QuestionnaireID == "" || src.QuestionID == "" {
					continue // Validate has named what is missing
				}
				problems, err := survey.CheckShareSource(ctx, db, src.QuestionnaireID, src.QuestionID, src.Values)
				if err != nil {
					return err
				}
				field := fmt.Sprintf("%sdimensions[%d].indicators[%d].items[%d].survey.", prefix, i, j, k)
				for _, sub := range slices.Sorted(maps.Keys(problems)) {
					v.Add(field+sub, "%s", problems[sub])
				}
			}
		}
	}
	return nil
}
