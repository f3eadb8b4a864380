package feedback

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// Public codes are what a citizen reads off a poster or a thank-you page
// and may type back in: Crockford's base32 alphabet, which has no I, L, O
// or U, so nothing reads as another character. 8 characters (40 bits) name
// a target; a case gets 10 (50 bits) because its page is only worth
// something to the one person who holds the number.
const (
	codeAlphabet  = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	targetCodeLen = 8
	caseCodeLen   = 10
	maxCodeLen    = 16
)

// newPublicCode returns n random characters of codeAlphabet. A collision
// fails the insert on the unique index rather than sharing a page.
func newPublicCode(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on supported platforms
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// NormalizeCode reads a typed or scanned code the way Crockford's base32
// does: case does not matter, O is 0, I and L are 1, hyphens and spaces
// are ignored. It returns "" when something else is left.
func NormalizeCode(s string) string {
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	s = strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(s)
	if s == "" || len(s) > maxCodeLen {
		return ""
	}
	for _, r := range s {
		if !strings.ContainsRune(codeAlphabet, r) {
			return ""
		}
	}
	return s
}

// checkCode validates a code field and returns it normalized.
func checkCode(v *apierr.Violations, field, code string) string {
	if strings.TrimSpace(code) == "" {
		v.Add(field, "is required")
		return ""
	}
	n := NormalizeCode(code)
	if n == "" {
		v.Add(field, "must be a public code of at most %d letters and digits", maxCodeLen)
	}
	return n
}

// TargetIDByCode finds the target a public code names.
func (s *Service) TargetIDByCode(ctx context.Context, code string) (string, error) {
	var id string
	err := s.db.R.GetContext(ctx, &id, s.db.R.Rebind(`SELECT id FROM feedback_targets WHERE public_code = ?`), code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", apierr.NotFound("target", code)
	}
	if err != nil {
		return "", fmt.Errorf("feedback: target by code: %w", err)
	}
	return id, nil
}

// PathNames returns the names from t's top department down to t itself.
func (s *Service) PathNames(ctx context.Context, q store.Queryer, t Target) ([]string, error) {
	up := t.Ancestors()
	byID, err := getTargets(ctx, q, up)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(up)+1)
	for i := len(up) - 1; i >= 0; i-- {
		if a, ok := byID[up[i]]; ok {
			out = append(out, a.Name)
		}
	}
	return append(out, t.Name), nil
}

// PublicStage is a case's state as the rater sees it.
type PublicStage string

const (
	StageReceived   PublicStage = "RECEIVED"    // 已受理
	StageInProgress PublicStage = "IN_PROGRESS" // 整改中
	StageDone       PublicStage = "DONE"        // 已办结
)

// PublicStatus is all a rater learns about the case their review opened.
type PublicStatus struct {
	Code        string
	Stage       PublicStage
	ReceiveTime time.Time
	// ProgressTime is when the department first acted on the case (zero
	// until then); DoneTime when it was closed (zero until then).
	ProgressTime time.Time
	DoneTime     time.Time
	DueTime      time.Time
	Overdue      bool
}

// stageOf maps a case state to what the rater is told. An appeal is still
// work in progress to the rater; an accepted one ends the case.
func stageOf(st caseState) PublicStage {
	switch st {
	case open:
		return StageReceived
	case closed, appealAccepted:
		return StageDone
	default:
		return StageInProgress
	}
}

// PublicStatus reads the public status of the case with a public code.
func (s *Service) PublicStatus(ctx context.Context, code string) (PublicStatus, error) {
	var r struct {
		ID        string        `db:"id"`
		State     string        `db:"state"`
		OpenTime  int64         `db:"open_time"`
		DueTime   int64         `db:"due_time"`
		CloseTime sql.NullInt64 `db:"close_time"`
		FirstAct  sql.NullInt64 `db:"first_act"`
	}
	// The first event after the opening one is when the department took
	// the case up, whatever it did.
	err := s.db.R.GetContext(ctx, &r, s.db.R.Rebind(`
SELECT c.id, c.state, c.open_time, c.due_time, c.close_time,
       (SELECT MIN(e.time) FROM feedback_case_events e WHERE e.case_id = c.id AND e.action <> ?) AS first_act
FROM feedback_cases c WHERE c.public_code = ?`), string(actOpen), code)
	if errors.Is(err, sql.ErrNoRows) {
		return PublicStatus{}, apierr.NotFound("case", code)
	}
	if err != nil {
		return PublicStatus{}, fmt.Errorf("feedback: public case status: %w", err)
	}
	c := Case{State: caseState(r.State), DueTime: store.FromMicros(r.DueTime)}
	st := PublicStatus{
		Code: code, Stage: stageOf(c.State), ReceiveTime: store.FromMicros(r.OpenTime),
		DueTime: c.DueTime, Overdue: c.Overdue(s.now()),
	}
	if r.FirstAct.Valid {
		st.ProgressTime = store.FromMicros(r.FirstAct.Int64)
	}
	if r.CloseTime.Valid && st.Stage == StageDone {
		st.DoneTime = store.FromMicros(r.CloseTime.Int64)
	}
	return st, nil
}

// MaxPosters bounds one poster print run.
const MaxPosters = 500

// PosterTarget is one poster: an active target and the names above it.
type PosterTarget struct {
	Target    Target
	PathNames []string
}

// PosterTargets returns the active target id and, with subtree, every
// active target beneath it, in path order.
func (s *Service) PosterTargets(ctx context.Context, id string, subtree bool) ([]PosterTarget, error) {
	q := s.db.R
	t, err := s.GetTarget(ctx, q, id)
	if err != nil {
		return nil, err
	}
	if !t.Active {
		return nil, apierr.FailedPrecondition(apierr.TargetInactive, "target %s is deactivated and takes no ratings", t.ID)
	}
	ts := []Target{t}
	if subtree {
		ts, err = store.SelectAll(ctx, q, targetRow.target, q.Rebind(selectTarget+
			` WHERE path LIKE ? AND active = TRUE ORDER BY path LIMIT ?`), t.Path+"%", MaxPosters+1)
		if err != nil {
			return nil, fmt.Errorf("feedback: poster targets: %w", err)
		}
		if len(ts) > MaxPosters {
			return nil, apierr.FailedPrecondition(apierr.TooManyPosters,
				"the subtree of %s has more than %d active targets; print its departments one at a time", id, MaxPosters)
		}
	}
	// Names of every ancestor of the subtree root, plus the subtree's own.
	names := map[string]string{}
	for _, x := range ts {
		names[x.ID] = x.Name
	}
	above, err := getTargets(ctx, q, t.Ancestors())
	if err != nil {
		return nil, err
	}
	for id, a := range above {
		names[id] = a.Name
	}
	out := make([]PosterTarget, len(ts))
	for i, x := range ts {
		out[i].Target = x
		for _, pid := range strings.Split(strings.Trim(x.Path, "/"), "/") {
			out[i].PathNames = append(out[i].PathNames, names[pid])
		}
	}
	return out, nil
}
