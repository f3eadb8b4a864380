package yamlfile

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestWithLinePicksTheDeepestPrefix(t *testing.T) {
	lines := map[string]int{"sections[0]": 3, "sections[0].questions[1]": 9}
	for msg, want := range map[string]string{
		"sections[0].questions[1].type: bad": "line 9: sections[0].questions[1].type: bad",
		"sections[0].title: bad":             "line 3: sections[0].title: bad",
		"sections[0].questions[10].id: bad":  "line 3: sections[0].questions[10].id: bad",
		"title: bad":                         "title: bad",
	} {
		if got := WithLine(msg, lines); got != want {
			t.Errorf("WithLine(%q) = %q, want %q", msg, got, want)
		}
	}
}

func TestUnknownKeyFindsAMisspeltKey(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("id: Q1\nrequried: true\n"), &doc); err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{"id": true, "required": true}
	if got := UnknownKey(doc.Content[0], known); got != "requried" {
		t.Errorf("UnknownKey = %q, want requried", got)
	}
}
