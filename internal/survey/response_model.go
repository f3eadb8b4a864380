package survey

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
)

// checkAnswers validates answers against the questionnaire version being
// answered and returns them in questionnaire order. Visibility is decided
// in order: a question with show_if is shown only when the question it
// names was shown, answered, and answered with one of the values. An
// answer to a hidden question is refused (not dropped), so a client that
// shows the wrong questions learns about it; a shown required question
// without an answer is refused too.
func checkAnswers(c *surveyv1.QuestionnaireContent, answers []*surveyv1.Answer, v *apierr.Violations) []*surveyv1.Answer {
	byID := map[string]int{} // question id → index in answers
	qs := questions(c)
	known := map[string]*surveyv1.Question{}
	for _, q := range qs {
		known[q.GetId()] = q
	}
	for i, a := range answers {
		f := fmt.Sprintf("answers[%d]", i)
		id := a.GetQuestionId()
		switch {
		case id == "":
			v.Add(f+".question_id", "is required")
		case known[id] == nil:
			v.Add(f+".question_id", "no question %q in this questionnaire", id)
		default:
			if _, dup := byID[id]; dup {
				v.Add(f+".question_id", "question %q is answered twice", id)
				continue
			}
			byID[id] = i
		}
	}
	shown := map[string]bool{}
	var out []*surveyv1.Answer
	for _, q := range qs {
		id := q.GetId()
		shown[id] = visible(q, shown, answers, byID)
		i, answered := byID[id]
		switch {
		case answered && !shown[id]:
			si := q.GetShowIf()
			v.AddReason(fmt.Sprintf("answers[%d]", i), apierr.AnswerHidden, "question %q is not shown for these answers (it is shown only when %s is one of %s); leave it out",
				id, si.GetQuestionId(), strings.Join(si.GetValues(), ", "))
		case !answered && shown[id] && q.GetRequired():
			// No answer, so no index: the field names the question.
			v.AddReason("answers[question_id="+id+"]", apierr.AnswerRequired, "question %q is required", id)
		case answered:
			checkAnswer(q, answers[i], v, fmt.Sprintf("answers[%d]", i))
			out = append(out, answers[i])
		}
	}
	return out
}

// visible decides whether q is shown, given which earlier questions were.
func visible(q *surveyv1.Question, shown map[string]bool, answers []*surveyv1.Answer, byID map[string]int) bool {
	si := q.GetShowIf()
	if si == nil {
		return true
	}
	dep := si.GetQuestionId()
	i, ok := byID[dep]
	if !shown[dep] || !ok {
		return false
	}
	for _, got := range answerValues(answers[i]) {
		if slices.Contains(si.GetValues(), got) {
			return true
		}
	}
	return false
}

// answerValues is an answer as show-if values: its option codes, or its
// value in decimal.
func answerValues(a *surveyv1.Answer) []string {
	if a.Value != nil {
		return []string{strconv.FormatFloat(a.GetValue(), 'f', -1, 64)}
	}
	return a.GetChoices()
}

// checkAnswer checks one answer's form against its question.
func checkAnswer(q *surveyv1.Question, a *surveyv1.Answer, v *apierr.Violations, f string) {
	t := q.GetType()
	usesChoices := t == surveyv1.QuestionType_QUESTION_TYPE_SINGLE || t == surveyv1.QuestionType_QUESTION_TYPE_MULTIPLE
	usesValue := t == surveyv1.QuestionType_QUESTION_TYPE_LIKERT5 || t == surveyv1.QuestionType_QUESTION_TYPE_SCALE10 ||
		t == surveyv1.QuestionType_QUESTION_TYPE_NUMBER
	if len(a.GetChoices()) > 0 && !usesChoices {
		v.Add(f+".choices", "a %s question is not answered with choices", typeName(t))
	}
	if a.Value != nil && !usesValue {
		v.Add(f+".value", "a %s question is not answered with a value", typeName(t))
	}
	if a.GetText() != "" && t != surveyv1.QuestionType_QUESTION_TYPE_TEXT {
		v.Add(f+".text", "a %s question is not answered with text", typeName(t))
	}
	if len(a.GetMatrix()) > 0 && t != surveyv1.QuestionType_QUESTION_TYPE_MATRIX {
		v.Add(f+".matrix", "a %s question is not answered with a matrix", typeName(t))
	}
	switch {
	case usesChoices:
		checkChoices(q, a.GetChoices(), v, f+".choices")
	case usesValue:
		if a.Value == nil {
			v.Add(f+".value", "is required")
		} else if msg := valueInRange(q, a.GetValue()); msg != "" {
			v.AddReason(f+".value", apierr.ValueOutOfRange, "%s", msg)
		}
	case t == surveyv1.QuestionType_QUESTION_TYPE_TEXT:
		v.RequiredText(f+".text", a.GetText(), maxText)
	case t == surveyv1.QuestionType_QUESTION_TYPE_MATRIX:
		checkMatrix(q, a.GetMatrix(), v, f+".matrix")
	}
}

func checkChoices(q *surveyv1.Question, choices []string, v *apierr.Violations, f string) {
	single := q.GetType() == surveyv1.QuestionType_QUESTION_TYPE_SINGLE
	switch {
	case len(choices) == 0:
		v.Add(f, "is required")
	case single && len(choices) > 1:
		v.Add(f, "a single-choice question takes one choice, not %d", len(choices))
	case q.GetMaxChoices() > 0 && len(choices) > int(q.GetMaxChoices()):
		v.AddReason(f, apierr.TooManyChoices, "at most %d may be chosen, not %d", q.GetMaxChoices(), len(choices))
	}
	seen := map[string]bool{}
	for i, ch := range choices {
		if !hasOption(q.GetOptions(), ch) {
			v.Add(fmt.Sprintf("%s[%d]", f, i), "%q is not an option of %s", ch, q.GetId())
		} else if seen[ch] {
			v.Add(fmt.Sprintf("%s[%d]", f, i), "%q is chosen twice", ch)
		}
		seen[ch] = true
	}
}

func checkMatrix(q *surveyv1.Question, m map[string]string, v *apierr.Violations, f string) {
	if len(m) == 0 {
		v.Add(f, "is required")
	}
	rows := make([]string, 0, len(m))
	for row := range m {
		rows = append(rows, row)
	}
	slices.Sort(rows) // report in a stable order
	for _, row := range rows {
		switch {
		case !hasOption(q.GetRows(), row):
			v.Add(f+"["+row+"]", "%q is not a row of %s", row, q.GetId())
		case !hasOption(q.GetOptions(), m[row]):
			v.Add(f+"["+row+"]", "%q is not on the scale of %s", m[row], q.GetId())
		}
	}
	if q.GetRequired() {
		for _, r := range q.GetRows() {
			if _, ok := m[r.GetCode()]; !ok {
				v.Add(f+"["+r.GetCode()+"]", "is required: every row of a required matrix is answered")
			}
		}
	}
}

func hasOption(opts []*surveyv1.Option, code string) bool {
	for _, o := range opts {
		if o.GetCode() == code {
			return true
		}
	}
	return false
}
