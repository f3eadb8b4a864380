package survey

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/scoring/stats"
	"github.com/wenming/wenming/internal/store"
)

// ShareQuery asks what share of a questionnaire's respondents of one
// stratum level chose some answers: how a civility-index RATE item reads
// a questionnaire question (the civility index imports this package,
// never the reverse).
type ShareQuery struct {
	QuestionnaireID, QuestionID string
	// Values are the answers that count: option codes, or scale points
	// as decimal integers.
	Values []string
	// Dimension and Level pick the respondents, e.g. community = 桂园社区.
	Dimension, Level string
	// Since and Until bound the responses' submit time, [Since, Until),
	// in Unix microseconds.
	Since, Until int64
}

// Share is the answer to a ShareQuery.
type Share struct {
	// N is the respondents of the level who answered the question.
	N int
	// Share is the weighted share of them who chose one of the values
	// (unweighted when no campaign gives population shares).
	Share float64
	// DesignEffect and EffectiveN are Kish's, of the weights of the N.
	DesignEffect, EffectiveN float64
}

// LevelShare reads every campaign of the questionnaire and its responses
// submitted in the window, and computes the weighted share (levelShare).
func LevelShare(ctx context.Context, db store.Queryer, q ShareQuery) (Share, error) {
	campaigns, err := store.SelectAll(ctx, db, campaignRow.campaign,
		selectCampaign+` WHERE questionnaire_id = ? ORDER BY id`, q.QuestionnaireID)
	if err != nil {
		return Share{}, fmt.Errorf("survey: campaigns of %s: %w", q.QuestionnaireID, err)
	}
	sets := make([]campaignResponses, 0, len(campaigns))
	for _, c := range campaigns {
		rs, err := store.SelectAll(ctx, db, responseRow.response,
			selectResponse+` AND submit_time >= ? AND submit_time < ? ORDER BY id`, c.ID, q.Since, q.Until)
		if err != nil {
			return Share{}, fmt.Errorf("survey: responses of %s: %w", c.ID, err)
		}
		sets = append(sets, campaignResponses{Campaign: c, Responses: rs})
	}
	return levelShare(sets, q), nil
}

// campaignResponses is a campaign with the responses that count.
type campaignResponses struct {
	Campaign
	Responses []Response
}

// levelShare pools the campaigns' respondents of q's level who answered
// q's question. Each campaign's responses in the window are weighted as
// GetResults weights them (cell weighting or raking to the campaign's
// population shares, or all 1), then scaled to a mean weight of 1, so
// campaigns weigh by their number of respondents. The share is
//
//	p_w = Σ w·[chose one of the values] / Σ w
//
// over the pooled respondents (stats.WeightedShare), with Kish's design
// effect and effective sample size of their weights.
func levelShare(sets []campaignResponses, q ShareQuery) Share {
	var w []float64
	var hit []bool
	for _, set := range sets {
		rs := set.Responses
		if len(rs) == 0 {
			continue
		}
		cw, _, _ := weights(set.Content, rs)
		scale := 1.0
		if cw != nil {
			var sum float64
			for _, x := range cw {
				sum += x
			}
			if sum > 0 {
				scale = float64(len(rs)) / sum
			}
		}
		dims := set.Content.GetDimensions()
		for i, r := range rs {
			if stratumMap(dims, r.Stratum)[q.Dimension] != q.Level {
				continue
			}
			for _, a := range r.Answers {
				if a.GetQuestionId() != q.QuestionID {
					continue
				}
				weight := 1.0
				if cw != nil {
					weight = cw[i] * scale
				}
				chose := false
				for _, v := range answerValues(a) {
					chose = chose || slices.Contains(q.Values, v)
				}
				w, hit = append(w, weight), append(hit, chose)
				break
			}
		}
	}
	out := Share{N: len(w)}
	if len(w) == 0 {
		return out
	}
	ws := stats.WeightedShare(w, hit)
	out.Share, out.DesignEffect, out.EffectiveN = ws.Estimate, ws.DesignEffect, ws.EffectiveN
	return out
}

// CheckShareSource says what is wrong with reading a share from question
// questionID of questionnaire questionnaireID (its newest version): the
// questionnaire or the question missing, a question not answered with
// choices or points, or a value no answer can take. Problems come keyed by
// the field of the link they concern: "questionnaire_id", "question_id" or
// "values[i]"; none means the link can be read.
func CheckShareSource(ctx context.Context, db store.Queryer, questionnaireID, questionID string, values []string) (map[string]string, error) {
	qn, err := getQuestionnaire(ctx, db, questionnaireID, 0)
	if errors.Is(err, errNotFound) {
		return map[string]string{"questionnaire_id": fmt.Sprintf("no questionnaire %q (create it before publishing)", questionnaireID)}, nil
	}
	if err != nil {
		return nil, err
	}
	var q *surveyv1.Question
	for _, x := range questions(qn.Content) {
		if x.GetId() == questionID {
			q = x
		}
	}
	if q == nil {
		return map[string]string{"question_id": fmt.Sprintf("no question %q in the questionnaire's version %d", questionID, qn.Version)}, nil
	}
	out := map[string]string{}
	switch t := q.GetType(); t {
	case surveyv1.QuestionType_QUESTION_TYPE_SINGLE, surveyv1.QuestionType_QUESTION_TYPE_MULTIPLE:
		codes := map[string]bool{}
		for _, o := range q.GetOptions() {
			codes[o.GetCode()] = true
		}
		for i, val := range values {
			if !codes[val] {
				out[fmt.Sprintf("values[%d]", i)] = fmt.Sprintf("no option %q in question %s", val, questionID)
			}
		}
	case surveyv1.QuestionType_QUESTION_TYPE_LIKERT5, surveyv1.QuestionType_QUESTION_TYPE_SCALE10:
		for i, val := range values {
			x, err := strconv.Atoi(val)
			if err == nil {
				if bad := valueInRange(q, float64(x)); bad != "" {
					err = errors.New(bad)
				}
			}
			if err != nil {
				out[fmt.Sprintf("values[%d]", i)] = fmt.Sprintf("%q is not a point of %s question %s", val, typeName(t), questionID)
			}
		}
	default:
		out["question_id"] = fmt.Sprintf("a share is read from a SINGLE, MULTIPLE, LIKERT5 or SCALE10 question, not %s (%s)", typeName(t), questionID)
	}
	return out, nil
}
