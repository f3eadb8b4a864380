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
	MaxCategoryLen    = 32
	MaxStemLen        = 500
	MaxOptionTextLen  = 200
	MaxOptionKeyLen   = 8
	MaxExplanationLen = 1000
	MaxOptions        = 8
	MinOptions        = 2
)

// State of a question in the bank.
type State string

const (
	Active  State = "ACTIVE"
	Retired State = "RETIRED"
)

// Difficulty as judged by the organiser.
type Difficulty string

const (
	Easy   Difficulty = "EASY"
	Medium Difficulty = "MEDIUM"
	Hard   Difficulty = "HARD"
)

// QuestionType names as stored; they map 1:1 to scoring.QuestionType.
const (
	SingleChoice   = "SINGLE_CHOICE"
	MultipleChoice = "MULTIPLE_CHOICE"
	TrueFalse      = "TRUE_FALSE"
)

// ScoringType maps a stored type name to the scoring engine's type.
func ScoringType(t string) scoring.QuestionType {
	switch t {
	case SingleChoice:
		return scoring.SingleChoice
	case MultipleChoice:
		return scoring.MultipleChoice
	case TrueFalse:
		return scoring.TrueFalse
	}
	return 0
}

// Option is one answer choice.
type Option struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// Content is what an author writes for a question.
type Content struct {
	Category    string
	Type        string
	Stem        string
	Options     []Option
	CorrectKeys []string
	Explanation string
	Difficulty  Difficulty
}

// Question is one version of a bank question.
type Question struct {
	ID      string
	Version int
	Content
	State      State
	CreateTime time.Time
	UpdateTime time.Time
}

// trueFalseOptions are used when a TRUE_FALSE question gives no options.
var trueFalseOptions = []Option{{Key: "A", Text: "正确"}, {Key: "B", Text: "错误"}}

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
	if c.Type == TrueFalse && len(c.Options) == 0 {
		c.Options = slices.Clone(trueFalseOptions)
	}
	if c.Difficulty == "" {
		c.Difficulty = Medium
	}
}

// Validate records every problem with c under the field prefix (e.g.
// "question.") so the caller sees them all at once.
func (c *Content) Validate(v *apierr.Violations, prefix string) {
	v.RequiredText(prefix+"category", c.Category, MaxCategoryLen)
	v.RequiredText(prefix+"stem", c.Stem, MaxStemLen)
	v.Text(prefix+"explanation", c.Explanation, MaxExplanationLen)
	switch c.Difficulty {
	case Easy, Medium, Hard:
	default:
		v.Add(prefix+"difficulty", "unknown difficulty %q", c.Difficulty)
	}
	validType := c.Type == SingleChoice || c.Type == MultipleChoice || c.Type == TrueFalse
	if !validType {
		v.Add(prefix+"type", "must be SINGLE_CHOICE, MULTIPLE_CHOICE or TRUE_FALSE")
	}

	switch n := len(c.Options); {
	case n < MinOptions:
		v.Add(prefix+"options", "has %d options; a question needs at least %d", n, MinOptions)
	case n > MaxOptions:
		v.Add(prefix+"options", "has %d options; the limit is %d", n, MaxOptions)
	case c.Type == TrueFalse && n != 2:
		v.Add(prefix+"options", "a TRUE_FALSE question has exactly 2 options, not %d", n)
	}
	keys := make(map[string]bool, len(c.Options))
	for i, o := range c.Options {
		f := fmt.Sprintf("%soptions[%d]", prefix, i)
		if v.RequiredText(f+".key", o.Key, MaxOptionKeyLen) && keys[o.Key] {
			v.Add(f+".key", "key %q is used by an earlier option", o.Key)
		}
		keys[o.Key] = true
		v.RequiredText(f+".text", o.Text, MaxOptionTextLen)
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
	case validType && c.Type != MultipleChoice && len(c.CorrectKeys) != 1:
		v.Add(correct, "a %s question has exactly one correct option, not %d", c.Type, len(c.CorrectKeys))
	}
}
