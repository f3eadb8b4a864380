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
	MaxTitleLen        = 100
	MaxDescriptionLen  = 2000
	MaxOrganiserLen    = 100
	MaxCommunityLen    = 64
	MaxPaperQuestions  = 200
	MaxDrawRules       = 50
	MinTimeLimit       = 10 * time.Second
	MaxTimeLimit       = 4 * time.Hour
	DefaultTimeLimit   = 10 * time.Minute
	MaxAttemptsAllowed = 100
	MaxPoints          = 1000
	DefaultPoints      = 10
)

// ContestState is where a contest is in its life.
type ContestState string

const (
	Draft     ContestState = "DRAFT"
	Published ContestState = "PUBLISHED"
	Closed    ContestState = "CLOSED"
)

// Counting says which attempt of a participant the leaderboard uses.
type Counting string

const (
	CountBest  Counting = "BEST"
	CountFirst Counting = "FIRST"
)

// Policy names for multiple-choice scoring.
const (
	AllOrNothing = "ALL_OR_NOTHING"
	Partial      = "PARTIAL"
)

// DrawRule draws Count active questions of a category (and difficulty, if
// set).
type DrawRule struct {
	Category   string     `json:"category"`
	Difficulty Difficulty `json:"difficulty,omitempty"`
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

// Contest is a quiz contest.
type Contest struct {
	ID string
	Settings
	State       ContestState
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

// PointsFromFloat converts points as written (e.g. 2.5) to hundredths,
// reporting whether the value had no finer precision.
func PointsFromFloat(p float64) (int, bool) {
	c := math.Round(p * 100)
	return int(c), math.Abs(c-p*100) < 1e-6
}

// Centi turns hundredths back into points.
func Centi(c int64) float64 { return float64(c) / 100 }

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
		s.TimeLimit = DefaultTimeLimit
	}
	if s.AttemptsAllowed == 0 {
		s.AttemptsAllowed = 1
	}
	if s.PointsCenti == 0 {
		s.PointsCenti = DefaultPoints * 100
	}
	if s.MultiPolicy == "" {
		s.MultiPolicy = AllOrNothing
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
	v.RequiredText(prefix+"title", s.Title, MaxTitleLen)
	v.Text(prefix+"description", s.Description, MaxDescriptionLen)
	v.Text(prefix+"organiser", s.Organiser, MaxOrganiserLen)
	v.Text(prefix+"community", s.Community, MaxCommunityLen)
	switch {
	case s.StartTime.IsZero() || s.StartTime.Unix() <= 0:
		v.Add(prefix+"start_time", "is required")
	case s.EndTime.IsZero() || s.EndTime.Unix() <= 0:
		v.Add(prefix+"end_time", "is required")
	case !s.EndTime.After(s.StartTime):
		v.Add(prefix+"end_time", "must be after start_time")
	}
	s.validatePaper(v, prefix+"paper.")
	if s.TimeLimit < MinTimeLimit || s.TimeLimit > MaxTimeLimit {
		v.Add(prefix+"time_limit_seconds", "must be between %d and %d seconds", int(MinTimeLimit.Seconds()), int(MaxTimeLimit.Seconds()))
	}
	if s.AttemptsAllowed < 1 || s.AttemptsAllowed > MaxAttemptsAllowed {
		v.Add(prefix+"attempts_allowed", "must be between 1 and %d", MaxAttemptsAllowed)
	}
	if s.PointsCenti <= 0 || s.PointsCenti > MaxPoints*100 {
		v.Add(prefix+"points_per_question", "must be greater than 0 and at most %d", MaxPoints)
	}
	if s.MultiPolicy != AllOrNothing && s.MultiPolicy != Partial {
		v.Add(prefix+"multiple_choice_policy", "must be ALL_OR_NOTHING or PARTIAL")
	}
	if s.Counting != CountBest && s.Counting != CountFirst {
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
	if n := len(s.FixedQuestions); n > MaxPaperQuestions {
		v.Add(prefix+"fixed.question_ids", "lists %d questions; the limit is %d", n, MaxPaperQuestions)
	}
	seen := map[string]bool{}
	for i, id := range s.FixedQuestions {
		f := fmt.Sprintf("%sfixed.question_ids[%d]", prefix, i)
		if v.RequiredText(f, id, maxIDLen) && seen[id] {
			v.Add(f, "question %q is listed twice", id)
		}
		seen[id] = true
	}
	if len(s.Draws) > MaxDrawRules {
		v.Add(prefix+"random.draws", "has %d rules; the limit is %d", len(s.Draws), MaxDrawRules)
	}
	// A question must not match two rules, or one attempt could be shown it
	// twice: per category, either one rule for any difficulty or one rule
	// per difficulty.
	anyDifficulty := map[string]bool{}
	byDifficulty := map[string]bool{}
	total := 0
	for i, d := range s.Draws {
		f := fmt.Sprintf("%srandom.draws[%d]", prefix, i)
		v.RequiredText(f+".category", d.Category, MaxCategoryLen)
		switch d.Difficulty {
		case "", Easy, Medium, Hard:
		default:
			v.Add(f+".difficulty", "unknown difficulty %q", d.Difficulty)
		}
		if d.Count < 1 || d.Count > MaxPaperQuestions {
			v.Add(f+".count", "must be between 1 and %d", MaxPaperQuestions)
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
	if total > MaxPaperQuestions {
		v.Add(prefix+"random.draws", "draw %d questions in total; the limit is %d", total, MaxPaperQuestions)
	}
}
