package quiz

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// play runs attempts: it draws and freezes papers, owns the clock, scores
// answers and keeps the leaderboard. Attempts whose deadline passes without
// a submission are finished lazily, by whichever call reads them next
// (including leaderboard and statistics reads), so no background job is
// needed and every replica sees the same result.
type play struct {
	db      *store.DB
	now     func() time.Time
	shuffle shuffler
	// loc is the zone participation days are counted in.
	loc *time.Location
}

// newPlay returns the attempt operations with a clock and a shuffler.
func newPlay(db *store.DB, now func() time.Time, shuffle shuffler) *play {
	return &play{db: db, now: now, shuffle: shuffle, loc: time.UTC}
}

func (p *play) clock() time.Time { return store.Stamp(p.now()) }

// participant is who starts an attempt.
type participant struct {
	Pseudonym   string
	DisplayName string
	Community   string
	KeyID       string // the API key starting the attempt, its owner
}

// Start draws a paper for the participant and starts the clock, inside tx.
func (p *play) Start(ctx context.Context, tx *store.Tx, contestID string, who participant) (attempt, []PaperItem, error) {
	c, err := getContest(ctx, tx, contestID)
	if err != nil {
		return attempt{}, nil, err
	}
	t := p.clock()
	switch {
	case c.State == draft:
		return attempt{}, nil, apierr.FailedPrecondition(apierr.ContestNotOpen, "contest %s is not published yet", c.ID)
	case c.State == closed || !t.Before(c.EndTime):
		return attempt{}, nil, apierr.FailedPrecondition(apierr.ContestNotOpen, "contest %s has ended", c.ID)
	case t.Before(c.StartTime):
		return attempt{}, nil, apierr.FailedPrecondition(apierr.ContestNotOpen, "contest %s opens at %s", c.ID, c.StartTime.Format(time.RFC3339))
	case who.Community == "":
		return attempt{}, nil, apierr.Field("community", "is required")
	case c.Community != "" && who.Community != c.Community:
		return attempt{}, nil, apierr.FailedPrecondition(apierr.CommunityMismatch, "contest %s is only for community %q", c.ID, c.Community)
	}
	n, err := bumpParticipant(ctx, tx, c.ID, who.Pseudonym)
	if err != nil {
		return attempt{}, nil, err
	}
	if n > c.AttemptsAllowed {
		return attempt{}, nil, attemptLimitError(c.ID, c.AttemptsAllowed)
	}
	paper, err := p.draw(ctx, tx, &c.Settings)
	if err != nil {
		return attempt{}, nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return attempt{}, nil, err
	}
	a := attempt{
		ID: id.String(), ContestID: c.ID, Pseudonym: who.Pseudonym, Number: n,
		DisplayName: who.DisplayName, Community: who.Community, KeyID: who.KeyID, State: inProgress,
		StartTime: t, Deadline: deadline(t, &c.Settings), QuestionCount: len(paper),
		MaxScoreCenti: int64(len(paper)) * int64(c.PointsCenti), AttemptsLeft: c.AttemptsAllowed - n,
	}
	if err := insertAttempt(ctx, tx, a, paper); err != nil {
		return attempt{}, nil, err
	}
	if err := (participationDays{}).count(ctx, tx, c.ID, who.Community, t, p.loc, n == 1); err != nil {
		return attempt{}, nil, err
	}
	return a, paper, nil
}

// draw picks the questions of a new paper: the fixed list (minus questions
// retired since publishing) or the random draws, then arranges them. The
// versions drawn are marked used before they are read, so the paper
// returned is what the attempt shows from now on.
func (p *play) draw(ctx context.Context, tx *store.Tx, s *Settings) ([]PaperItem, error) {
	var refs []questionRef
	if len(s.FixedQuestions) > 0 {
		found, err := questionRefs(ctx, tx, s.FixedQuestions)
		if err != nil {
			return nil, err
		}
		for _, id := range s.FixedQuestions {
			if r, ok := found[id]; ok && r.State == string(active) {
				refs = append(refs, r)
			}
		}
		if len(refs) == 0 {
			return nil, apierr.FailedPrecondition(apierr.PaperUnavailable, "every question of this contest's paper has been retired")
		}
	}
	pools, err := drawPools(ctx, tx, s.Draws)
	if err != nil {
		return nil, err
	}
	for i, d := range s.Draws {
		if len(pools[i]) < d.Count {
			return nil, apierr.FailedPrecondition(apierr.PaperUnavailable,
				"the bank no longer has %d active questions for draw %d (%s); ask the organiser", d.Count, i, d.Category)
		}
		refs = append(refs, pick(pools[i], d.Count, p.shuffle)...)
	}
	keys := make([]itemKey, len(refs))
	for i, r := range refs {
		keys[i] = itemKey{ID: r.ID, Version: r.Version}
	}
	if err := markUsed(ctx, tx, keys); err != nil {
		return nil, err
	}
	questions, err := questionVersions(ctx, tx, keys)
	if err != nil {
		return nil, err
	}
	options := make(map[questionRef][]option, len(refs))
	for i, r := range refs {
		q, ok := questions[keys[i]]
		if !ok {
			return nil, fmt.Errorf("quiz: draw %s@%d: %w", r.ID, r.Version, errNotFound)
		}
		options[r] = q.Options
	}
	drawn := arrange(refs, options, s, p.shuffle)
	paper := make([]PaperItem, len(drawn))
	for i, d := range drawn {
		paper[i] = PaperItem{Position: i, Question: questions[itemKey{ID: d.Ref.ID, Version: d.Ref.Version}], OptionOrder: d.OptionOrder}
	}
	return paper, nil
}

// load reads an attempt and its contest inside tx; under onlyReachable,
// an attempt the caller may not reach is NOT_FOUND.
func load(ctx context.Context, q store.Queryer, attemptID string) (attempt, contest, error) {
	a, c, err := getAttemptContest(ctx, q, attemptID)
	if errors.Is(err, errNotFound) || (err == nil && !reachableIn(ctx, a)) {
		return attempt{}, contest{}, apierr.NotFound("attempt", attemptID)
	}
	return a, c, err
}

func lateError(a attempt) error {
	return apierr.FailedPrecondition(apierr.AttemptDeadlinePassed,
		"the deadline of attempt %s passed at %s; it is scored on the answers that arrived in time",
		a.ID, a.Deadline.Format(time.RFC3339))
}

// Answer records the answer to one question and returns it scored.
// Answering a question again with the same options returns the first
// result; with other options it is FAILED_PRECONDITION.
func (p *play) Answer(ctx context.Context, tx *store.Tx, attemptID string, index int, chosen []string) (PaperItem, attempt, error) {
	a, c, err := load(ctx, tx, attemptID)
	if err != nil {
		return PaperItem{}, attempt{}, err
	}
	if index < 0 || index >= a.QuestionCount {
		return PaperItem{}, attempt{}, apierr.Field("index", "must be between 0 and %d for this paper", a.QuestionCount-1)
	}
	it, err := paperItem(ctx, tx, a.ID, index)
	if err != nil {
		return PaperItem{}, attempt{}, err
	}
	if it.Answered {
		if sameKeys(it.Chosen, it.toAuthor(chosen)) {
			return it, a, nil
		}
		return PaperItem{}, attempt{}, apierr.FailedPrecondition(apierr.QuestionAlreadyAnswered, "question %d of attempt %s was already answered", index, a.ID)
	}
	t := p.clock()
	switch {
	case a.State == expired:
		return PaperItem{}, attempt{}, lateError(a)
	case a.State != inProgress:
		return PaperItem{}, attempt{}, apierr.FailedPrecondition(apierr.AttemptStateForbids, "attempt %s is already %s", a.ID, a.State)
	case !t.Before(a.Deadline):
		return PaperItem{}, attempt{}, lateError(a)
	}
	var v apierr.Violations
	checkChosen(&v, "chosen_keys", it.shownQuestion(), chosen)
	if err := v.Err(); err != nil {
		return PaperItem{}, attempt{}, err
	}
	if err := score(&it, &c.Settings, chosen, t); err != nil {
		return PaperItem{}, attempt{}, err
	}
	if ok, err := recordAnswers(ctx, tx, &a, []PaperItem{it}); err != nil || !ok {
		if err == nil {
			// A concurrent call answered, submitted or closed first.
			err = aborted("attempt %s changed while answering question %d; read it again", a.ID, index)
		}
		return PaperItem{}, attempt{}, err
	}
	return it, a, nil
}

// score scores an answer given in shown labels at t and records it in the
// author's keys.
func score(it *PaperItem, s *Settings, shown []string, t time.Time) error {
	chosen := it.toAuthor(shown)
	earned, correct, err := scoreItem(it.Question, s, chosen)
	if err != nil {
		return err
	}
	it.Answered, it.Chosen, it.Correct, it.EarnedCenti, it.AnswerTime = true, chosen, correct, earned, t
	return nil
}

func sameKeys(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// answerIn is one answer of a whole-paper submission.
type answerIn struct {
	Index  int
	Chosen []string
}

// Submit records the remaining answers and finishes the attempt. An
// attempt already finished is returned as it is when the submission adds
// nothing new (submitting twice is idempotent); new answers to it are
// FAILED_PRECONDITION, as are answers after the deadline.
func (p *play) Submit(ctx context.Context, tx *store.Tx, attemptID string, answers []answerIn) (attempt, []PaperItem, error) {
	a, c, err := load(ctx, tx, attemptID)
	if err != nil {
		return attempt{}, nil, err
	}
	items, err := paperOf(ctx, tx, a.ID)
	if err != nil {
		return attempt{}, nil, err
	}
	var v apierr.Violations
	var fresh []answerIn
	seen := map[int]bool{}
	for i, ans := range answers {
		f := fmt.Sprintf("answers[%d]", i)
		switch {
		case ans.Index < 0 || ans.Index >= len(items):
			v.Add(f+".index", "must be between 0 and %d for this paper", len(items)-1)
			continue
		case seen[ans.Index]:
			v.Add(f+".index", "question %d is answered twice", ans.Index)
			continue
		}
		seen[ans.Index] = true
		it := items[ans.Index]
		if it.Answered {
			if !sameKeys(it.Chosen, it.toAuthor(ans.Chosen)) {
				return attempt{}, nil, apierr.FailedPrecondition(apierr.QuestionAlreadyAnswered, "question %d of attempt %s was already answered", ans.Index, a.ID)
			}
			continue
		}
		checkChosen(&v, f+".chosen_keys", it.shownQuestion(), ans.Chosen)
		fresh = append(fresh, ans)
	}
	if err := v.Err(); err != nil {
		return attempt{}, nil, err
	}
	t := p.clock()
	switch {
	case a.State == expired && len(fresh) > 0:
		return attempt{}, nil, lateError(a)
	case a.State != inProgress && len(fresh) > 0:
		return attempt{}, nil, apierr.FailedPrecondition(apierr.AttemptStateForbids, "attempt %s is already %s", a.ID, a.State)
	case a.State != inProgress:
		return a, items, nil
	case a.Overdue(t) && len(fresh) > 0:
		return attempt{}, nil, lateError(a)
	case a.Overdue(t):
		a, err = finish(ctx, tx, a, &c.Settings, expired, a.Deadline)
		return a, items, err
	}
	answered := make([]PaperItem, len(fresh))
	for i, ans := range fresh {
		it := &items[ans.Index]
		if err := score(it, &c.Settings, ans.Chosen, t); err != nil {
			return attempt{}, nil, err
		}
		answered[i] = *it
	}
	if len(answered) > 0 {
		if ok, err := recordAnswers(ctx, tx, &a, answered); err != nil || !ok {
			if err == nil {
				err = aborted("attempt %s changed while submitting; read it again", a.ID)
			}
			return attempt{}, nil, err
		}
	}
	a, err = finish(ctx, tx, a, &c.Settings, finished, t)
	return a, items, err
}

// finish ends an attempt in progress and offers it to the leaderboard.
func finish(ctx context.Context, tx *store.Tx, a attempt, s *Settings, state attemptState, at time.Time) (attempt, error) {
	done, ok, err := finishAttempt(ctx, tx, a.ID, state, at)
	if err != nil {
		return attempt{}, err
	}
	if !ok {
		// Another call finished it first and offered it already.
		return getAttempt(ctx, tx, a.ID)
	}
	return done, offerStanding(ctx, tx, done, s.Counting)
}

// Expire finishes the attempt if its deadline has passed; it is a no-op
// otherwise. It returns the attempt as it then stands.
func (p *play) Expire(ctx context.Context, attemptID string) (attempt, error) {
	var out attempt
	err := p.db.WithTx(ctx, func(tx *store.Tx) error {
		a, c, err := load(ctx, tx, attemptID)
		if err != nil || !a.Overdue(p.clock()) {
			out = a
			return err
		}
		out, err = finish(ctx, tx, a, &c.Settings, expired, a.Deadline)
		return err
	})
	return out, err
}

// Get returns an attempt and its paper, expiring it first if due.
func (p *play) Get(ctx context.Context, attemptID string) (attempt, []PaperItem, error) {
	a, err := getAttempt(ctx, p.db.R, attemptID)
	if errors.Is(err, errNotFound) {
		return attempt{}, nil, apierr.NotFound("attempt", attemptID)
	}
	if err != nil {
		return attempt{}, nil, err
	}
	if a.Overdue(p.clock()) {
		if a, err = p.Expire(ctx, attemptID); err != nil {
			return attempt{}, nil, err
		}
	}
	items, err := paperOf(ctx, p.db.R, attemptID)
	return a, items, err
}

// sweepBatch bounds how many overdue attempts one transaction finishes.
const sweepBatch = 100

// Sweep finishes every overdue attempt of a contest, so leaderboards and
// statistics include abandoned attempts.
func (p *play) Sweep(ctx context.Context, contestID string) error {
	for {
		ids, err := overdueAttempts(ctx, p.db.R, contestID, p.clock(), sweepBatch)
		if err != nil || len(ids) == 0 {
			return err
		}
		err = p.db.WithTx(ctx, func(tx *store.Tx) error {
			c, err := getContest(ctx, tx, contestID)
			if err != nil {
				return err
			}
			for _, id := range ids {
				a, err := getAttempt(ctx, tx, id)
				if err != nil {
					return err
				}
				if a.Overdue(p.clock()) {
					if _, err := finish(ctx, tx, a, &c.Settings, expired, a.Deadline); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil || len(ids) < sweepBatch {
			return err
		}
	}
}

// aborted says a concurrent call changed the attempt first; the client may
// read it again and retry (gRPC ABORTED).
func aborted(format string, args ...any) error {
	return apierr.Aborted(apierr.AttemptChanged, format, args...)
}
