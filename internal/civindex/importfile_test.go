package civindex

import (
	"strings"
	"testing"
)

func TestParseFrameworkYAML(t *testing.T) {
	t.Parallel()
	const good = `
name: 示例
dimensions:
  - id: D1
    name: 公共秩序
    indicators:
      - id: D1.1
        name: 交通
        items:
          - {id: A1, name: 斑马线, method: binary, max_points: 2}
          - id: A2
            name: 信号灯
            method: RATE
            max_points: 4
            min_observed: 20
          - id: A3
            name: 停放
            method: GRADED
            max_points: 3
            levels: [{name: 好, fraction: 1}, {name: 差, fraction: 0}]
          - {id: A4, name: 礼让, method: DEDUCTION, max_points: 3, points_per_violation: 1, optional: true}
          - id: A5
            name: 居民满意
            method: RATE
            max_points: 5
            min_observed: 30
            survey: {questionnaire: 019a-q, question: Q5, values: [4, 5]}
`
	c, err := ParseFrameworkYAML(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	items := c.Items()
	if src := items[4].FromSurvey; src == nil || src.QuestionnaireID != "019a-q" || src.QuestionID != "Q5" ||
		len(src.Values) != 2 || src.Values[1] != "5" || src.dimensionOrDefault() != "community" {
		t.Errorf("survey source %+v", src)
	}
	items = items[:4]
	if len(items) != 4 || items[0].Method != MethodBinary || items[2].Levels[1].Name != "差" || !items[3].Optional {
		t.Errorf("parsed %+v", items)
	}

	tests := []struct{ name, yaml, want string }{
		{"empty", "", "empty"},
		{"unknown top-level field", "name: x\nversion: 2\n", "not a framework file"},
		{"misspelt item field with its line", strings.Replace(good, "min_observed", "min_observe", 1), `line 11: dimensions[0].indicators[0].items[1]: unknown field "min_observe"`},
		{"invalid item with its line", strings.Replace(good, "max_points: 4", "max_points: 0", 1),
			"line 11: dimensions[0].indicators[0].items[1].max_points"},
		{"misspelt survey field", strings.Replace(good, "question: Q5", "qustion: Q5", 1), `unknown field "qustion"`},
		{"survey source on a binary item", strings.Replace(good, "method: RATE\n            max_points: 5", "method: BINARY\n            max_points: 5", 1),
			"survey: only a RATE item"},
		{"duplicate id", strings.Replace(good, "id: A2", "id: A1", 1), `line 11: dimensions[0].indicators[0].items[1].id: id "A1" is already used`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseFrameworkYAML(strings.NewReader(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}
