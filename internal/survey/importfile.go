package survey

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/yamlfile"
)

// The questionnaire file format (YAML), as read by ImportQuestionnaire. A
// text is either a string (Chinese) or {zh: …, second: …}.
//
//	title: 文明城市创建市民满意度调查      # required
//	description: 本问卷匿名填写            # optional
//	second_language: en                    # optional, BCP 47
//	sections:
//	  - id: S1
//	    title: {zh: 基本情况, second: About you}
//	    questions:
//	      - id: Q1
//	        type: single                   # single | multiple | likert5 | scale10 | matrix | number | text
//	        text: 您是否知道本市正在创建全国文明城市？
//	        required: true
//	        options:
//	          - {code: A, text: 知道}
//	          - {code: B, text: 不知道}
//	      - id: Q2
//	        type: multiple
//	        max_choices: 2                 # multiple: most choices; 0 = all
//	        show_if: {question: Q1, in: [A]}
//	        options: …
//	      - id: Q3
//	        type: number
//	        min: 0                         # number: inclusive range
//	        max: 120
//	        integer: true
//	      - id: Q4
//	        type: matrix                   # rows × one scale (options)
//	        rows: [{code: r1, text: 环境卫生}]
//	        options: [{code: "1", text: 差}, {code: "2", text: 好}]
type questionnaireFile struct {
	Title          textFile      `yaml:"title"`
	Description    textFile      `yaml:"description"`
	SecondLanguage string        `yaml:"second_language"`
	Sections       []sectionFile `yaml:"sections"`
}

type sectionFile struct {
	ID        string      `yaml:"id"`
	Title     textFile    `yaml:"title"`
	Questions []yaml.Node `yaml:"questions"`
}

type questionFile struct {
	ID         string       `yaml:"id"`
	Type       string       `yaml:"type"`
	Text       textFile     `yaml:"text"`
	Required   bool         `yaml:"required"`
	Options    []optionFile `yaml:"options"`
	MaxChoices int32        `yaml:"max_choices"`
	Rows       []optionFile `yaml:"rows"`
	Min        float64      `yaml:"min"`
	Max        float64      `yaml:"max"`
	Integer    bool         `yaml:"integer"`
	ShowIf     *showIfFile  `yaml:"show_if"`
}

type optionFile struct {
	Code string   `yaml:"code"`
	Text textFile `yaml:"text"`
}

type showIfFile struct {
	Question string   `yaml:"question"`
	In       []string `yaml:"in"`
}

// textFile is a Text written either as a plain string or as a mapping.
type textFile struct{ Zh, Second string }

func (t *textFile) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		t.Zh = n.Value
		return nil
	}
	var m struct {
		Zh     string `yaml:"zh"`
		Second string `yaml:"second"`
	}
	if err := n.Decode(&m); err != nil {
		return err
	}
	t.Zh, t.Second = m.Zh, m.Second
	return nil
}

func (t textFile) proto() *surveyv1.Text { return &surveyv1.Text{Zh: t.Zh, Second: t.Second} }

var questionKeys = map[string]bool{
	"id": true, "type": true, "text": true, "required": true, "options": true, "max_choices": true,
	"rows": true, "min": true, "max": true, "integer": true, "show_if": true,
}

// ParseQuestionnaireYAML reads a questionnaire file and validates it as
// publishable. It returns every problem at once, each with the line of the
// question it concerns, and no content unless the whole file is valid.
func ParseQuestionnaireYAML(r io.Reader) (*surveyv1.QuestionnaireContent, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var f questionnaireFile
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the file is empty")
		}
		return nil, fmt.Errorf("not a questionnaire file: %w", err)
	}
	var problems []string
	lines := map[string]int{}
	c := &surveyv1.QuestionnaireContent{
		Title: f.Title.proto(), Description: f.Description.proto(), SecondLanguage: f.SecondLanguage,
	}
	for i, s := range f.Sections {
		sec := &surveyv1.Section{Id: s.ID, Title: s.Title.proto()}
		for j, node := range s.Questions {
			prefix := fmt.Sprintf("sections[%d].questions[%d]", i, j)
			lines[prefix] = node.Line
			if bad := yamlfile.UnknownKey(&node, questionKeys); bad != "" {
				problems = append(problems, fmt.Sprintf("line %d: %s: unknown field %q", node.Line, prefix, bad))
				continue
			}
			var qf questionFile
			if err := node.Decode(&qf); err != nil {
				problems = append(problems, fmt.Sprintf("line %d: %s: %v", node.Line, prefix, err))
				continue
			}
			q, err := qf.proto()
			if err != nil {
				problems = append(problems, fmt.Sprintf("line %d: %s.type: %v", node.Line, prefix, err))
				continue
			}
			sec.Questions = append(sec.Questions, q)
		}
		c.Sections = append(c.Sections, sec)
	}
	if len(problems) == 0 {
		normalizeContent(c)
		var v apierr.Violations
		validateContent(c, &v, "")
		for _, msg := range v.Lines() {
			problems = append(problems, yamlfile.WithLine(msg, lines))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%d problem(s), nothing imported:\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return c, nil
}

func (qf questionFile) proto() (*surveyv1.Question, error) {
	t, ok := surveyv1.QuestionType_value["QUESTION_TYPE_"+strings.ToUpper(strings.TrimSpace(qf.Type))]
	if !ok || t == 0 {
		return nil, fmt.Errorf("%q is not one of single, multiple, likert5, scale10, matrix, number, text", qf.Type)
	}
	q := &surveyv1.Question{
		Id: qf.ID, Type: surveyv1.QuestionType(t), Text: qf.Text.proto(), Required: qf.Required,
		MaxChoices: qf.MaxChoices, Min: qf.Min, Max: qf.Max, Integer: qf.Integer,
	}
	for _, o := range qf.Options {
		q.Options = append(q.Options, &surveyv1.Option{Code: o.Code, Text: o.Text.proto()})
	}
	for _, o := range qf.Rows {
		q.Rows = append(q.Rows, &surveyv1.Option{Code: o.Code, Text: o.Text.proto()})
	}
	if qf.ShowIf != nil {
		q.ShowIf = &surveyv1.ShowIf{QuestionId: qf.ShowIf.Question, Values: qf.ShowIf.In}
	}
	return q, nil
}
