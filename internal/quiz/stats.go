package quiz

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/wenming/wenming/internal/scoring/stats"
	"github.com/wenming/wenming/internal/store"
)

// flagMinAttempts is how many finished attempts must have been shown a
// question before it is flagged too hard, too easy or non-discriminating.
const flagMinAttempts = 30

// itemKey names one question version on papers.
type itemKey struct {
	ID      string
	Version int
}

// scoredAttempt is what statistics need of one finished attempt.
type scoredAttempt struct {
	Pseudonym  string
	ScoreCenti int64
	// Items in paper order.
	Items []scoredItem
}

// scoredItem is one question of a finished attempt.
type scoredItem struct {
	Key      itemKey
	Answered bool
	Chosen   []string
	Correct  bool
}

// itemReport is the item analysis of one question version.
type itemReport struct {
	Question question
	Shown    int
	Answered int
	Correct  int
	stats.ItemStats
	// OptionCounts counts how many attempts chose each option key.
	OptionCounts map[string]int
}

// contestReport is the statistics of a contest's finished attempts.
type contestReport struct {
	Attempts     int
	Participants int
	Summary      stats.Summary
	Histogram    []stats.Bin
	KR20         float64
	KR20OK       bool
	Items        []itemReport
}

// analyze computes the contest statistics through internal/scoring/stats.
// Scores are in points (hundredths converted back). binWidth ≤ 0 means a
// tenth of maxScore.
//
// Each question's facility, interval, discrimination and flags come from
// stats.AnalyzeItems run on the attempts that were shown that question,
// with each attempt's row being the question's 0/1 result followed by one
// "correct" cell per other question it got right: the row total minus the
// item is then exactly the attempt's rest score, which is what the
// corrected item–total correlation needs even when random papers give
// attempts different questions. KR-20 needs one common set of items, so it
// is computed only when every attempt had the same questions.
func analyze(attempts []scoredAttempt, questions map[itemKey]question, maxScore, binWidth float64) contestReport {
	r := contestReport{Attempts: len(attempts)}
	scores := make([]float64, len(attempts))
	people := map[string]bool{}
	for i, a := range attempts {
		scores[i] = centi(a.ScoreCenti)
		people[a.Pseudonym] = true
	}
	r.Participants = len(people)
	r.Summary = stats.Summarize(scores)
	if binWidth <= 0 {
		binWidth = maxScore / 10
	}
	r.Histogram = stats.Histogram(scores, 0, maxScore, binWidth)

	// Items in order of first appearance; right[a] = number correct.
	var order []itemKey
	index := map[itemKey]int{}
	right := make([]int, len(attempts))
	for ai, a := range attempts {
		for _, it := range a.Items {
			if _, ok := index[it.Key]; !ok {
				index[it.Key] = len(order)
				order = append(order, it.Key)
			}
			if it.Correct {
				right[ai]++
			}
		}
	}
	r.Items = make([]itemReport, len(order))
	rows := make([][][]bool, len(order))
	for i, k := range order {
		r.Items[i] = itemReport{Question: questions[k], OptionCounts: map[string]int{}}
	}
	samePaper := true
	for ai, a := range attempts {
		if len(a.Items) != len(order) {
			samePaper = false
		}
		for _, it := range a.Items {
			i := index[it.Key]
			rep := &r.Items[i]
			rep.Shown++
			if it.Answered {
				rep.Answered++
				for _, c := range it.Chosen {
					rep.OptionCounts[c]++
				}
			}
			row := make([]bool, 1, right[ai]+1)
			row[0] = it.Correct
			rest := right[ai]
			if it.Correct {
				rest--
				rep.Correct++
			}
			for range rest {
				row = append(row, true)
			}
			rows[i] = append(rows[i], row)
		}
	}
	for i := range r.Items {
		items, _, _ := stats.AnalyzeItems(rows[i], flagMinAttempts)
		if len(items) > 0 {
			r.Items[i].ItemStats = items[0]
		}
	}
	if samePaper && len(attempts) > 0 {
		matrix := make([][]bool, len(attempts))
		for ai, a := range attempts {
			matrix[ai] = make([]bool, len(order))
			for _, it := range a.Items {
				matrix[ai][index[it.Key]] = it.Correct
			}
		}
		_, r.KR20, r.KR20OK = stats.AnalyzeItems(matrix, flagMinAttempts)
	}
	return r
}

type scoredRow struct {
	AttemptID string  `db:"id"`
	Pseudonym string  `db:"pseudonym"`
	Score     int64   `db:"score"`
	QID       string  `db:"question_id"`
	QVersion  int     `db:"question_version"`
	Chosen    *string `db:"chosen_keys"`
	Correct   bool    `db:"correct"`
}

// scoredAttempts reads every finished attempt of a contest with its items,
// and the question versions they showed.
func scoredAttempts(ctx context.Context, db store.Queryer, contestID string) ([]scoredAttempt, map[itemKey]question, error) {
	var rows []scoredRow
	err := db.SelectContext(ctx, &rows, db.Rebind(
		`SELECT a.id, a.pseudonym, a.score, p.question_id, p.question_version, p.chosen_keys, p.correct
		 FROM attempts a JOIN attempt_questions p ON p.attempt_id = a.id
		 WHERE a.contest_id = ? AND a.state <> ?
		 ORDER BY a.id, p.position`), contestID, string(inProgress))
	if err != nil {
		return nil, nil, fmt.Errorf("quiz: read attempts: %w", err)
	}
	var out []scoredAttempt
	last := ""
	for _, r := range rows {
		if r.AttemptID != last {
			out = append(out, scoredAttempt{Pseudonym: r.Pseudonym, ScoreCenti: r.Score})
			last = r.AttemptID
		}
		it := scoredItem{Key: itemKey{r.QID, r.QVersion}, Correct: r.Correct}
		if r.Chosen != nil {
			it.Answered = true
			if err := json.Unmarshal([]byte(*r.Chosen), &it.Chosen); err != nil {
				return nil, nil, fmt.Errorf("quiz: attempt %s answer: %w", r.AttemptID, err)
			}
		}
		a := &out[len(out)-1]
		a.Items = append(a.Items, it)
	}
	// The versions shown, in one query rather than one per version. An
	// attempt finishing between the two reads can only add versions.
	qs, err := store.SelectAll(ctx, db, questionRow.question, selectQuestion+
		` WHERE (v.question_id, v.version) IN (
		     SELECT p.question_id, p.question_version
		     FROM attempts a JOIN attempt_questions p ON p.attempt_id = a.id
		     WHERE a.contest_id = ? AND a.state <> ?)`, contestID, string(inProgress))
	if err != nil {
		return nil, nil, fmt.Errorf("quiz: read questions: %w", err)
	}
	questions := make(map[itemKey]question, len(qs))
	for _, q := range qs {
		questions[itemKey{ID: q.ID, Version: q.Version}] = q
	}
	return out, questions, nil
}
