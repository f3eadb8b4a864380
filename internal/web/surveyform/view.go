package surveyform

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/web"
)

// view is what form.html renders.
type view struct {
	Code, Title, Description string
	Open                     bool
	RequestID, Token         string
	Dimensions               []dimView
	Sections                 []sectionView
	// Problems are the server's reasons not tied to one question.
	Problems []string
	Failed   bool
}

type dimView struct {
	Name, Label, Selected, Error string
	Levels                       []string
}

type sectionView struct {
	Title     string
	Questions []*questionView
}

type optView struct {
	Code, Label string
	Checked     bool
}

type rowView struct {
	Code, Label string
	Options     []optView
}

type questionView struct {
	ID, Kind, Text, Error, Value string
	Number                       int
	Required                     bool
	Options                      []optView
	Rows                         []rowView
	Min, Max, Step               string
	MaxChoices                   int32
	ShowQ, ShowValues            string
}

func field(id string) string            { return "q:" + id }
func matrixField(id, row string) string { return "q:" + id + ":" + row }

// newView builds the page from the form, with the values a resident
// entered (nil on first show).
func newView(f *surveyv1.GetCampaignFormResponse, entered url.Values, requestID, token string) *view {
	c := f.GetQuestionnaire().GetContent()
	v := &view{
		Code: f.GetCode(), Title: f.GetTitle(), Description: c.GetDescription().GetZh(), Open: f.GetOpen(),
		RequestID: requestID, Token: token,
	}
	for _, d := range f.GetDimensions() {
		label := d.GetLabel()
		if label == "" {
			label = d.GetName()
		}
		v.Dimensions = append(v.Dimensions, dimView{
			Name: d.GetName(), Label: label, Levels: d.GetLevels(), Selected: entered.Get("s:" + d.GetName()),
		})
	}
	n := 0
	for _, s := range c.GetSections() {
		sv := sectionView{Title: s.GetTitle().GetZh()}
		for _, q := range s.GetQuestions() {
			n++
			sv.Questions = append(sv.Questions, questionOf(q, n, entered))
		}
		v.Sections = append(v.Sections, sv)
	}
	return v
}

// likertLabels are the 5-point scale's labels when a question gives none
// (the same defaults the results use).
var likertLabels = []string{"非常不满意", "不满意", "一般", "满意", "非常满意"}

func questionOf(q *surveyv1.Question, n int, entered url.Values) *questionView {
	qv := &questionView{
		ID: q.GetId(), Number: n, Text: q.GetText().GetZh(), Required: q.GetRequired(),
		Kind:       strings.ToLower(strings.TrimPrefix(q.GetType().String(), "QUESTION_TYPE_")),
		MaxChoices: q.GetMaxChoices(), Value: entered.Get(field(q.GetId())),
	}
	if si := q.GetShowIf(); si != nil {
		qv.ShowQ, qv.ShowValues = si.GetQuestionId(), strings.Join(si.GetValues(), " ")
	}
	chosen := entered[field(q.GetId())]
	opt := func(code, label string, checked []string) optView {
		return optView{Code: code, Label: label, Checked: slices.Contains(checked, code)}
	}
	switch q.GetType() {
	case surveyv1.QuestionType_QUESTION_TYPE_SINGLE, surveyv1.QuestionType_QUESTION_TYPE_MULTIPLE:
		for _, o := range q.GetOptions() {
			qv.Options = append(qv.Options, opt(o.GetCode(), o.GetText().GetZh(), chosen))
		}
	case surveyv1.QuestionType_QUESTION_TYPE_LIKERT5:
		for i := 1; i <= 5; i++ {
			label := likertLabels[i-1]
			if len(q.GetOptions()) == 5 {
				label = q.GetOptions()[i-1].GetText().GetZh()
			}
			qv.Options = append(qv.Options, opt(strconv.Itoa(i), label, chosen))
		}
	case surveyv1.QuestionType_QUESTION_TYPE_SCALE10:
		for i := 0; i <= 10; i++ {
			qv.Options = append(qv.Options, opt(strconv.Itoa(i), strconv.Itoa(i), chosen))
		}
	case surveyv1.QuestionType_QUESTION_TYPE_MATRIX:
		for _, row := range q.GetRows() {
			rv := rowView{Code: row.GetCode(), Label: row.GetText().GetZh()}
			picked := entered[matrixField(q.GetId(), row.GetCode())]
			for _, o := range q.GetOptions() {
				rv.Options = append(rv.Options, opt(o.GetCode(), o.GetText().GetZh(), picked))
			}
			qv.Rows = append(qv.Rows, rv)
		}
	case surveyv1.QuestionType_QUESTION_TYPE_NUMBER:
		qv.Min, qv.Max = num(q.GetMin()), num(q.GetMax())
		qv.Step = "any"
		if q.GetInteger() {
			qv.Step = "1"
		}
	}
	return qv
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// requestOf turns the posted form into SubmitResponse, and lists which
// question each answers[i] is, to place the server's violations. It
// decides nothing about validity: an unparsable number is sent without a
// value, and the server says what is wrong.
func requestOf(f *surveyv1.GetCampaignFormResponse, form url.Values) (*surveyv1.SubmitResponseRequest, []string) {
	req := &surveyv1.SubmitResponseRequest{Code: f.GetCode(), RequestId: form.Get("request_id"), Stratum: map[string]string{}}
	for _, d := range f.GetDimensions() {
		if l := form.Get("s:" + d.GetName()); l != "" {
			req.Stratum[d.GetName()] = l
		}
	}
	var order []string
	for _, s := range f.GetQuestionnaire().GetContent().GetSections() {
		for _, q := range s.GetQuestions() {
			if a := answerOf(q, form); a != nil {
				req.Answers = append(req.Answers, a)
				order = append(order, q.GetId())
			}
		}
	}
	return req, order
}

func answerOf(q *surveyv1.Question, form url.Values) *surveyv1.Answer {
	a := &surveyv1.Answer{QuestionId: q.GetId()}
	raw := strings.TrimSpace(form.Get(field(q.GetId())))
	switch q.GetType() {
	case surveyv1.QuestionType_QUESTION_TYPE_SINGLE, surveyv1.QuestionType_QUESTION_TYPE_MULTIPLE:
		if a.Choices = form[field(q.GetId())]; len(a.Choices) == 0 {
			return nil
		}
	case surveyv1.QuestionType_QUESTION_TYPE_TEXT:
		if a.Text = raw; raw == "" {
			return nil
		}
	case surveyv1.QuestionType_QUESTION_TYPE_MATRIX:
		a.Matrix = map[string]string{}
		for _, row := range q.GetRows() {
			if v := form.Get(matrixField(q.GetId(), row.GetCode())); v != "" {
				a.Matrix[row.GetCode()] = v
			}
		}
		if len(a.Matrix) == 0 {
			return nil
		}
	default:
		if raw == "" {
			return nil
		}
		if x, err := strconv.ParseFloat(raw, 64); err == nil {
			a.Value = &x
		}
	}
	return a
}

var (
	// answerIndex finds the answer a violation names (answers[2].value).
	answerIndex = regexp.MustCompile(`^answers\[(\d+)\]`)
	// answerQuestion finds the question a missing answer names
	// (answers[question_id=Q3]).
	answerQuestion = regexp.MustCompile(`^answers\[question_id=([^\]]+)\]$`)
)

// placeProblems puts each field violation beside its question (or
// dimension), and the rest at the top. Where a question goes is read from
// the field path; what to say, from the violation's reason.
func (v *view) placeProblems(violations []web.Violation, order []string) {
	v.Failed = true
	byID := map[string]*questionView{}
	for _, s := range v.Sections {
		for _, q := range s.Questions {
			byID[q.ID] = q
		}
	}
	for _, fv := range violations {
		var q *questionView
		if m := answerQuestion.FindStringSubmatch(fv.Field); m != nil {
			q = byID[m[1]]
		} else if m := answerIndex.FindStringSubmatch(fv.Field); m != nil {
			if i, _ := strconv.Atoi(m[1]); i < len(order) {
				q = byID[order[i]]
			}
		}
		if q != nil {
			if q.Error == "" {
				q.Error = explain(fv)
			}
			continue
		}
		if name, ok := strings.CutPrefix(fv.Field, "stratum["); ok {
			name = strings.TrimSuffix(name, "]")
			for i := range v.Dimensions {
				if v.Dimensions[i].Name == name {
					v.Dimensions[i].Error = "请选择一项"
				}
			}
			continue
		}
		v.Problems = append(v.Problems, fmt.Sprintf("%s：%s", fv.Field, fv.Description))
	}
}

// explain says the server's reason as a sentence for the resident; the
// server's own description stays beside it for anyone helping them.
func explain(fv web.Violation) string {
	switch apierr.FieldReason(fv.Reason) {
	case apierr.AnswerRequired:
		return "这道题必须回答。"
	case apierr.AnswerHidden:
		return "根据您前面的回答，这道题无需回答，请清空后再提交。"
	case apierr.TooManyChoices:
		return "选择的项目太多了：" + fv.Description
	case apierr.ValueOutOfRange:
		return "填写的数值不在允许的范围内：" + fv.Description
	}
	return "请检查这道题：" + fv.Description
}
