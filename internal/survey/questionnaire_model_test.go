package survey

import (
	"strings"
	"testing"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
)

func TestTheTestQuestionnaireIsPublishable(t *testing.T) {
	c := town(t)
	var v apierr.Violations
	validateContent(c, &v, "")
	if v.Len() != 0 {
		t.Fatalf("town.yaml: %v", v.Lines())
	}
	if got := len(questions(c)); got != 7 {
		t.Errorf("questions = %d, want 7", got)
	}
	if c.GetTitle().GetSecond() != "Community civility survey" {
		t.Errorf("second-language title = %q", c.GetTitle().GetSecond())
	}
}

func TestShowIfMayOnlyNameAnEarlierQuestion(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(c *surveyv1.QuestionnaireContent)
		field  string
		reason string
	}{
		{"forward reference", func(c *surveyv1.QuestionnaireContent) {
			q(c, "Q3").ShowIf = &surveyv1.ShowIf{QuestionId: "Q6", Values: []string{"1"}}
		}, "sections[0].questions[2].show_if.question_id", "comes later"},
		{"itself", func(c *surveyv1.QuestionnaireContent) {
			q(c, "Q3").ShowIf = &surveyv1.ShowIf{QuestionId: "Q3", Values: []string{"1"}}
		}, "sections[0].questions[2].show_if.question_id", "itself"},
		{"circular pair", func(c *surveyv1.QuestionnaireContent) {
			// Q2 already depends on Q1; Q1 depending on Q2 closes a cycle,
			// refused as a forward reference.
			q(c, "Q1").ShowIf = &surveyv1.ShowIf{QuestionId: "Q2", Values: []string{"tv"}}
		}, "sections[0].questions[0].show_if.question_id", "comes later"},
		{"unknown question", func(c *surveyv1.QuestionnaireContent) {
			q(c, "Q3").ShowIf = &surveyv1.ShowIf{QuestionId: "Q99", Values: []string{"A"}}
		}, "sections[0].questions[2].show_if.question_id", "no question"},
		{"value not an answer", func(c *surveyv1.QuestionnaireContent) {
			q(c, "Q2").ShowIf.Values = []string{"C"}
		}, "sections[0].questions[1].show_if.values[0]", "not a possible answer"},
		{"scale value out of range", func(c *surveyv1.QuestionnaireContent) {
			q(c, "Q4").ShowIf = &surveyv1.ShowIf{QuestionId: "Q3", Values: []string{"6"}}
		}, "sections[0].questions[3].show_if.values[0]", "not a possible answer"},
		{"on open text", func(c *surveyv1.QuestionnaireContent) {
			c.Sections[1].Questions = append(c.Sections[1].Questions, &surveyv1.Question{
				Id: "Q8", Type: surveyv1.QuestionType_QUESTION_TYPE_TEXT, Text: &surveyv1.Text{Zh: "补充"},
				ShowIf: &surveyv1.ShowIf{QuestionId: "Q7", Values: []string{"x"}},
			})
		}, "sections[1].questions[3].show_if.question_id", "cannot depend on a TEXT"},
		{"max choices above options", func(c *surveyv1.QuestionnaireContent) { q(c, "Q2").MaxChoices = 4 },
			"sections[0].questions[1].max_choices", "between 0"},
		{"number range empty", func(c *surveyv1.QuestionnaireContent) { q(c, "Q6").Max = 0 },
			"sections[1].questions[1].max", "greater than min"},
		{"duplicate question id", func(c *surveyv1.QuestionnaireContent) { q(c, "Q4").Id = "Q3" },
			"sections[0].questions[3].id", "earlier question"},
		{"no type", func(c *surveyv1.QuestionnaireContent) { q(c, "Q4").Type = 0 },
			"sections[0].questions[3].type", "is required"},
		{"second text without a language", func(c *surveyv1.QuestionnaireContent) { c.SecondLanguage = "" },
			"second_language", "is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := town(t)
			tt.edit(c)
			var v apierr.Violations
			validateContent(c, &v, "")
			wantField(t, fields(&v), tt.field, tt.reason)
		})
	}
}

// q finds a question of c by id.
func q(c *surveyv1.QuestionnaireContent, id string) *surveyv1.Question {
	for _, x := range questions(c) {
		if x.GetId() == id {
			return x
		}
	}
	panic("no question " + id)
}

func TestYAMLImportReportsEveryProblemWithItsLine(t *testing.T) {
	const file = `title: 问卷
sections:
  - id: S1
    title: 一
    questions:
      - id: Q1
        type: single
        text: 甲
        options: [{code: A, text: 是}, {code: B, text: 否}]
      - id: Q2
        type: likert5
        text: 乙
        show_if: {question: Q3, in: ["1"]}
      - id: Q3
        type: colour
        text: 丙
      - id: Q4
        type: number
        text: 丁
        requried: true
`
	_, err := ParseQuestionnaireYAML(strings.NewReader(file))
	if err == nil {
		t.Fatal("a broken file was accepted")
	}
	for _, want := range []string{
		`line 14: sections[0].questions[2].type: "colour" is not one of`,
		`line 17: sections[0].questions[3]: unknown field "requried"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
	// Once the file decodes, publish rules are reported with lines too.
	fixed := strings.Replace(strings.Replace(file, "colour", "text", 1), "requried", "required", 1)
	_, err = ParseQuestionnaireYAML(strings.NewReader(fixed))
	want := `line 10: sections[0].questions[1].show_if.question_id: refers to "Q3", which comes later`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want it to say %q", err, want)
	}
}
