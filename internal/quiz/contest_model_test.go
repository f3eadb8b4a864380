package quiz

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/apierr"
)

func violationFields(v *apierr.Violations) []string {
	var out []string
	for _, l := range v.Lines() {
		f, _, _ := strings.Cut(l, ": ")
		out = append(out, f)
	}
	return out
}

func TestSettingsValidateNamesEveryBadField(t *testing.T) {
	t.Parallel()
	draw := func(cat string, d difficulty, n int) DrawRule {
		return DrawRule{Category: cat, Difficulty: d, Count: n}
	}
	tests := []struct {
		name   string
		change func(s *Settings)
		want   []string // fields, in order; nil means valid
	}{
		{"valid fixed paper", func(*Settings) {}, nil},
		{"valid random paper", func(s *Settings) {
			s.FixedQuestions = nil
			s.Draws = []DrawRule{draw("交通出行", easy, 2), draw("交通出行", hard, 1), draw("网络文明", "", 3)}
		}, nil},
		{"blank title", func(s *Settings) { s.Title = "" }, []string{"contest.title"}},
		{"title too long", func(s *Settings) { s.Title = strings.Repeat("文", maxTitleLen+1) }, []string{"contest.title"}},
		{"no start", func(s *Settings) { s.StartTime = time.Time{} }, []string{"contest.start_time"}},
		{"end before start", func(s *Settings) { s.EndTime = s.StartTime.Add(-time.Second) }, []string{"contest.end_time"}},
		{"no paper", func(s *Settings) { s.FixedQuestions = nil }, []string{"contest.paper"}},
		{"both papers", func(s *Settings) { s.Draws = []DrawRule{draw("a", "", 1)} }, []string{"contest.paper"}},
		{"duplicate fixed question", func(s *Settings) { s.FixedQuestions = []string{"q1", "q1"} },
			[]string{"contest.paper.fixed.question_ids[1]"}},
		{"blank fixed question", func(s *Settings) { s.FixedQuestions = []string{"q1", " "} },
			[]string{"contest.paper.fixed.question_ids[1]"}},
		{"draw without category or count", func(s *Settings) {
			s.FixedQuestions = nil
			s.Draws = []DrawRule{{Count: 0}}
		}, []string{"contest.paper.random.draws[0].category", "contest.paper.random.draws[0].count"}},
		{"unknown draw difficulty", func(s *Settings) {
			s.FixedQuestions = nil
			s.Draws = []DrawRule{draw("a", "VERY", 1)}
		}, []string{"contest.paper.random.draws[0].difficulty"}},
		{"overlapping draws: any then specific", func(s *Settings) {
			s.FixedQuestions = nil
			s.Draws = []DrawRule{draw("a", "", 1), draw("a", easy, 1)}
		}, []string{"contest.paper.random.draws[1]"}},
		{"overlapping draws: specific then any", func(s *Settings) {
			s.FixedQuestions = nil
			s.Draws = []DrawRule{draw("a", easy, 1), draw("a", "", 1)}
		}, []string{"contest.paper.random.draws[1]"}},
		{"same difficulty twice", func(s *Settings) {
			s.FixedQuestions = nil
			s.Draws = []DrawRule{draw("a", easy, 1), draw("a", easy, 1)}
		}, []string{"contest.paper.random.draws[1]"}},
		{"too many questions drawn", func(s *Settings) {
			s.FixedQuestions = nil
			s.Draws = []DrawRule{draw("a", "", 150), draw("b", "", 51)}
		}, []string{"contest.paper.random.draws"}},
		{"time limit too short", func(s *Settings) { s.TimeLimit = 5 * time.Second }, []string{"contest.time_limit_seconds"}},
		{"time limit too long", func(s *Settings) { s.TimeLimit = 5 * time.Hour }, []string{"contest.time_limit_seconds"}},
		{"negative attempts", func(s *Settings) { s.AttemptsAllowed = -1 }, []string{"contest.attempts_allowed"}},
		{"negative points", func(s *Settings) { s.PointsCenti = -100 }, []string{"contest.points_per_question"}},
		{"unknown policy", func(s *Settings) { s.MultiPolicy = "SOME" }, []string{"contest.multiple_choice_policy"}},
		{"unknown counting", func(s *Settings) { s.Counting = "LAST" }, []string{"contest.counting_attempt"}},
		{"everything wrong at once", func(s *Settings) {
			s.Title, s.TimeLimit, s.Counting = "", time.Second, "LAST"
		}, []string{"contest.title", "contest.time_limit_seconds", "contest.counting_attempt"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := settings("q1", "q2")
			tc.change(&s)
			var v apierr.Violations
			s.Validate(&v, "contest.")
			if got := violationFields(&v); !slices.Equal(got, tc.want) {
				t.Errorf("violations on %v, want %v\n%s", got, tc.want, strings.Join(v.Lines(), "\n"))
			}
		})
	}
}

func TestSettingsNormalizeFillsDefaults(t *testing.T) {
	t.Parallel()
	s := Settings{Title: "  竞赛 ", FixedQuestions: []string{" q1 "}}
	s.Normalize()
	if s.Title != "竞赛" || s.FixedQuestions[0] != "q1" || s.TimeLimit != defaultTimeLimit || s.AttemptsAllowed != 1 ||
		s.PointsCenti != 1000 || s.MultiPolicy != allOrNothing || s.Counting != CountBest {
		t.Errorf("Normalize gave %+v", s)
	}
}

func TestDeadlineIsTimeLimitCutByContestEnd(t *testing.T) {
	t.Parallel()
	s := settings("q")
	s.TimeLimit = 10 * time.Minute
	tests := []struct {
		start, want time.Time
	}{
		{t0, t0.Add(10 * time.Minute)},                // plenty of window left
		{s.EndTime.Add(-3 * time.Minute), s.EndTime},  // window ends first
		{s.EndTime.Add(-10 * time.Minute), s.EndTime}, // both at once
	}
	for _, tc := range tests {
		if got := deadline(tc.start, &s); !got.Equal(tc.want) {
			t.Errorf("Deadline(start %v) = %v, want %v", tc.start, got, tc.want)
		}
	}
}

func TestNormalizeIdentifier(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"13800138000", "13800138000", true},
		{" 138 0013-8000 ", "13800138000", true},
		{"+86 138 0013 8000", "+8613800138000", true},
		{"11010519491231002x", "11010519491231002X", true},
		{"123", "", false},                   // too short
		{"138@0013", "", false},              // not a phone or card number
		{"1+38", "", false},                  // '+' only leads
		{strings.Repeat("1", 65), "", false}, // too long
		{"１３８００１３８０００", "", false},           // full-width digits are refused, not guessed
	}
	for _, tc := range tests {
		got, ok := NormalizeIdentifier(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("NormalizeIdentifier(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestPseudonymIsKeyedAndStable(t *testing.T) {
	t.Parallel()
	a := Pseudonym([]byte("key one"), "13800138000")
	if a != Pseudonym([]byte("key one"), "13800138000") {
		t.Error("pseudonym is not stable")
	}
	if a == Pseudonym([]byte("key two"), "13800138000") {
		t.Error("pseudonym does not depend on the key")
	}
	if strings.Contains(a, "13800138000") || len(a) != 64 {
		t.Errorf("pseudonym %q should be 64 hex digits of HMAC", a)
	}
}

func TestScoreItemUsesContestPointsAndPolicy(t *testing.T) {
	t.Parallel()
	multi := question{ID: "m", Version: 1, Content: Content{Type: multipleChoice, CorrectKeys: []string{"A", "B", "C"}}}
	single := question{ID: "s", Version: 1, Content: Content{Type: singleChoice, CorrectKeys: []string{"B"}}}
	tf := question{ID: "t", Version: 1, Content: Content{Type: trueFalse, CorrectKeys: []string{"A"}}}
	tests := []struct {
		name    string
		q       question
		policy  string
		points  int // hundredths
		chosen  []string
		earned  int64
		correct bool
	}{
		{"single right", single, allOrNothing, 1000, []string{"B"}, 1000, true},
		{"single wrong", single, Partial, 1000, []string{"A"}, 0, false},
		{"true/false right", tf, allOrNothing, 500, []string{"A"}, 500, true},
		{"true/false wrong", tf, allOrNothing, 500, []string{"B"}, 0, false},
		{"multi all or nothing, exact set", multi, allOrNothing, 1000, []string{"C", "B", "A"}, 1000, true},
		{"multi all or nothing, subset", multi, allOrNothing, 1000, []string{"A", "B"}, 0, false},
		{"multi partial, 2 of 3 of 10 points", multi, Partial, 1000, []string{"A", "B"}, 667, false}, // 6.666… → 6.67
		{"multi partial, 1 of 3 of 2.5 points", multi, Partial, 250, []string{"C"}, 83, false},       // 0.8333… → 0.83
		{"multi partial, a wrong option", multi, Partial, 1000, []string{"A", "D"}, 0, false},        // any wrong → 0
		{"multi partial, everything", multi, Partial, 1000, []string{"A", "B", "C"}, 1000, true},     // full set
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := Settings{PointsCenti: tc.points, MultiPolicy: tc.policy}
			earned, correct, err := scoreItem(tc.q, &s, tc.chosen)
			if err != nil || earned != tc.earned || correct != tc.correct {
				t.Errorf("scoreItem = %d, %v, %v; want %d, %v", earned, correct, err, tc.earned, tc.correct)
			}
		})
	}
}

func TestCheckChosen(t *testing.T) {
	t.Parallel()
	q := question{Content: Content{Type: singleChoice, Options: []option{{Key: "A"}, {Key: "B"}}}}
	m := question{Content: Content{Type: multipleChoice, Options: []option{{Key: "A"}, {Key: "B"}}}}
	tests := []struct {
		name   string
		q      question
		chosen []string
		want   []string
	}{
		{"one valid key", q, []string{"B"}, nil},
		{"nothing", q, nil, []string{"chosen_keys"}},
		{"two keys on single choice", q, []string{"A", "B"}, []string{"chosen_keys"}},
		{"unknown key", q, []string{"Z"}, []string{"chosen_keys[0]"}},
		{"several keys on multiple choice", m, []string{"A", "B"}, nil},
		{"repeated key", m, []string{"A", "A"}, []string{"chosen_keys[1]"}},
	}
	for _, tc := range tests {
		var v apierr.Violations
		checkChosen(&v, "chosen_keys", tc.q, tc.chosen)
		if got := violationFields(&v); !slices.Equal(got, tc.want) {
			t.Errorf("%s: violations on %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestArrangeShufflesOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	refs := []questionRef{{ID: "q1", Version: 1}, {ID: "q2", Version: 1}}
	opts := map[questionRef][]option{refs[0]: {{Key: "A"}, {Key: "B"}, {Key: "C"}}, refs[1]: {{Key: "A"}, {Key: "B"}}}
	reverse := func(n int, swap func(i, j int)) {
		for i := 0; i < n/2; i++ {
			swap(i, n-1-i)
		}
	}
	s := settings()
	plain := arrange(refs, opts, &s, reverse)
	if plain[0].Ref.ID != "q1" || !slices.Equal(plain[0].OptionOrder, []string{"A", "B", "C"}) {
		t.Errorf("without shuffling got %+v", plain)
	}
	s.ShuffleQuestions, s.ShuffleOptions = true, true
	mixed := arrange(refs, opts, &s, reverse)
	if mixed[0].Ref.ID != "q2" || !slices.Equal(mixed[1].OptionOrder, []string{"C", "B", "A"}) {
		t.Errorf("with shuffling got %+v", mixed)
	}
	if got := pick(refs, 1, reverse); len(got) != 1 || got[0].ID != "q2" {
		t.Errorf("pick = %+v", got)
	}
}

func TestShuffledOptionsAreRelabelledInShownOrder(t *testing.T) {
	t.Parallel()
	it := PaperItem{
		Question: question{Content: Content{Type: multipleChoice,
			Options:     []option{{Key: "A", Text: "甲"}, {Key: "B", Text: "乙"}, {Key: "C", Text: "丙"}},
			CorrectKeys: []string{"A", "C"}}},
		OptionOrder: []string{"C", "A", "B"}, // shown: 丙 甲 乙
	}
	shown := it.ShownOptions()
	if got := []string{shown[0].Key + shown[0].Text, shown[1].Key + shown[1].Text, shown[2].Key + shown[2].Text}; !slices.Equal(got, []string{"A丙", "B甲", "C乙"}) {
		t.Errorf("shown options = %v", got)
	}
	if got := it.toShown(it.Question.CorrectKeys); !slices.Equal(got, []string{"A", "B"}) {
		t.Errorf("correct keys shown as %v, want A B (丙 and 甲)", got)
	}
	if got := it.toAuthor([]string{"B", "A"}); !slices.Equal(got, []string{"A", "C"}) {
		t.Errorf("answer B A stored as %v, want the author's A C", got)
	}
}
