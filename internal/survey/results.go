package survey

import (
	"strconv"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/scoring/stats"
)

// rakeMaxPasses and rakeTolerance bound raking: margins matched to one part
// in 10⁹ are exact for any table a person reads, and real strata converge
// in a few dozen passes.
const (
	rakeMaxPasses = 1000
	rakeTolerance = 1e-9
)

// weights returns each response's post-stratification weight (nil when the
// campaign gives no population shares), the method, and the strata that
// have a share but no respondents.
func weights(c *surveyv1.CampaignContent, rs []Response) ([]float64, surveyv1.Weighting, []string) {
	dims := c.GetDimensions()
	if len(c.GetMargins()) > 0 {
		levels := make([][]int, len(rs))
		for i, r := range rs {
			m := stratumMap(dims, r.Stratum)
			levels[i] = make([]int, len(dims))
			for d, dim := range dims {
				levels[i][d] = levelIndex(dim, m[dim.GetName()])
			}
		}
		margins := make([][]float64, len(dims))
		for d, dim := range dims {
			margins[d] = make([]float64, len(dim.GetLevels()))
			for _, m := range c.GetMargins() {
				if m.GetDimension() == dim.GetName() {
					margins[d][levelIndex(dim, m.GetLevel())] = m.GetPopulationShare()
				}
			}
		}
		w, _, _ := stats.Rake(levels, margins, rakeMaxPasses, rakeTolerance)
		return w, surveyv1.Weighting_WEIGHTING_RAKING, nil
	}
	shares := map[string]float64{}
	for _, cell := range c.GetCells() {
		if cell.GetPopulationShare() > 0 {
			k, _, _ := stratumKey(dims, cell.GetStratum())
			shares[k] = cell.GetPopulationShare()
		}
	}
	if len(shares) == 0 {
		return nil, surveyv1.Weighting_WEIGHTING_NONE, nil
	}
	counts := map[string]int{}
	for _, r := range rs {
		counts[r.Stratum]++
	}
	cw, empty := stats.CellWeights(counts, shares)
	w := make([]float64, len(rs))
	for i, r := range rs {
		w[i] = cw[r.Stratum]
	}
	return w, surveyv1.Weighting_WEIGHTING_CELL, empty
}

// computeResults is every figure GetResults shows, from the campaign's
// responses to questionnaire q.
func computeResults(c Campaign, q *surveyv1.QuestionnaireContent, rs []Response) *surveyv1.GetResultsResponse {
	w, method, empty := weights(c.Content, rs)
	out := &surveyv1.GetResultsResponse{
		CampaignId: c.ID, Responses: int32(len(rs)), Weighting: method, EmptyStrata: empty,
		DesignEffect: 1, EffectiveN: float64(len(rs)),
	}
	if w != nil {
		out.DesignEffect, out.EffectiveN = stats.Kish(w)
	}
	for _, qu := range questions(q) {
		out.Questions = append(out.Questions, questionResult(c.Content, qu, rs, w))
	}
	return out
}

// answered is the respondents (indexes into rs) who answered a question,
// with their answers.
type answered struct {
	idx     []int
	answers []*surveyv1.Answer
}

func answersTo(id string, rs []Response, keep func(Response) bool) answered {
	var a answered
	for i, r := range rs {
		if !keep(r) {
			continue
		}
		for _, ans := range r.Answers {
			if ans.GetQuestionId() == id {
				a.idx = append(a.idx, i)
				a.answers = append(a.answers, ans)
				break
			}
		}
	}
	return a
}

func questionResult(c *surveyv1.CampaignContent, q *surveyv1.Question, rs []Response, w []float64) *surveyv1.QuestionResult {
	all := answersTo(q.GetId(), rs, func(Response) bool { return true })
	res := &surveyv1.QuestionResult{QuestionId: q.GetId(), Type: q.GetType(), Text: q.GetText().GetZh(), N: int32(len(all.idx))}
	switch q.GetType() {
	case surveyv1.QuestionType_QUESTION_TYPE_TEXT:
		return res // exported, never aggregated
	case surveyv1.QuestionType_QUESTION_TYPE_MATRIX:
		res.Rows = matrixRows(q, all, w)
		return res
	}
	res.Shares = shares(q, all, w)
	res.Mean = meanOf(q, all, w)
	for _, d := range c.GetDimensions() {
		for _, l := range d.GetLevels() {
			name, level := d.GetName(), l
			sub := answersTo(q.GetId(), rs, func(r Response) bool { return stratumMap(c.GetDimensions(), r.Stratum)[name] == level })
			res.CrossTabs = append(res.CrossTabs, &surveyv1.CrossTabLevel{
				Dimension: name, Level: level, N: int32(len(sub.idx)), Shares: shares(q, sub, nil), Mean: meanOf(q, sub, nil),
			})
		}
	}
	return res
}

// categories are the codes and labels a question's shares are counted
// over: its options, or the points of its scale.
func categories(q *surveyv1.Question) (codes, labels []string) {
	switch q.GetType() {
	case surveyv1.QuestionType_QUESTION_TYPE_SINGLE, surveyv1.QuestionType_QUESTION_TYPE_MULTIPLE, surveyv1.QuestionType_QUESTION_TYPE_MATRIX:
		for _, o := range q.GetOptions() {
			codes = append(codes, o.GetCode())
			labels = append(labels, o.GetText().GetZh())
		}
	case surveyv1.QuestionType_QUESTION_TYPE_LIKERT5:
		for i := 1; i <= 5; i++ {
			codes = append(codes, strconv.Itoa(i))
			if len(q.GetOptions()) == 5 {
				labels = append(labels, q.GetOptions()[i-1].GetText().GetZh())
			} else {
				labels = append(labels, likertLabels[i-1])
			}
		}
	case surveyv1.QuestionType_QUESTION_TYPE_SCALE10:
		for i := 0; i <= 10; i++ {
			codes = append(codes, strconv.Itoa(i))
			labels = append(labels, strconv.Itoa(i))
		}
	}
	return codes, labels
}

// shares counts each category among the respondents in a: the share of
// respondents choosing it (for MULTIPLE they need not sum to 1), with the
// Wilson interval and, given weights, the weighted share.
func shares(q *surveyv1.Question, a answered, w []float64) []*surveyv1.Share {
	codes, labels := categories(q)
	var out []*surveyv1.Share
	for k, code := range codes {
		hit := make([]bool, len(a.answers))
		count := 0
		for i, ans := range a.answers {
			for _, v := range answerValues(ans) {
				if v == code {
					hit[i] = true
				}
			}
			if hit[i] {
				count++
			}
		}
		out = append(out, share(code, labels[k], count, hit, a.idx, w))
	}
	return out
}

func share(code, label string, count int, hit []bool, idx []int, w []float64) *surveyv1.Share {
	n := len(hit)
	s := &surveyv1.Share{Code: code, Label: label, Count: int32(count), Ci: interval(stats.Wilson(count, n))}
	if n > 0 {
		s.Share = float64(count) / float64(n)
	}
	if w != nil {
		s.Weighted = weighted(stats.WeightedShare(pick(w, idx), hit))
	}
	return s
}

func meanOf(q *surveyv1.Question, a answered, w []float64) *surveyv1.Mean {
	switch q.GetType() {
	case surveyv1.QuestionType_QUESTION_TYPE_LIKERT5, surveyv1.QuestionType_QUESTION_TYPE_SCALE10, surveyv1.QuestionType_QUESTION_TYPE_NUMBER:
	default:
		return nil
	}
	xs := make([]float64, len(a.answers))
	for i, ans := range a.answers {
		xs[i] = ans.GetValue()
	}
	m, ci, n := stats.MeanCI95(xs)
	out := &surveyv1.Mean{N: int32(n), Mean: m, Ci: interval(ci)}
	if w != nil {
		out.Weighted = weighted(stats.WeightedMean(pick(w, a.idx), xs))
	}
	return out
}

func matrixRows(q *surveyv1.Question, a answered, w []float64) []*surveyv1.MatrixRow {
	codes, labels := categories(q)
	var out []*surveyv1.MatrixRow
	for _, row := range q.GetRows() {
		var idx []int
		var picked []string
		for i, ans := range a.answers {
			if v, ok := ans.GetMatrix()[row.GetCode()]; ok {
				idx = append(idx, a.idx[i])
				picked = append(picked, v)
			}
		}
		mr := &surveyv1.MatrixRow{Code: row.GetCode(), Label: row.GetText().GetZh(), N: int32(len(idx))}
		for k, code := range codes {
			hit := make([]bool, len(picked))
			count := 0
			for i, v := range picked {
				if v == code {
					hit[i] = true
					count++
				}
			}
			mr.Shares = append(mr.Shares, share(code, labels[k], count, hit, idx, w))
		}
		out = append(out, mr)
	}
	return out
}

func pick(w []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for i, j := range idx {
		out[i] = w[j]
	}
	return out
}

func interval(i stats.Interval) *surveyv1.Interval { return &surveyv1.Interval{Lo: i.Lo, Hi: i.Hi} }

func weighted(x stats.Weighted) *surveyv1.Weighted {
	return &surveyv1.Weighted{Estimate: x.Estimate, Ci: interval(x.CI), DesignEffect: x.DesignEffect, EffectiveN: x.EffectiveN}
}
