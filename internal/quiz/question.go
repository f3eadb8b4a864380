package quiz

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/scoring"
)

// Limits on question content, in characters.
const (
	maxCategoryLen    = 32
	MaxStemLen        = 500
	maxOptionTextLen  = 200
	maxOptionKeyLen   = 8
	maxExplanationLen = 1000
	maxOptions        = 8
	minOptions        = 2
)

// state of a question in the bank.
type state string

const (
	active  state = "ACTIVE"
	retired state = "RETIRED"
)

// difficulty as judged by the organiser.
type difficulty string

const (
	easy   difficulty = "EASY"
	medium difficulty = "MEDIUM"
	hard   difficulty = "HARD"
)

// QuestionType names as stored; they map 1:1 to scoring.QuestionType.
const (
	singleChoice   = "SINGLE_CHOICE"
	multipleChoice = "MULTIPLE_CHOICE"
	trueFalse      = "TRUE_FALSE"
)

// scoringType maps a stored type name to the scoring engine's type.
func scoringType(t string) scoring.QuestionType {
	switch t {
	case singleChoice:
		return scoring.SingleChoice
	case multipleChoice:
		return scoring.MultipleChoice
	case trueFalse:
		return scoring.TrueFalse
	}
	return 0
}

// option is one answer choice.
type option struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// Content is what an author writes for a question.
type Content struct {
	Category    string
	Type        string
	Stem        string
	Options     []option
	CorrectKeys []string
	Explanation string
	Difficulty  difficulty
}

// question is one version of a bank question.
type question struct {
	ID      string
	Version int
	Content
	State      state
	CreateTime time.Time
	UpdateTime time.Time
}

// trueFalseOptions are used when a TRUE_FALSE question gives no options.
var trueFalseOptions = []option{{Key: "A", Text: "正确"}, {Key: "B", Text: "错误"}}

// Normalize trims whitespace and fills defaults (TRUE_FALSE options, MEDIUM
// difficulty) before validation.
func (c *Content) Normalize() {
	c.Category = strings.TrimSpace(c.Category)
	c.Stem = strings.TrimSpace(c.Stem)
	c.Explanation = strings.TrimSpace(c.Explanation)
	for i := range c.Options {
		c.Options[i].Key = strings.TrimSpace(c.Options[i].Key)
		c.Options[i].Text = strings.TrimSpace(c.Options[i].Text)
	}
	for i := range c.CorrectKeys {
		c.CorrectKeys[i] = strings.TrimSpace(c.CorrectKeys[i])
	}
	if c.Type == trueFalse && len(c.Options) == 0 {
		c.Options = slices.Clone(trueFalseOptions)
	}
	if c.Difficulty == "" {
		c.Difficulty = medium
	}
}

// Validate records every problem with c under the field prefix (e.g.
// "question.") so the caller sees them all at once.
func (c *Content) Validate(v *apierr.Violations, prefix string) {
	v.RequiredText(prefix+"category", c.Category, maxCategoryLen)
	v.RequiredText(prefix+"stem", c.Stem, MaxStemLen)
	v.Text(prefix+"explanation", c.Explanation, maxExplanationLen)
	switch c.Difficulty {
	case easy, medium, hard:
	default:
		v.Add(prefix+"difficulty", "unknown difficulty %q", c.Difficulty)
	}
	validType := c.Type == singleChoice || c.Type == multipleChoice || c.Type == trueFalse
	if !validType {
		v.Add(prefix+"type", "must be SINGLE_CHOICE, MULTIPLE_CHOICE or TRUE_FALSE")
	}

	switch n := len(c.Options); {
	case n < minOptions:
		v.Add(prefix+"options", "has %d options; a question needs at least %d", n, minOptions)
	case n > maxOptions:
		v.Add(prefix+"options", "has %d options; the limit is %d", n, maxOptions)
	case c.Type == trueFalse && n != 2:
		v.Add(prefix+"options", "a TRUE_FALSE question has exactly 2 options, not %d", n)
	}
	keys := make(map[string]bool, len(c.Options))
	for i, o := range c.Options {
		f := fmt.Sprintf("%soptions[%d]", prefix, i)
		if v.RequiredText(f+".key", o.Key, maxOptionKeyLen) && keys[o.Key] {
			v.Add(f+".key", "key %q is used by an earlier option", o.Key)
		}
		keys[o.Key] = true
		v.RequiredText(f+".text", o.Text, maxOptionTextLen)
	}

	correct := prefix + "correct_keys"
	seen := map[string]bool{}
	for i, k := range c.CorrectKeys {
		if !keys[k] {
			v.Add(fmt.Sprintf("%s[%d]", correct, i), "%q is not the key of any option", k)
		}
		if seen[k] {
			v.Add(fmt.Sprintf("%s[%d]", correct, i), "%q is listed twice", k)
		}
		seen[k] = true
	}
	switch {
	case len(c.CorrectKeys) == 0:
		v.Add(correct, "at least one option must be marked correct")
	case validType && c.Type != multipleChoice && len(c.CorrectKeys) != 1:
		v.Add(correct, "a %s question has exactly one correct option, not %d", c.Type, len(c.CorrectKeys))
	}
}
