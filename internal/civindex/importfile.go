package civindex

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/yamlfile"
)

// The framework file format (YAML), as read by `wenming import framework`:
//
//	name: 公共文明指数测评体系          # required
//	description: 示例体系               # optional
//	dimensions:                         # 公共秩序, 公共环境, …
//	  - id: D1                          # codes: letters, digits, . _ -; unique in the file
//	    name: 公共秩序
//	    indicators:
//	      - id: D1.1
//	        name: 交通秩序
//	        items:
//	          - id: D1.1.1
//	            name: 行人遵守交通信号灯
//	            method: RATE            # BINARY | GRADED | RATE | DEDUCTION
//	            max_points: 4           # > 0
//	            min_observed: 20        # RATE: smallest sample
//	            guidance: 路口观察 ≥20 名行人
//	          - id: D1.1.2
//	            name: 机动车礼让行人
//	            method: DEDUCTION
//	            max_points: 3
//	            points_per_violation: 1 # DEDUCTION: points per violation, floored at 0
//	          - id: D1.1.3
//	            name: 非机动车停放
//	            method: GRADED
//	            max_points: 3
//	            levels:                 # GRADED: ≥ 2 levels, fraction of max in [0, 1]
//	              - {name: 好, fraction: 1}
//	              - {name: 较好, fraction: 0.7}
//	              - {name: 差, fraction: 0}
//	          - id: D1.1.4
//	            name: 公厕整洁
//	            method: BINARY
//	            max_points: 2
//	            optional: true          # may be left out of an inspection
type frameworkFile struct {
	Name        string          `yaml:"name"`
	Description string          `yaml:"description"`
	Dimensions  []dimensionFile `yaml:"dimensions"`
}

type dimensionFile struct {
	ID         string          `yaml:"id"`
	Name       string          `yaml:"name"`
	Indicators []indicatorFile `yaml:"indicators"`
}

type indicatorFile struct {
	ID    string      `yaml:"id"`
	Name  string      `yaml:"name"`
	Items []yaml.Node `yaml:"items"`
}

type itemFile struct {
	ID                 string  `yaml:"id"`
	Name               string  `yaml:"name"`
	Method             string  `yaml:"method"`
	MaxPoints          float64 `yaml:"max_points"`
	Levels             []level `yaml:"levels"`
	MinObserved        int     `yaml:"min_observed"`
	PointsPerViolation float64 `yaml:"points_per_violation"`
	Optional           bool    `yaml:"optional"`
	Guidance           string  `yaml:"guidance"`
	Survey             *struct {
		Questionnaire      string   `yaml:"questionnaire"`
		Question           string   `yaml:"question"`
		Values             []string `yaml:"values"`
		CommunityDimension string   `yaml:"community_dimension"`
	} `yaml:"survey"`
}

// ParseFrameworkYAML reads a framework file and validates it as publishable.
// It returns every problem at once, each with the line of the item it
// concerns, and no content unless the whole file is valid.
func ParseFrameworkYAML(r io.Reader) (Content, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var f frameworkFile
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return Content{}, errors.New("the file is empty")
		}
		return Content{}, fmt.Errorf("not a framework file: %w", err)
	}
	var problems []string
	lines := map[string]int{} // item field prefix → line
	c := Content{Name: f.Name, Description: f.Description}
	for i, d := range f.Dimensions {
		dim := dimension{ID: d.ID, Name: d.Name}
		for j, ind := range d.Indicators {
			in := indicator{ID: ind.ID, Name: ind.Name}
			for k, node := range ind.Items {
				prefix := fmt.Sprintf("dimensions[%d].indicators[%d].items[%d]", i, j, k)
				lines[prefix] = node.Line
				var it itemFile
				if bad := yamlfile.UnknownKey(&node, itemKeys); bad != "" {
					problems = append(problems, fmt.Sprintf("line %d: %s: unknown field %q", node.Line, prefix, bad))
					continue
				}
				if sub := yamlfile.Child(&node, "survey"); sub != nil {
					if bad := yamlfile.UnknownKey(sub, surveyKeys); bad != "" {
						problems = append(problems, fmt.Sprintf("line %d: %s.survey: unknown field %q", sub.Line, prefix, bad))
						continue
					}
				}
				if err := node.Decode(&it); err != nil {
					problems = append(problems, fmt.Sprintf("line %d: %s: %v", node.Line, prefix, err))
					continue
				}
				item := Item{
					ID: it.ID, Name: it.Name, Method: it.Method, MaxPoints: it.MaxPoints, Levels: it.Levels,
					MinObserved: it.MinObserved, PointsPerViolation: it.PointsPerViolation,
					Optional: it.Optional, Guidance: it.Guidance,
				}
				if sv := it.Survey; sv != nil {
					item.FromSurvey = &SurveySource{QuestionnaireID: sv.Questionnaire, QuestionID: sv.Question,
						Values: sv.Values, CommunityDimension: sv.CommunityDimension}
				}
				in.Items = append(in.Items, item)
			}
			dim.Indicators = append(dim.Indicators, in)
		}
		c.Dimensions = append(c.Dimensions, dim)
	}
	if len(problems) == 0 {
		c.Normalize()
		var v apierr.Violations
		c.Validate(&v, "")
		for _, msg := range v.Lines() {
			problems = append(problems, yamlfile.WithLine(msg, lines))
		}
	}
	if len(problems) > 0 {
		return Content{}, fmt.Errorf("%d problem(s), nothing imported:\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return c, nil
}

// itemKeys are the fields an item may have; yaml.Node.Decode does not
// apply the decoder's KnownFields, so a misspelt max_points would otherwise
// be silently 0.
var itemKeys = map[string]bool{
	"id": true, "name": true, "method": true, "max_points": true, "levels": true, "min_observed": true,
	"points_per_violation": true, "optional": true, "guidance": true, "survey": true,
}

// surveyKeys are the fields of an item's survey source.
var surveyKeys = map[string]bool{"questionnaire": true, "question": true, "values": true, "community_dimension": true}
