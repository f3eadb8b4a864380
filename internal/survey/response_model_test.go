package survey

import (
	"errors"
	"strings"
	"testing"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
)

func choice(id string, codes ...string) *surveyv1.Answer {
	return &surveyv1.Answer{QuestionId: id, Choices: codes}
}

func value(id string, x float64) *surveyv1.Answer {
	return &surveyv1.Answer{QuestionId: id, Value: val(x)}
}

func TestAnswersAreCheckedAgainstTheQuestionnaire(t *testing.T) {
	c := town(t)
	tests := []struct {
		name    string
		answers []*surveyv1.Answer
		field   string
		reason  string
	}{
		{"hidden question answered", []*surveyv1.Answer{choice("Q1", "B"), choice("Q2", "tv"), value("Q3", 4)},
			"answers[1]", "not shown"},
		{"required missing", []*surveyv1.Answer{choice("Q1", "A")}, "answers[question_id=Q3]", `"Q3" is required`},
		{"likert out of range", []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 6)}, "answers[1].value", "1 to 5"},
		{"likert not whole", []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 2.5)}, "answers[1].value", "whole number"},
		{"scale out of range", []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 3), value("Q4", 11)},
			"answers[2].value", "0 to 10"},
		{"number above max", []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 3), value("Q6", 81)},
			"answers[2].value", "between 0 and 80"},
		{"number not integer", []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 3), value("Q6", 2.5)},
			"answers[2].value", "whole number"},
		{"too many choices", []*surveyv1.Answer{choice("Q1", "A"), choice("Q2", "tv", "net", "poster"), value("Q3", 3)},
			"answers[1].choices", "at most 2"},
		{"unknown option", []*surveyv1.Answer{choice("Q1", "C"), value("Q3", 3)}, "answers[0].choices[0]", "not an option"},
		{"two choices for single", []*surveyv1.Answer{choice("Q1", "A", "B"), value("Q3", 3)}, "answers[0].choices", "one choice"},
		{"unknown question", []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 3), choice("Q9", "A")},
			"answers[2].question_id", "no question"},
		{"answered twice", []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 3), value("Q3", 4)},
			"answers[2].question_id", "twice"},
		{"wrong kind", []*surveyv1.Answer{choice("Q1", "B"), {QuestionId: "Q3", Text: "很好"}},
			"answers[1].text", "not answered with text"},
		{"matrix unknown row", []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 3),
			{QuestionId: "Q5", Matrix: map[string]string{"noise": "1"}}}, "answers[2].matrix[noise]", "not a row"},
		{"matrix off the scale", []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 3),
			{QuestionId: "Q5", Matrix: map[string]string{"env": "4"}}}, "answers[2].matrix[env]", "not on the scale"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v apierr.Violations
			checkAnswers(c, tt.answers, &v)
			wantField(t, fields(&v), tt.field, tt.reason)
		})
	}
}

func TestAValidResponseComesBackInQuestionnaireOrder(t *testing.T) {
	c := town(t)
	var v apierr.Violations
	got := checkAnswers(c, []*surveyv1.Answer{
		{QuestionId: "Q7", Text: "多设垃圾分类点"}, value("Q3", 5), choice("Q2", "tv", "net"), choice("Q1", "A"),
		{QuestionId: "Q5", Matrix: map[string]string{"env": "3"}}, value("Q6", 12), value("Q4", 9),
	}, &v)
	if v.Len() != 0 {
		t.Fatalf("valid answers refused: %v", v.Lines())
	}
	var order []string
	for _, a := range got {
		order = append(order, a.GetQuestionId())
	}
	if want := "Q1 Q2 Q3 Q4 Q5 Q6 Q7"; strings.Join(order, " ") != want {
		t.Errorf("order = %s, want %s", strings.Join(order, " "), want)
	}
	// Q2 is shown after Q1 = A and may be answered; after Q1 = B it is
	// hidden and a response without it is complete.
	v = apierr.Violations{}
	checkAnswers(c, []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 1)}, &v)
	if v.Len() != 0 {
		t.Errorf("minimal response refused: %v", v.Lines())
	}
}

// The kinds of wrong a page tells apart carry a field reason, so the page
// never reads the description.
func TestAnswerViolationsCarryFieldReasons(t *testing.T) {
	c := town(t)
	tests := []struct {
		name    string
		answers []*surveyv1.Answer
		field   string
		reason  apierr.FieldReason
	}{
		{"hidden", []*surveyv1.Answer{choice("Q1", "B"), choice("Q2", "tv"), value("Q3", 4)}, "answers[1]", apierr.AnswerHidden},
		{"required", []*surveyv1.Answer{choice("Q1", "A")}, "answers[question_id=Q3]", apierr.AnswerRequired},
		{"range", []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 6)}, "answers[1].value", apierr.ValueOutOfRange},
		{"too many", []*surveyv1.Answer{choice("Q1", "A"), choice("Q2", "tv", "net", "poster"), value("Q3", 3)},
			"answers[1].choices", apierr.TooManyChoices},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v apierr.Violations
			checkAnswers(c, tt.answers, &v)
			got := map[string]string{}
			var e *apierr.Error
			if !errors.As(v.Err(), &e) {
				t.Fatalf("no refusal: %v", v.Err())
			}
			for _, fv := range e.Fields {
				got[fv.GetField()] = fv.GetReason()
			}
			if got[tt.field] != string(tt.reason) {
				t.Errorf("reason of %s = %q, want %s (all %v)", tt.field, got[tt.field], tt.reason, got)
			}
		})
	}
}
