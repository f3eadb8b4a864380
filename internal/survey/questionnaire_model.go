package survey

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
)

// Limits on what an author may write; generous for real questionnaires,
// small enough that a form stays a form.
const (
	maxTitle     = 200
	maxText      = 2000
	maxSections  = 50
	maxQuestions = 300
	maxOptions   = 50
)

var (
	codePattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,32}$`)
	langPattern = regexp.MustCompile(`^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$`)
)

// likertLabels are LIKERT5's default labels for 1..5, the satisfaction
// scale residents know from 好差评.
var likertLabels = []string{"非常不满意", "不满意", "一般", "满意", "非常满意"}

// normalizeContent trims the identifiers a person typed, so " Q1" and "Q1"
// are one question.
func normalizeContent(c *surveyv1.QuestionnaireContent) {
	c.SecondLanguage = strings.TrimSpace(c.GetSecondLanguage())
	for _, s := range c.GetSections() {
		s.Id = strings.TrimSpace(s.GetId())
		for _, q := range s.GetQuestions() {
			q.Id = strings.TrimSpace(q.GetId())
			for _, o := range q.GetOptions() {
				o.Code = strings.TrimSpace(o.GetCode())
			}
			for _, o := range q.GetRows() {
				o.Code = strings.TrimSpace(o.GetCode())
			}
			if si := q.GetShowIf(); si != nil {
				si.QuestionId = strings.TrimSpace(si.GetQuestionId())
			}
		}
	}
}

// validateDraft checks what even a draft must satisfy: sizes and text, so
// a draft can be stored and shown. Everything else waits for publish.
func validateDraft(c *surveyv1.QuestionnaireContent, v *apierr.Violations, prefix string) {
	checkText(v, prefix+"title", c.GetTitle(), maxTitle, false)
	checkText(v, prefix+"description", c.GetDescription(), maxText, false)
	if len(c.GetSections()) > maxSections {
		v.Add(prefix+"sections", "has %d sections; the limit is %d", len(c.GetSections()), maxSections)
	}
	n := 0
	for _, s := range c.GetSections() {
		n += len(s.GetQuestions())
	}
	if n > maxQuestions {
		v.Add(prefix+"sections", "has %d questions; the limit is %d", n, maxQuestions)
	}
}

// validateContent reports every reason c cannot be published, with field
// paths under prefix.
func validateContent(c *surveyv1.QuestionnaireContent, v *apierr.Violations, prefix string) {
	validateDraft(c, v, prefix)
	checkText(v, prefix+"title", c.GetTitle(), maxTitle, true)
	if l := c.GetSecondLanguage(); l != "" && !langPattern.MatchString(l) {
		v.Add(prefix+"second_language", "must be a BCP 47 language tag such as en or ug")
	}
	if len(c.GetSections()) == 0 {
		v.Add(prefix+"sections", "needs at least one section")
	}
	sections := map[string]bool{}
	seen := map[string]*surveyv1.Question{} // questions before the current one
	all := map[string]bool{}
	for _, s := range c.GetSections() {
		for _, q := range s.GetQuestions() {
			all[q.GetId()] = true
		}
	}
	for i, s := range c.GetSections() {
		sp := fmt.Sprintf("%ssections[%d]", prefix, i)
		checkCode(v, sp+".id", s.GetId(), sections)
		checkText(v, sp+".title", s.GetTitle(), maxTitle, true)
		if len(s.GetQuestions()) == 0 {
			v.Add(sp+".questions", "needs at least one question")
		}
		for j, q := range s.GetQuestions() {
			qp := fmt.Sprintf("%s.questions[%d]", sp, j)
			validateQuestion(q, v, qp, seen, all)
			seen[q.GetId()] = q
		}
	}
	if c.GetSecondLanguage() == "" && hasSecond(c) {
		v.Add(prefix+"second_language", "is required when any text has a second-language version")
	}
}

func validateQuestion(q *surveyv1.Question, v *apierr.Violations, qp string, earlier map[string]*surveyv1.Question, all map[string]bool) {
	if !codePattern.MatchString(q.GetId()) {
		v.Add(qp+".id", "must be 1–32 letters, digits, '.', '_' or '-'")
	} else if earlier[q.GetId()] != nil {
		v.Add(qp+".id", "%q is used by an earlier question", q.GetId())
	}
	checkText(v, qp+".text", q.GetText(), maxText, true)
	opts, rows := q.GetOptions(), q.GetRows()
	switch q.GetType() {
	case surveyv1.QuestionType_QUESTION_TYPE_SINGLE:
		checkOptions(v, qp+".options", opts, 2)
	case surveyv1.QuestionType_QUESTION_TYPE_MULTIPLE:
		checkOptions(v, qp+".options", opts, 2)
		if m := q.GetMaxChoices(); m < 0 || int(m) > len(opts) {
			v.Add(qp+".max_choices", "must be between 0 (no limit) and the %d options", len(opts))
		}
	case surveyv1.QuestionType_QUESTION_TYPE_LIKERT5:
		if len(opts) != 0 && len(opts) != 5 {
			v.Add(qp+".options", "a 5-point scale takes no labels or exactly 5, for 1 to 5")
		}
		checkOptions(v, qp+".options", opts, 0)
	case surveyv1.QuestionType_QUESTION_TYPE_MATRIX:
		checkOptions(v, qp+".options", opts, 2)
		checkOptions(v, qp+".rows", rows, 1)
	case surveyv1.QuestionType_QUESTION_TYPE_NUMBER:
		if !(q.GetMin() < q.GetMax()) || math.IsInf(q.GetMax()-q.GetMin(), 0) {
			v.Add(qp+".max", "must be greater than min")
		}
	case surveyv1.QuestionType_QUESTION_TYPE_SCALE10, surveyv1.QuestionType_QUESTION_TYPE_TEXT:
	default:
		v.Add(qp+".type", "is required: SINGLE, MULTIPLE, LIKERT5, SCALE10, MATRIX, NUMBER or TEXT")
	}
	t := q.GetType()
	if len(opts) > 0 && (t == surveyv1.QuestionType_QUESTION_TYPE_SCALE10 || t == surveyv1.QuestionType_QUESTION_TYPE_NUMBER || t == surveyv1.QuestionType_QUESTION_TYPE_TEXT) {
		v.Add(qp+".options", "a %s question has no options", typeName(t))
	}
	if len(rows) > 0 && t != surveyv1.QuestionType_QUESTION_TYPE_MATRIX {
		v.Add(qp+".rows", "only a MATRIX question has rows")
	}
	if si := q.GetShowIf(); si != nil {
		validateShowIf(si, v, qp+".show_if", q.GetId(), earlier, all)
	}
}

// validateShowIf allows a condition only on an earlier question, which
// rules out forward and circular references at once: every question's
// visibility is decided by questions already decided.
func validateShowIf(si *surveyv1.ShowIf, v *apierr.Violations, p, self string, earlier map[string]*surveyv1.Question, all map[string]bool) {
	ref := si.GetQuestionId()
	dep := earlier[ref]
	switch {
	case ref == "":
		v.Add(p+".question_id", "is required")
		return
	case ref == self:
		v.Add(p+".question_id", "refers to the question itself")
		return
	case dep == nil && all[ref]:
		v.Add(p+".question_id", "refers to %q, which comes later; a question can depend only on earlier ones", ref)
		return
	case dep == nil:
		v.Add(p+".question_id", "no question %q", ref)
		return
	}
	if len(si.GetValues()) == 0 {
		v.Add(p+".values", "needs at least one value")
	}
	for k, val := range si.GetValues() {
		if !conditionValueValid(dep, val) {
			v.Add(fmt.Sprintf("%s.values[%d]", p, k), "%q is not a possible answer to %q", val, ref)
		}
	}
	switch dep.GetType() {
	case surveyv1.QuestionType_QUESTION_TYPE_MATRIX, surveyv1.QuestionType_QUESTION_TYPE_TEXT:
		v.Add(p+".question_id", "a condition cannot depend on a %s question", typeName(dep.GetType()))
	}
}

// conditionValueValid reports whether val can be an answer to q, as a
// show-if value.
func conditionValueValid(q *surveyv1.Question, val string) bool {
	switch q.GetType() {
	case surveyv1.QuestionType_QUESTION_TYPE_SINGLE, surveyv1.QuestionType_QUESTION_TYPE_MULTIPLE:
		for _, o := range q.GetOptions() {
			if o.GetCode() == val {
				return true
			}
		}
		return false
	case surveyv1.QuestionType_QUESTION_TYPE_LIKERT5, surveyv1.QuestionType_QUESTION_TYPE_SCALE10, surveyv1.QuestionType_QUESTION_TYPE_NUMBER:
		n, err := strconv.Atoi(val)
		return err == nil && valueInRange(q, float64(n)) == ""
	}
	return true
}

func checkOptions(v *apierr.Violations, p string, opts []*surveyv1.Option, least int) {
	if len(opts) < least {
		v.Add(p, "needs at least %d", least)
	}
	if len(opts) > maxOptions {
		v.Add(p, "has %d; the limit is %d", len(opts), maxOptions)
	}
	codes := map[string]bool{}
	for i, o := range opts {
		op := fmt.Sprintf("%s[%d]", p, i)
		checkCode(v, op+".code", o.GetCode(), codes)
		checkText(v, op+".text", o.GetText(), maxTitle, true)
	}
}

func checkCode(v *apierr.Violations, field, code string, seen map[string]bool) {
	switch {
	case !codePattern.MatchString(code):
		v.Add(field, "must be 1–32 letters, digits, '.', '_' or '-'")
	case seen[code]:
		v.Add(field, "%q is used twice", code)
	}
	seen[code] = true
}

func checkText(v *apierr.Violations, field string, t *surveyv1.Text, max int, required bool) {
	if required {
		v.RequiredText(field+".zh", t.GetZh(), max)
	} else {
		v.Text(field+".zh", t.GetZh(), max)
	}
	v.Text(field+".second", t.GetSecond(), max)
}

func hasSecond(c *surveyv1.QuestionnaireContent) bool {
	if c.GetTitle().GetSecond() != "" || c.GetDescription().GetSecond() != "" {
		return true
	}
	for _, s := range c.GetSections() {
		if s.GetTitle().GetSecond() != "" {
			return true
		}
		for _, q := range s.GetQuestions() {
			if q.GetText().GetSecond() != "" {
				return true
			}
			for _, o := range append(append([]*surveyv1.Option{}, q.GetOptions()...), q.GetRows()...) {
				if o.GetText().GetSecond() != "" {
					return true
				}
			}
		}
	}
	return false
}

// typeName is a question type as authors write it, e.g. LIKERT5.
func typeName(t surveyv1.QuestionType) string {
	return strings.TrimPrefix(t.String(), "QUESTION_TYPE_")
}

// questions lists c's questions in order.
func questions(c *surveyv1.QuestionnaireContent) []*surveyv1.Question {
	var out []*surveyv1.Question
	for _, s := range c.GetSections() {
		out = append(out, s.GetQuestions()...)
	}
	return out
}

// valueInRange says what is wrong with value as an answer to a LIKERT5,
// SCALE10 or NUMBER question, or "" when nothing is.
func valueInRange(q *surveyv1.Question, x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "must be a finite number"
	}
	switch q.GetType() {
	case surveyv1.QuestionType_QUESTION_TYPE_LIKERT5:
		if x != math.Trunc(x) || x < 1 || x > 5 {
			return "must be a whole number from 1 to 5"
		}
	case surveyv1.QuestionType_QUESTION_TYPE_SCALE10:
		if x != math.Trunc(x) || x < 0 || x > 10 {
			return "must be a whole number from 0 to 10"
		}
	case surveyv1.QuestionType_QUESTION_TYPE_NUMBER:
		if q.GetInteger() && x != math.Trunc(x) {
			return "must be a whole number"
		}
		if x < q.GetMin() || x > q.GetMax() {
			return fmt.Sprintf("must be between %g and %g", q.GetMin(), q.GetMax())
		}
	}
	return ""
}
