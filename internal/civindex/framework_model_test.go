package civindex

import (
	"testing"

	"github.com/wenming/wenming/internal/apierr"
)

// sample is a small valid framework with one item of each method.
func sample() Content {
	return Content{
		Name: "测试指标体系",
		Dimensions: []dimension{
			{ID: "D1", Name: "公共秩序", Indicators: []indicator{{ID: "I1", Name: "交通秩序", Items: []Item{
				{ID: "A1", Name: "行人走斑马线", MaxPoints: 10, Method: MethodBinary},
				{ID: "A2", Name: "行人遵守信号灯", MaxPoints: 20, Method: MethodRate, MinObserved: 10},
			}}}},
			{ID: "D2", Name: "公共环境", Indicators: []indicator{{ID: "I2", Name: "环境卫生", Items: []Item{
				{ID: "B1", Name: "乱扔垃圾", MaxPoints: 10, Method: MethodDeduction, PointsPerViolation: 3},
				{ID: "B2", Name: "整洁程度", MaxPoints: 10, Method: MethodGraded, Levels: []level{
					{Name: "优", Fraction: 1}, {Name: "良", Fraction: 0.8}, {Name: "中", Fraction: 0.6}, {Name: "差", Fraction: 0.2},
				}},
				{ID: "B3", Name: "公厕整洁", MaxPoints: 5, Method: MethodBinary, Optional: true},
			}}}},
		},
	}
}

func TestFrameworkValidateReportsEveryProblem(t *testing.T) {
	t.Parallel()
	const item = "framework.dimensions[0].indicators[0].items[0]"
	tests := []struct {
		name   string
		change func(c *Content)
		want   map[string]string
	}{
		{"valid", func(*Content) {}, map[string]string{}},
		{"no name and no dimensions", func(c *Content) { c.Name, c.Dimensions = "", nil }, map[string]string{
			"framework.name": "required", "framework.dimensions": "at least one dimension",
		}},
		{"zero and negative max points", func(c *Content) {
			c.Dimensions[0].Indicators[0].Items[0].MaxPoints = 0
			c.Dimensions[1].Indicators[0].Items[0].MaxPoints = -2
		}, map[string]string{
			item + ".max_points": "> 0",
			"framework.dimensions[1].indicators[0].items[0].max_points": "> 0",
		}},
		{"duplicate ids across the tree", func(c *Content) {
			c.Dimensions[1].Indicators[0].Items[1].ID = "A1"
			c.Dimensions[1].ID = "I1"
		}, map[string]string{
			"framework.dimensions[1].id":                        "already used by framework.dimensions[0].indicators[0].id",
			"framework.dimensions[1].indicators[0].items[1].id": "already used by " + item + ".id",
		}},
		{"malformed levels", func(c *Content) {
			c.Dimensions[1].Indicators[0].Items[1].Levels[1].Fraction = 1.5
		}, map[string]string{"framework.dimensions[1].indicators[0].items[1].levels[1].fraction": "between 0 and 1"}},
		{"one level only", func(c *Content) {
			c.Dimensions[1].Indicators[0].Items[1].Levels = c.Dimensions[1].Indicators[0].Items[1].Levels[:1]
		}, map[string]string{"framework.dimensions[1].indicators[0].items[1].levels": "at least 2 levels"}},
		{"duplicate level", func(c *Content) {
			c.Dimensions[1].Indicators[0].Items[1].Levels[2].Name = "优"
		}, map[string]string{"framework.dimensions[1].indicators[0].items[1].levels[2].name": "duplicate level"}},
		{"levels on a binary item", func(c *Content) {
			c.Dimensions[0].Indicators[0].Items[0].Levels = []level{{Name: "x", Fraction: 1}}
		}, map[string]string{item + ".levels": "only a GRADED item"}},
		{"unknown method still checks max points", func(c *Content) {
			c.Dimensions[0].Indicators[0].Items[0].Method = "VIBES"
			c.Dimensions[0].Indicators[0].Items[0].MaxPoints = 0
		}, map[string]string{item + ".method": "BINARY, GRADED", item + ".max_points": "> 0"}},
		{"deduction without a cost", func(c *Content) {
			c.Dimensions[1].Indicators[0].Items[0].PointsPerViolation = 0
		}, map[string]string{"framework.dimensions[1].indicators[0].items[0].points_per_violation": "> 0"}},
		{"negative minimum sample", func(c *Content) {
			c.Dimensions[0].Indicators[0].Items[1].MinObserved = -1
		}, map[string]string{"framework.dimensions[0].indicators[0].items[1].min_observed": "≥ 0"}},
		{"survey source on a rate item", func(c *Content) {
			c.Dimensions[0].Indicators[0].Items[1].FromSurvey = &SurveySource{QuestionnaireID: "q1", QuestionID: "Q5", Values: []string{"4", "5"}}
		}, map[string]string{}},
		{"survey source on a binary item, incomplete", func(c *Content) {
			c.Dimensions[0].Indicators[0].Items[0].FromSurvey = &SurveySource{QuestionID: "第5题", Values: []string{"4", "4"},
				CommunityDimension: "社区 名"}
		}, map[string]string{
			item + ".survey":                     "only a RATE item",
			item + ".survey.questionnaire_id":    "required",
			item + ".survey.question_id":         "not a question id",
			item + ".survey.values[1]":           "listed twice",
			item + ".survey.community_dimension": "not a dimension name",
		}},
		{"survey source without values", func(c *Content) {
			c.Dimensions[0].Indicators[0].Items[1].FromSurvey = &SurveySource{QuestionnaireID: "q1", QuestionID: "Q5"}
		}, map[string]string{"framework.dimensions[0].indicators[0].items[1].survey.values": "at least one answer"}},
		{"bad code and empty indicator", func(c *Content) {
			c.Dimensions[0].ID = "公共 秩序"
			c.Dimensions[1].Indicators[0].Items = nil
		}, map[string]string{
			"framework.dimensions[0].id":                  "not a code",
			"framework.dimensions[1].indicators[0].items": "at least one check item",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := sample()
			tt.change(&c)
			c.Normalize()
			var v apierr.Violations
			c.Validate(&v, "framework.")
			wantFields(t, violations(&v), tt.want)
		})
	}
}

func TestDraftMayBeIncompleteButNotOversized(t *testing.T) {
	t.Parallel()
	var v apierr.Violations
	c := Content{Name: "草稿"}
	c.ValidateDraft(&v, "")
	if v.Len() != 0 {
		t.Fatalf("an empty draft with a name is fine, got %v", v.Lines())
	}
	c.Name = string(make([]rune, maxNameLen+1))
	c.ValidateDraft(&v, "")
	wantFields(t, violations(&v), map[string]string{"name": "limit"})
}
