package quiz

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/scoring"
)

// Limits and defaults of contest settings.
const (
	maxTitleLen        = 100
	maxDescriptionLen  = 2000
	maxOrganiserLen    = 100
	maxCommunityLen    = 64
	maxPaperQuestions  = 200
	maxDrawRules       = 50
	minTimeLimit       = 10 * time.Second
	maxTimeLimit       = 4 * time.Hour
	defaultTimeLimit   = 10 * time.Minute
	maxAttemptsAllowed = 100
	maxPoints          = 1000
	defaultPoints      = 10
)

// contestState is where a contest is in its life.
type contestState string

const (
	draft     contestState = "DRAFT"
	published contestState = "PUBLISHED"
	closed    contestState = "CLOSED"
)

// Counting says which attempt of a participant the leaderboard uses.
type Counting string

const (
	CountBest  Counting = "BEST"
	countFirst Counting = "FIRST"
)

// Policy names for multiple-choice scoring.
const (
	allOrNothing = "ALL_OR_NOTHING"
	Partial      = "PARTIAL"
)

// DrawRule draws Count active questions of a category (and difficulty, if
// set).
type DrawRule struct {
	Category   string     `json:"category"`
	Difficulty difficulty `json:"difficulty,omitempty"`
	Count      int        `json:"count"`
}

// Settings is what an organiser writes for a contest. It is stored as JSON.
type Settings struct {
	Title            string        `json:"title"`
	Description      string        `json:"description,omitempty"`
	Organiser        string        `json:"organiser,omitempty"`
	Community        string        `json:"community,omitempty"`
	StartTime        time.Time     `json:"start_time"`
	EndTime          time.Time     `json:"end_time"`
	FixedQuestions   []string      `json:"fixed_questions,omitempty"`
	Draws            []DrawRule    `json:"draws,omitempty"`
	ShuffleQuestions bool          `json:"shuffle_questions"`
	ShuffleOptions   bool          `json:"shuffle_options"`
	TimeLimit        time.Duration `json:"time_limit"`
	AttemptsAllowed  int           `json:"attempts_allowed"`
	// Points per question in hundredths, so scores add up exactly.
	PointsCenti int      `json:"points_centi"`
	MultiPolicy string   `json:"multiple_choice_policy"`
	Counting    Counting `json:"counting_attempt"`
}

// contest is a quiz contest.
type contest struct {
	ID string
	Settings
	State       contestState
	CreateTime  time.Time
	UpdateTime  time.Time
	PublishTime time.Time // zero until published
}

// QuestionCount is the number of questions on every paper.
func (s *Settings) QuestionCount() int {
	if len(s.FixedQuestions) > 0 {
		return len(s.FixedQuestions)
	}
	n := 0
	for _, d := range s.Draws {
		n += d.Count
	}
	return n
}

// MaxScoreCenti is the best possible score in hundredths.
func (s *Settings) MaxScoreCenti() int64 { return int64(s.QuestionCount()) * int64(s.PointsCenti) }

// ScoringPolicy maps the stored policy to the scoring engine's.
func (s *Settings) ScoringPolicy() scoring.MultiPolicy {
	if s.MultiPolicy == Partial {
		return scoring.Partial
	}
	return scoring.AllOrNothing
}

// pointsFromFloat converts points as written (e.g. 2.5) to hundredths,
// reporting whether the value had no finer precision.
func pointsFromFloat(p float64) (int, bool) {
	c := math.Round(p * 100)
	return int(c), math.Abs(c-p*100) < 1e-6
}

// centi turns hundredths back into points.
func centi(c int64) float64 { return float64(c) / 100 }

// Normalize trims text and fills defaults before validation.
func (s *Settings) Normalize() {
	s.Title = strings.TrimSpace(s.Title)
	s.Description = strings.TrimSpace(s.Description)
	s.Organiser = strings.TrimSpace(s.Organiser)
	s.Community = strings.TrimSpace(s.Community)
	for i := range s.FixedQuestions {
		s.FixedQuestions[i] = strings.TrimSpace(s.FixedQuestions[i])
	}
	for i := range s.Draws {
		s.Draws[i].Category = strings.TrimSpace(s.Draws[i].Category)
	}
	if s.TimeLimit == 0 {
		s.TimeLimit = defaultTimeLimit
	}
	if s.AttemptsAllowed == 0 {
		s.AttemptsAllowed = 1
	}
	if s.PointsCenti == 0 {
		s.PointsCenti = defaultPoints * 100
	}
	if s.MultiPolicy == "" {
		s.MultiPolicy = allOrNothing
	}
	if s.Counting == "" {
		s.Counting = CountBest
	}
	s.StartTime = s.StartTime.UTC().Truncate(time.Microsecond)
	s.EndTime = s.EndTime.UTC().Truncate(time.Microsecond)
}

// Validate records every problem with the settings under prefix (e.g.
// "contest."). It checks only the settings themselves; whether the bank can
// satisfy the paper rule is checked on publish.
func (s *Settings) Validate(v *apierr.Violations, prefix string) {
	v.RequiredText(prefix+"title", s.Title, maxTitleLen)
	v.Text(prefix+"description", s.Description, maxDescriptionLen)
	v.Text(prefix+"organiser", s.Organiser, maxOrganiserLen)
	v.Text(prefix+"community", s.Community, maxCommunityLen)
	switch {
	case s.StartTime.IsZero() || s.StartTime.Unix() <= 0:
		v.Add(prefix+"start_time", "is required")
	case s.EndTime.IsZero() || s.EndTime.Unix() <= 0:
		v.Add(prefix+"end_time", "is required")
	case !s.EndTime.After(s.StartTime):
		v.Add(prefix+"end_time", "must be after start_time")
	}
	s.validatePaper(v, prefix+"paper.")
	if s.TimeLimit < minTimeLimit || s.TimeLimit > maxTimeLimit {
		v.Add(prefix+"time_limit_seconds", "must be between %d and %d seconds", int(minTimeLimit.Seconds()), int(maxTimeLimit.Seconds()))
	}
	if s.AttemptsAllowed < 1 || s.AttemptsAllowed > maxAttemptsAllowed {
		v.Add(prefix+"attempts_allowed", "must be between 1 and %d", maxAttemptsAllowed)
	}
	if s.PointsCenti <= 0 || s.PointsCenti > maxPoints*100 {
		v.Add(prefix+"points_per_question", "must be greater than 0 and at most %d", maxPoints)
	}
	if s.MultiPolicy != allOrNothing && s.MultiPolicy != Partial {
		v.Add(prefix+"multiple_choice_policy", "must be ALL_OR_NOTHING or PARTIAL")
	}
	if s.Counting != CountBest && s.Counting != countFirst {
		v.Add(prefix+"counting_attempt", "must be BEST or FIRST")
	}
}

func (s *Settings) validatePaper(v *apierr.Violations, prefix string) {
	switch {
	case len(s.FixedQuestions) > 0 && len(s.Draws) > 0:
		v.Add(prefix[:len(prefix)-1], "give either fixed questions or random draws, not both")
		return
	case len(s.FixedQuestions) == 0 && len(s.Draws) == 0:
		v.Add(prefix[:len(prefix)-1], "is required: a fixed list of questions or random draws")
		return
	}
	if n := len(s.FixedQuestions); n > maxPaperQuestions {
		v.Add(prefix+"fixed.question_ids", "lists %d questions; the limit is %d", n, maxPaperQuestions)
	}
	seen := map[string]bool{}
	for i, id := range s.FixedQuestions {
		f := fmt.Sprintf("%sfixed.question_ids[%d]", prefix, i)
		if v.RequiredText(f, id, maxIDLen) && seen[id] {
			v.Add(f, "question %q is listed twice", id)
		}
		seen[id] = true
	}
	if len(s.Draws) > maxDrawRules {
		v.Add(prefix+"random.draws", "has %d rules; the limit is %d", len(s.Draws), maxDrawRules)
	}
	// A question must not match two rules, or one attempt could be shown it
	// twice: per category, either one rule for any difficulty or one rule
	// per difficulty.
	anyDifficulty := map[string]bool{}
	byDifficulty := map[string]bool{}
	total := 0
	for i, d := range s.Draws {
		f := fmt.Sprintf("%srandom.draws[%d]", prefix, i)
		v.RequiredText(f+".category", d.Category, maxCategoryLen)
		switch d.Difficulty {
		case "", easy, medium, hard:
		default:
			v.Add(f+".difficulty", "unknown difficulty %q", d.Difficulty)
		}
		if d.Count < 1 || d.Count > maxPaperQuestions {
			v.Add(f+".count", "must be between 1 and %d", maxPaperQuestions)
		} else {
			total += d.Count
		}
		key := d.Category + "\x00" + string(d.Difficulty)
		switch {
		case d.Difficulty == "" && (anyDifficulty[d.Category] || byDifficulty[d.Category]),
			d.Difficulty != "" && (anyDifficulty[d.Category] || byDifficulty[key]):
			v.Add(f, "overlaps an earlier rule for category %q; give one rule for any difficulty or one per difficulty", d.Category)
		}
		if d.Difficulty == "" {
			anyDifficulty[d.Category] = true
		} else {
			byDifficulty[key] = true
			byDifficulty[d.Category] = true
		}
	}
	if total > maxPaperQuestions {
		v.Add(prefix+"random.draws", "draw %d questions in total; the limit is %d", total, maxPaperQuestions)
	}
}
