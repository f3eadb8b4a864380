package quiz

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/scoring"
)

// Limits on what a kiosk sends.
const (
	maxDisplayNameLen   = 32
	MinIdentifierLen    = 4
	MaxIdentifierLen    = 64
	pseudonymKeyPurpose = "quiz pseudonym v1"
)

// attemptState is where an attempt is in its life.
type attemptState string

const (
	inProgress attemptState = "IN_PROGRESS"
	finished   attemptState = "FINISHED"
	// Expired attempts were not submitted in time; they finish at their
	// deadline with the answers that arrived before it.
	expired attemptState = "EXPIRED"
)

// attempt is one play of a contest by one participant. Scores are in
// hundredths of a point.
type attempt struct {
	ID          string
	ContestID   string
	Pseudonym   string
	Number      int
	DisplayName string
	Community   string
	// KeyID is the API key that started the attempt ("" before owners
	// were recorded); see mayReach.
	KeyID         string
	State         attemptState
	StartTime     time.Time
	Deadline      time.Time
	FinishTime    time.Time // zero while in progress
	QuestionCount int
	AnsweredCount int
	ScoreCenti    int64
	MaxScoreCenti int64
	// AttemptsLeft is set by Start only: how many more attempts the
	// participant may start at the contest after this one.
	AttemptsLeft int
}

// TimeUsed is how long the attempt took, 0 while in progress.
func (a attempt) TimeUsed() time.Duration {
	if a.FinishTime.IsZero() {
		return 0
	}
	return a.FinishTime.Sub(a.StartTime)
}

// PointsCenti is what each question of the attempt's paper is worth. Every
// question carries the contest's points, which are fixed once it is
// published, so the attempt's own totals give them without reading the
// contest again.
func (a attempt) PointsCenti() int {
	if a.QuestionCount == 0 {
		return 0
	}
	return int(a.MaxScoreCenti / int64(a.QuestionCount))
}

// Overdue reports whether the attempt is still open but its deadline has
// passed at t, so it must be finished as expired before anything else.
func (a attempt) Overdue(t time.Time) bool {
	return a.State == inProgress && !t.Before(a.Deadline)
}

// PaperItem is one question of a frozen paper and, once given, its answer.
type PaperItem struct {
	Position int
	Question question // the version shown, with its key
	// OptionOrder is the order the options are shown in (their keys).
	OptionOrder []string
	Answered    bool
	Chosen      []string
	Correct     bool
	EarnedCenti int64
	AnswerTime  time.Time
}

// The participant sees a question's options relabelled A, B, C… in the
// order shown, whatever keys the author gave them. With shuffled options,
// showing the author's keys would leak the answer whenever an author
// habitually puts the right option first. Answers arrive in shown labels
// and are stored in the author's keys, which scoring and statistics use.

// ShownOptions returns the options in the order the participant sees
// them, with their shown labels.
func (p PaperItem) ShownOptions() []option {
	byKey := make(map[string]option, len(p.Question.Options))
	for _, o := range p.Question.Options {
		byKey[o.Key] = o
	}
	out := make([]option, 0, len(p.OptionOrder))
	for _, k := range p.OptionOrder {
		if o, ok := byKey[k]; ok {
			out = append(out, option{Key: optionKey(len(out)), Text: o.Text})
		}
	}
	return out
}

// shownQuestion is the question with its options as shown, for checking
// an answer given in shown labels.
func (p PaperItem) shownQuestion() question {
	q := p.Question
	q.Options = p.ShownOptions()
	q.CorrectKeys = p.toShown(q.CorrectKeys)
	return q
}

// toAuthor maps shown labels to the author's keys; labels that name no
// option are dropped (checkChosen has refused them already).
func (p PaperItem) toAuthor(shown []string) []string {
	out := make([]string, 0, len(shown))
	for _, s := range shown {
		for i, k := range p.OptionOrder {
			if optionKey(i) == s {
				out = append(out, k)
			}
		}
	}
	return out
}

// toShown maps the author's keys to shown labels, in label order.
func (p PaperItem) toShown(author []string) []string {
	out := make([]string, 0, len(author))
	for _, a := range author {
		if i := slices.Index(p.OptionOrder, a); i >= 0 {
			out = append(out, optionKey(i))
		}
	}
	slices.Sort(out)
	return out
}

// NormalizeIdentifier reduces a phone or resident card number to the form
// that is hashed: spaces and hyphens removed, letters upper-cased, so
// "138 0013-8000" and "13800138000" are the same participant. It returns
// false unless the result is 4–64 letters, digits or a leading '+'.
func NormalizeIdentifier(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '-':
			continue
		case r == '+' && b.Len() == 0:
			b.WriteRune(r)
		case r >= '0' && r <= '9', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(unicode.ToUpper(r))
		default:
			return "", false
		}
	}
	out := b.String()
	return out, len(out) >= MinIdentifierLen && len(out) <= MaxIdentifierLen
}

// Pseudonym is the participant id stored instead of the identifier:
// hex(HMAC-SHA256(key, normalised identifier)). The key comes from the
// server secret, so the stored value cannot be reversed by trying every
// phone number without it.
func Pseudonym(key []byte, normalized string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(normalized))
	return hex.EncodeToString(m.Sum(nil))
}

// deadline is when answers stop being accepted for an attempt started at
// start: the time limit, cut short by the end of the contest window.
func deadline(start time.Time, s *Settings) time.Time {
	d := start.Add(s.TimeLimit)
	if s.EndTime.Before(d) {
		return s.EndTime
	}
	return d
}

// shuffler permutes n elements, like math/rand/v2.Shuffle.
type shuffler func(n int, swap func(i, j int))

// drawnQuestion is one slot of a new paper before it is stored.
type drawnQuestion struct {
	Ref         questionRef
	OptionOrder []string
}

// pick chooses count refs at random from pool without replacement.
func pick(pool []questionRef, count int, shuffle shuffler) []questionRef {
	p := slices.Clone(pool)
	shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p[:min(count, len(p))]
}

// arrange orders the drawn questions and their options as the contest
// says: shuffled, or in the order of the rule and of the question.
func arrange(refs []questionRef, options map[questionRef][]option, s *Settings, shuffle shuffler) []drawnQuestion {
	out := make([]drawnQuestion, len(refs))
	for i, r := range refs {
		keys := make([]string, 0, len(options[r]))
		for _, o := range options[r] {
			keys = append(keys, o.Key)
		}
		if s.ShuffleOptions {
			shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
		}
		out[i] = drawnQuestion{Ref: r, OptionOrder: keys}
	}
	if s.ShuffleQuestions {
		shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	}
	return out
}

// checkChosen validates an answer against the question it answers.
func checkChosen(v *apierr.Violations, field string, q question, chosen []string) {
	if len(chosen) == 0 {
		v.Add(field, "choose at least one option")
		return
	}
	if q.Type != multipleChoice && len(chosen) > 1 {
		v.Add(field, "a %s question takes exactly one option, not %d", q.Type, len(chosen))
	}
	seen := map[string]bool{}
	for i, k := range chosen {
		f := fmt.Sprintf("%s[%d]", field, i)
		if !slices.ContainsFunc(q.Options, func(o option) bool { return o.Key == k }) {
			v.Add(f, "%q is not an option of this question", k)
		}
		if seen[k] {
			v.Add(f, "%q is chosen twice", k)
		}
		seen[k] = true
	}
}

// scoreItem scores chosen against the question with the contest's points
// and policy, through the scoring engine that owns every scoring rule.
func scoreItem(q question, s *Settings, chosen []string) (earnedCenti int64, correct bool, err error) {
	earned, correct, err := scoring.ScoreAnswer(scoringType(q.Type), s.ScoringPolicy(), q.CorrectKeys, chosen, centi(int64(s.PointsCenti)))
	if err != nil {
		return 0, false, fmt.Errorf("quiz: score question %s@%d: %w", q.ID, q.Version, err)
	}
	return int64(math.Round(earned * 100)), correct, nil
}
