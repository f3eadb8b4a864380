package supervision

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// The annual assessment (年度考核; docs/supervision.md, "The annual
// assessment"). A scorecard gives each component a weight (points, adding
// up to 100); each component's value is normalised to a share in [0, 1]
// and earns weight × share points; a unit's total is the sum.

// Component ids, in the order they are shown.
const (
	CompCivility      = "civility"
	CompSatisfaction  = "satisfaction"
	CompCasesInTime   = "cases_in_time"
	CompRectification = "rectification"
	CompQuiz          = "quiz"
)

// Components lists the component ids in display order.
var Components = []string{CompCivility, CompSatisfaction, CompCasesInTime, CompRectification, CompQuiz}

// componentNames are the Chinese names used in exports and the formula.
var componentNames = map[string]string{
	CompCivility: "文明指数", CompSatisfaction: "服务满意度", CompCasesInTime: "差评按时办结率",
	CompRectification: "整改按时完成率", CompQuiz: "知识竞赛参与率",
}

// Weights are the points per component.
type Weights map[string]float64

// Check reports problems with weights by component.
func (w Weights) Check() []string {
	var out []string
	sum := 0.0
	for _, c := range Components {
		x := w[c]
		if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			out = append(out, fmt.Sprintf("%s: weight %v must be a number ≥ 0", c, x))
		}
		sum += x
	}
	if math.Abs(sum-100) > 1e-9 {
		out = append(out, fmt.Sprintf("the weights add up to %v; they must add up to 100", sum))
	}
	return out
}

// UnitInputs are the raw figures of one unit for one year.
type UnitInputs struct {
	Unit string
	// Civility: the unit's site scores in SPOT_CHECK and OFFICIAL rounds
	// of the year (one per site and round).
	SiteScores []float64
	// Satisfaction: the sum and count of the department's ratings.
	RatingSum   float64
	RatingCount int
	// Cases: bad-review cases opened in the year, and those closed before
	// their due time.
	Cases, CasesInTime int
	// Tasks: rectification tasks from rounds starting in the year, and those closed by
	// their due time.
	Tasks, TasksInTime int
	// Quiz: participants in the unit's communities, and the target.
	Participants, QuizTarget int
	// Registered is false for a unit that has sites but no civ_units row
	// (no department, no communities).
	Registered bool
}

// Component is one component of a unit's result.
type Component struct {
	ID                   string
	Value, Share, Points float64
	Weight               float64
	Detail               string
}

// UnitResult is one unit's assessment.
type UnitResult struct {
	Unit       string
	Rank       int
	Total      float64
	Components []Component
	// Raise is the component with the most points still to gain
	// (weight − points; ties to the earlier component), and Gain how many.
	Raise string
	Gain  float64
}

// Assess computes every unit's result with the given weights and prior
// weight; priorMean is the mean of every rating of the year.
func Assess(units []UnitInputs, w Weights, priorMean, priorWeight float64) []UnitResult {
	out := make([]UnitResult, 0, len(units))
	for _, u := range units {
		r := UnitResult{Unit: u.Unit}
		for _, c := range Components {
			comp := component(c, u, priorMean, priorWeight)
			comp.Weight = w[c]
			comp.Points = comp.Weight * comp.Share
			r.Total += comp.Points
			if gain := comp.Weight - comp.Points; gain > r.Gain+1e-12 {
				r.Raise, r.Gain = c, gain
			}
			r.Components = append(r.Components, comp)
		}
		out = append(out, r)
	}
	rankResults(out)
	return out
}

// component computes one component's value and share.
func component(id string, u UnitInputs, priorMean, priorWeight float64) Component {
	c := Component{ID: id}
	switch id {
	case CompCivility:
		if n := len(u.SiteScores); n > 0 {
			sum := 0.0
			for _, s := range u.SiteScores {
				sum += s
			}
			c.Value = sum / float64(n)
			c.Detail = fmt.Sprintf("%d 个站点测评结果，均分 %.2f", n, c.Value)
		} else {
			c.Detail = "当年抽查、正式测评中没有本单位站点的结果，按 0 计"
		}
		c.Share = clamp(c.Value / 100)
	case CompSatisfaction:
		pw := max(priorWeight, 0)
		if den := pw + float64(u.RatingCount); den > 0 {
			c.Value = (pw*priorMean + u.RatingSum) / den
		} else {
			c.Value = priorMean
		}
		c.Share = clamp((c.Value - 1) / 4)
		c.Detail = fmt.Sprintf("%d 条评价，总分 %g；先验均值 %.4f，权重 %g", u.RatingCount, u.RatingSum, priorMean, pw)
	case CompCasesInTime:
		c.Value, c.Detail = shareOr1(u.CasesInTime, u.Cases, "件差评", "按时办结")
		c.Share = c.Value
	case CompRectification:
		c.Value, c.Detail = shareOr1(u.TasksInTime, u.Tasks, "项整改任务", "按时完成")
		c.Share = c.Value
	case CompQuiz:
		c.Value = float64(u.Participants)
		if u.QuizTarget > 0 {
			c.Share = clamp(float64(u.Participants) / float64(u.QuizTarget))
			c.Detail = fmt.Sprintf("参与 %d 人，目标 %d 人", u.Participants, u.QuizTarget)
		} else {
			c.Share = 1
			c.Detail = fmt.Sprintf("参与 %d 人；未设目标，按 1 计", u.Participants)
		}
	}
	return c
}

// shareOr1 is a/n, or 1 when nothing was due; the detail reads e.g.
// "5 件差评中按时办结 4 件" (things: "件差评", done: "按时办结").
func shareOr1(a, n int, things, done string) (float64, string) {
	if n == 0 {
		return 1, "当年没有应办的" + strings.TrimLeft(things, "件项") + "，按 1 计"
	}
	return float64(a) / float64(n), fmt.Sprintf("%d %s中%s %d %s", n, things, done, a, string([]rune(things)[0]))
}

func clamp(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// round2 rounds to 2 decimals, as totals are shown and compared.
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// rankResults sorts by total (rounded to 2 decimals) descending, then unit
// name, and gives equal rounded totals the same rank (1, 2, 2, 4).
func rankResults(rs []UnitResult) {
	slices.SortFunc(rs, func(a, b UnitResult) int {
		if c := cmp.Compare(round2(b.Total), round2(a.Total)); c != 0 {
			return c
		}
		return strings.Compare(a.Unit, b.Unit)
	})
	for i := range rs {
		if i > 0 && round2(rs[i].Total) == round2(rs[i-1].Total) {
			rs[i].Rank = rs[i-1].Rank
		} else {
			rs[i].Rank = i + 1
		}
	}
}

// Formula is the assessment's formula in words, with the weights, printed
// with every result.
func Formula(year int, version int, w Weights, priorMean, priorWeight float64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d年度考核 第%d版：总分 = Σ 权重 × 得分率（满分100）\n", year, version)
	fmt.Fprintf(&b, "文明指数 %g分 × 指数/100；指数 = 本单位各点位在当年抽查、正式测评轮次中的得分的平均\n", w[CompCivility])
	fmt.Fprintf(&b, "服务满意度 %g分 × (贝叶斯平均 − 1)/4；贝叶斯平均 = (%g × %.4f + 评价总分)/(%g + 评价数)，%.4f 为当年全部评价的均值（当年无评价时取3）\n",
		w[CompSatisfaction], priorWeight, priorMean, priorWeight, priorMean)
	fmt.Fprintf(&b, "差评按时办结率 %g分 × 按时办结件数/当年差评件数（不含申诉成立的；无差评按1计）\n", w[CompCasesInTime])
	fmt.Fprintf(&b, "整改按时完成率 %g分 × 到期前经复查通过的整改任务数/当年轮次产生的整改任务数（无任务按1计）\n", w[CompRectification])
	fmt.Fprintf(&b, "知识竞赛参与率 %g分 × min(1, 参与人数/目标人数)（未设目标按1计）\n", w[CompQuiz])
	b.WriteString("总分保留两位小数比较，相同者名次并列")
	return b.String()
}
