package quiz

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wenming/wenming/internal/apierr"
)

// The question file format (YAML):
//
//	questions:
//	  - category: 交通出行          # required
//	    type: SINGLE_CHOICE         # SINGLE_CHOICE | MULTIPLE_CHOICE | TRUE_FALSE
//	    difficulty: EASY            # EASY | MEDIUM | HARD (default MEDIUM)
//	    stem: 行人过马路遇到红灯时应当？
//	    options: [停在线外等候, 快速通过]   # keys A, B, C… in order; optional for TRUE_FALSE (正确/错误)
//	    correct: [A]                # keys of the correct options
//	    explanation: 红灯停、绿灯行。
type questionFile struct {
	Questions []yaml.Node `yaml:"questions"`
}

type questionEntry struct {
	Category    string   `yaml:"category"`
	Type        string   `yaml:"type"`
	Difficulty  string   `yaml:"difficulty"`
	Stem        string   `yaml:"stem"`
	Options     []string `yaml:"options"`
	Correct     []string `yaml:"correct"`
	Explanation string   `yaml:"explanation"`
}

// optionKey is the key of the i-th listed option: A, B, C, …
func optionKey(i int) string { return string(rune('A' + i)) }

func (e questionEntry) content() Content {
	c := Content{
		Category: e.Category, Type: strings.ToUpper(strings.TrimSpace(e.Type)), Stem: e.Stem,
		CorrectKeys: e.Correct, Explanation: e.Explanation,
		Difficulty: difficulty(strings.ToUpper(strings.TrimSpace(e.Difficulty))),
	}
	for i, text := range e.Options {
		c.Options = append(c.Options, option{Key: optionKey(i), Text: text})
	}
	return c
}

// parseQuestionsYAML reads a question file and validates every entry. It
// returns all problems at once, each with its line number, and no questions
// unless the whole file is valid.
func parseQuestionsYAML(r io.Reader) ([]Content, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var f questionFile
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the file is empty")
		}
		return nil, fmt.Errorf("not a question file: %w", err)
	}
	if len(f.Questions) == 0 {
		return nil, errors.New("the file lists no questions")
	}
	var problems []string
	out := make([]Content, 0, len(f.Questions))
	for i, node := range f.Questions {
		var e questionEntry
		if err := node.Decode(&e); err != nil {
			problems = append(problems, fmt.Sprintf("line %d (question %d): %v", node.Line, i+1, err))
			continue
		}
		c := e.content()
		c.Normalize()
		if errs := validationLines(&c); len(errs) > 0 {
			for _, msg := range errs {
				problems = append(problems, fmt.Sprintf("line %d (question %d): %s", node.Line, i+1, msg))
			}
			continue
		}
		out = append(out, c)
	}
	if len(problems) > 0 {
		return nil, &importError{Problems: problems}
	}
	return out, nil
}

// importError lists every problem of an import file, each starting with
// its line number; nothing was imported.
type importError struct {
	Problems []string
}

func (e *importError) Error() string {
	return fmt.Sprintf("%d problem(s), nothing imported:\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// validationLines runs Content.Validate and returns its violations as text.
func validationLines(c *Content) []string {
	var v apierr.Violations
	c.Validate(&v, "")
	return v.Lines()
}
