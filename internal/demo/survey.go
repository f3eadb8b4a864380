package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/survey"
)

//go:embed survey.yaml
var surveyYAML []byte

// The demo campaign's strata: three communities × three age bands × sex,
// with population shares the product of these margins (a census table's).
var (
	surveyCommunities = []string{"东湖社区", "桂园社区", "翠苑社区"}
	surveyAges        = []string{"18-39岁", "40-59岁", "60岁及以上"}
	surveySexes       = []string{"男", "女"}
	communityShare    = []float64{0.40, 0.35, 0.25}
	ageShare          = []float64{0.35, 0.40, 0.25}
	sexShare          = []float64{0.49, 0.51}
	// communityMood is each community's typical satisfaction (1–5): the
	// demo's results differ by stratum, as real ones do.
	communityMood = []float64{4.1, 3.6, 3.1}
)

// demoResponses is how many responses the demo campaign starts with.
const demoResponses = 320

// loadSurveyIn publishes the demo questionnaire and runs a campaign with a
// few hundred responses across strata, unless a questionnaire exists.
func loadSurveyIn(ctx context.Context, d rpc.Deps) error {
	var n int
	if err := d.DB.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM svy_questionnaires`); err != nil || n > 0 {
		return err
	}
	svc, err := survey.New(d)
	if err != nil {
		return err
	}
	content, err := survey.ParseQuestionnaireYAML(bytes.NewReader(surveyYAML))
	if err != nil {
		return fmt.Errorf("demo questionnaire: %w", err)
	}
	var q survey.Questionnaire
	if err := d.DB.WithTx(ctx, func(tx *store.Tx) error {
		q, err = svc.Questionnaires.Create(ctx, tx, content)
		return err
	}); err != nil {
		return fmt.Errorf("demo questionnaire: %w", err)
	}
	if q, err = svc.Questionnaires.Publish(ctx, q.ID); err != nil {
		return fmt.Errorf("demo questionnaire: %w", err)
	}
	now := d.Clock()()
	var c survey.Campaign
	if err := d.DB.WithTx(ctx, func(tx *store.Tx) error {
		c, err = svc.Campaigns.Create(ctx, tx, demoCampaign(q, now))
		return err
	}); err != nil {
		return fmt.Errorf("demo campaign: %w", err)
	}
	return submitDemoResponses(ctx, svc, c, q, now)
}

func demoCampaign(q survey.Questionnaire, now time.Time) *surveyv1.CampaignContent {
	c := &surveyv1.CampaignContent{
		Title: "2026年度文明城市创建市民满意度调查（演示）", QuestionnaireId: q.ID, QuestionnaireVersion: int32(q.Version),
		StartTime: timestamppb.New(now.AddDate(0, 0, -14)), EndTime: timestamppb.New(now.AddDate(0, 1, 0)),
		Channels: []surveyv1.Channel{
			surveyv1.Channel_CHANNEL_PUBLIC_LINK, surveyv1.Channel_CHANNEL_KIOSK, surveyv1.Channel_CHANNEL_INTERVIEW,
		},
		Dimensions: []*surveyv1.Dimension{
			{Name: "community", Label: "您居住的社区", Levels: surveyCommunities},
			{Name: "age", Label: "您的年龄段", Levels: surveyAges},
			{Name: "sex", Label: "您的性别", Levels: surveySexes},
		},
	}
	for i, cm := range surveyCommunities {
		for j, a := range surveyAges {
			for k, s := range surveySexes {
				c.Cells = append(c.Cells, &surveyv1.Cell{
					Stratum: map[string]string{"community": cm, "age": a, "sex": s}, Target: 20,
					PopulationShare: communityShare[i] * ageShare[j] * sexShare[k],
				})
			}
		}
	}
	return c
}

// submitDemoResponses answers the campaign demoResponses times through the
// same checks and group commit as SubmitResponse. The sample is skewed on
// purpose — older residents and 东湖社区 over-answer — so the weighted
// figures differ from the raw ones.
func submitDemoResponses(ctx context.Context, svc *survey.Service, c survey.Campaign, q survey.Questionnaire, now time.Time) error {
	rng := rand.New(rand.NewPCG(2026, 15))
	reqs := make([]*surveyv1.SubmitResponseRequest, demoResponses)
	channels := make([]surveyv1.Channel, demoResponses)
	for i := range reqs {
		cm := pick(rng, []float64{0.5, 0.3, 0.2})
		age := pick(rng, []float64{0.2, 0.35, 0.45})
		sex := pick(rng, []float64{0.45, 0.55})
		reqs[i] = &surveyv1.SubmitResponseRequest{
			Stratum: map[string]string{"community": surveyCommunities[cm], "age": surveyAges[age], "sex": surveySexes[sex]},
			Answers: demoAnswers(rng, cm, age),
		}
		channels[i] = []surveyv1.Channel{
			surveyv1.Channel_CHANNEL_PUBLIC_LINK, surveyv1.Channel_CHANNEL_KIOSK, surveyv1.Channel_CHANNEL_INTERVIEW,
		}[pick(rng, []float64{0.6, 0.15, 0.25})]
	}
	// A few at a time, so the group commit has something to group.
	errs := make([]error, len(reqs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, req := range reqs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var v apierr.Violations
			r, err := svc.Responses.Check(c, q, channels[i], req, &v, now)
			if err == nil {
				_, err = svc.Responses.Submit(ctx, r, c.Content.GetDimensions(), store.Call{})
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("demo response %d: %w", i, err)
		}
	}
	return nil
}

// pick draws an index with the given probabilities.
func pick(rng *rand.Rand, p []float64) int {
	x := rng.Float64()
	for i, pi := range p {
		if x < pi {
			return i
		}
		x -= pi
	}
	return len(p) - 1
}

// likert draws a 1–5 answer around mood.
func likert(rng *rand.Rand, mood float64) float64 {
	return math.Max(1, math.Min(5, math.Round(mood+rng.NormFloat64()*0.9)))
}

var demoSuggestions = []string{
	"希望增加小区垃圾分类投放点，并安排专人定时清运。",
	"农贸市场周边占道经营严重，早晚高峰很难通行，建议加强管理。",
	"建议在公交站台增设候车座椅和遮阳棚，方便老年人。",
	"遛狗不牵绳的现象比较多，希望社区多宣传、多劝导。",
	"创建工作不要只在检查前突击搞，平时也要坚持。",
	"志愿服务活动可以多安排在周末，方便上班族参加。",
	"老旧小区停车难，建议规划更多停车位。",
	"希望多开展文明礼仪进校园活动，从孩子抓起。",
}

// demoAnswers is one resident's answers, shaped by community and age band
// and following the questionnaire's show-if rules.
func demoAnswers(rng *rand.Rand, community, age int) []*surveyv1.Answer {
	mood := communityMood[community] + 0.15*float64(age-1)
	choice := func(id string, codes ...string) *surveyv1.Answer {
		return &surveyv1.Answer{QuestionId: id, Choices: codes}
	}
	value := func(id string, x float64) *surveyv1.Answer { return &surveyv1.Answer{QuestionId: id, Value: &x} }
	var out []*surveyv1.Answer
	q1 := []string{"A", "B", "C"}[pick(rng, []float64{0.62 + 0.08*float64(age), 0.22, 0.16 - 0.08*float64(age)})]
	out = append(out, choice("Q1", q1))
	if q1 != "C" {
		channels := [][]string{{"net", "work", "board"}, {"net", "tv", "board"}, {"tv", "board", "volunteer"}}[age]
		out = append(out, choice("Q2", channels[:1+rng.IntN(3)]...))
	}
	q3 := []string{"A", "B", "C"}[pick(rng, []float64{0.12 + 0.06*float64(age), 0.45, 0.43 - 0.06*float64(age)})]
	out = append(out, choice("Q3", q3))
	switch q3 {
	case "A":
		out = append(out, value("Q4", float64(10+rng.IntN(30))))
	case "B":
		out = append(out, value("Q4", float64(1+rng.IntN(9))))
	}
	out = append(out, value("Q5", likert(rng, mood-0.2)), value("Q6", likert(rng, mood)))
	matrix := map[string]string{}
	for _, row := range []string{"bus", "market", "park", "hospital"} {
		offset := map[string]float64{"bus": 0, "market": -0.6, "park": 0.3, "hospital": -0.2}[row]
		matrix[row] = strconv.Itoa(int(likert(rng, mood+offset)))
	}
	out = append(out, &surveyv1.Answer{QuestionId: "Q7", Matrix: matrix})
	out = append(out, choice("Q8", []string{"litter", "jaywalk", "noise", "queue", "dogs", "other"}[pick(rng,
		[]float64{0.3, 0.22, 0.12, 0.1, 0.22, 0.04})]))
	if rng.Float64() < 0.9 {
		out = append(out, value("Q9", likert(rng, mood)))
	}
	out = append(out, value("Q10", likert(rng, mood+0.2)))
	score := math.Max(0, math.Min(10, math.Round(2*mood-0.5+rng.NormFloat64()*1.5)))
	out = append(out, value("Q11", score))
	if score <= 6 {
		out = append(out, choice("Q12", []string{"slow", "form", "people", "env"}[rng.IntN(4)]))
	}
	out = append(out, value("Q13", float64(rng.IntN(35))))
	if rng.Float64() < 0.2 {
		out = append(out, &surveyv1.Answer{QuestionId: "Q14", Text: demoSuggestions[rng.IntN(len(demoSuggestions))]})
	}
	return out
}
