package faults

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/store"
)

// Report is what a check found. A run is good when Lost, Duplicates,
// Unanswered, Changed and Problems are all empty or zero.
type Report struct {
	Acknowledged int            // calls a server acknowledged (after retries)
	ByKind       map[string]int // of those, per kind of call
	Retried      int            // of those, calls that needed more than one send
	Unanswered   int            // calls no server acknowledged (refused or gave up)
	Lost         int            // acknowledged writes missing from the database
	Duplicates   int            // rows beyond one per request id
	Changed      int            // replays whose reply differed from the acknowledged one
	Problems     []string
}

func (r *Report) problem(format string, args ...any) {
	if len(r.Problems) < 20 {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// Good reports whether nothing was lost, doubled or broken.
func (r *Report) Good() bool {
	return r.Lost == 0 && r.Duplicates == 0 && r.Unanswered == 0 && r.Changed == 0 && len(r.Problems) == 0
}

func (r *Report) String() string {
	var kinds []string
	for _, k := range []string{"rating", "start", "answer", "submit", "inspection"} {
		if n := r.ByKind[k]; n > 0 {
			kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
		}
	}
	s := fmt.Sprintf("%d acknowledged (%s; %d after a retry), %d unanswered, %d lost, %d duplicates, %d replies changed on replay",
		r.Acknowledged, strings.Join(kinds, ", "), r.Retried, r.Unanswered, r.Lost, r.Duplicates, r.Changed)
	if len(r.Problems) > 0 {
		s += "\n  " + strings.Join(r.Problems, "\n  ")
	}
	return s
}

// Replay sends every call of the load again, with its request id, to the
// live servers: an acknowledged call must get its acknowledged reply back
// (the write is there and is answered from the request id), and a call
// never acknowledged must now be answered. It adds to rep.
func (l *Load) Replay(ctx context.Context, rep *Report) {
	r := rand.New(rand.NewPCG(l.Seed, 1<<40))
	for _, c := range l.Calls() {
		if c.Resp == nil {
			rep.Unanswered++
			rep.problem("%s %s never acknowledged: %v", c.Kind, requestID(c.Req), c.Err)
			continue
		}
		rep.Acknowledged++
		if rep.ByKind == nil {
			rep.ByKind = map[string]int{}
		}
		rep.ByKind[c.Kind]++
		if c.Tries > 1 {
			rep.Retried++
		}
		again := &Call{Kind: c.Kind, Method: c.Method, Role: c.Role, Req: c.Req}
		resp := c.Resp.ProtoReflect().New().Interface()
		if err := l.send(ctx, r, -1, again, resp); err != nil {
			rep.Changed++
			rep.problem("replay of %s %s: %v", c.Kind, requestID(c.Req), err)
			continue
		}
		if !proto.Equal(resp, c.Resp) {
			rep.Changed++
			rep.problem("replay of %s %s answered %v, first %v", c.Kind, requestID(c.Req), resp, c.Resp)
		}
	}
}

func requestID(m proto.Message) string {
	fd := m.ProtoReflect().Descriptor().Fields().ByName("request_id")
	return m.ProtoReflect().Get(fd).String()
}

// CheckRows opens the database (its server stopped or still running) and
// checks the rows the load's calls left: each acknowledged rating,
// attempt and inspection present once, as many rows as request ids,
// every acknowledged game finished, and the SQLite file sound.
func (l *Load) CheckRows(ctx context.Context, dsn string, rep *Report) error {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	type kind struct {
		table string
		ids   []string
	}
	kinds := map[string]*kind{"rating": {table: "feedback_ratings"}, "start": {table: "attempts"}, "inspection": {table: "civ_inspections"}}
	sent := map[string]map[string]bool{}
	for _, c := range l.Calls() {
		k, ok := kinds[c.Kind]
		if !ok {
			continue
		}
		if sent[c.Kind] == nil {
			sent[c.Kind] = map[string]bool{}
		}
		sent[c.Kind][requestID(c.Req)] = true
		if c.Resp == nil {
			continue
		}
		switch resp := c.Resp.(type) {
		case *feedbackv1.SubmitRatingResponse:
			k.ids = append(k.ids, resp.GetRatingId())
		case *quizv1.StartAttemptResponse:
			k.ids = append(k.ids, resp.GetAttempt().GetId())
		case *civindexv1.SubmitInspectionResponse:
			k.ids = append(k.ids, resp.GetInspection().GetId())
		}
	}
	for name, k := range kinds {
		var have []string
		if err := db.R.SelectContext(ctx, &have, "SELECT id FROM "+k.table); err != nil {
			return err
		}
		set := map[string]bool{}
		for _, id := range have {
			set[id] = true
		}
		for _, id := range k.ids {
			if !set[id] {
				rep.Lost++
				rep.problem("acknowledged %s %s is not in %s", name, id, k.table)
			}
		}
		// Every request id sent was answered by the end (Replay), so the
		// table holds one row per request id and no more.
		if extra := len(have) - len(sent[name]); extra > 0 {
			rep.Duplicates += extra
			rep.problem("%s holds %d rows for %d request ids", k.table, len(have), len(sent[name]))
		}
	}
	for _, g := range l.Games() {
		if g.EndedOn < 0 {
			continue
		}
		var state string
		if err := db.R.GetContext(ctx, &state, db.R.Rebind(`SELECT state FROM attempts WHERE id = ?`), g.AttemptID); err != nil {
			rep.Lost++
			rep.problem("submitted attempt %s: %v", g.AttemptID, err)
			continue
		}
		if state != "FINISHED" {
			rep.Lost++
			rep.problem("submitted attempt %s is %s", g.AttemptID, state)
		}
	}
	return nil
}

// IntegrityOK runs PRAGMA integrity_check on a SQLite database ("ok" or
// what it found); PostgreSQL answers "ok".
func IntegrityOK(ctx context.Context, dsn string) (string, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if db.Dialect != store.SQLite {
		return "ok", nil
	}
	var lines []string
	if err := db.R.SelectContext(ctx, &lines, `PRAGMA integrity_check`); err != nil {
		return "", err
	}
	return strings.Join(lines, "; "), nil
}

// aggregateTables are the tables the service keeps as running totals of
// raw rows, each with a rebuild from those rows.
var aggregateTables = []string{
	"feedback_daily", "feedback_daily_dims", "feedback_monthly", "feedback_monthly_dims",
	"leaderboard_counts", "civ_round_stats", "quiz_participation",
}

// CheckAggregates compares the maintained totals with a rebuild from the
// raw rows (feedback.RebuildAggregates, quiz.RebuildLeaderboardCounts,
// quiz.RebuildParticipation, civindex.RebuildRoundStats). The rebuild is written, so run it with the
// servers stopped; when the totals were right it changes nothing.
func CheckAggregates(ctx context.Context, dsn string, rep *Report) error {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	loc, err := time.LoadLocation(ServerZone)
	if err != nil {
		return err
	}
	before, err := snapshot(ctx, db)
	if err != nil {
		return err
	}
	for _, rebuild := range []func(context.Context, *store.DB) error{
		feedback.RebuildAggregates, quiz.RebuildLeaderboardCounts, civindex.RebuildRoundStats,
		func(ctx context.Context, db *store.DB) error { return quiz.RebuildParticipation(ctx, db, loc) },
	} {
		if err := rebuild(ctx, db); err != nil {
			return err
		}
	}
	after, err := snapshot(ctx, db)
	if err != nil {
		return err
	}
	for _, t := range aggregateTables {
		if !slices.Equal(before[t], after[t]) {
			rep.problem("%s differs from a rebuild from raw rows: %d rows kept, %d rebuilt", t, len(before[t]), len(after[t]))
		}
	}
	return nil
}

// snapshot reads every aggregate table as sorted lines of text; numbers
// print with 9 significant digits, so sums added up in another order
// compare equal.
func snapshot(ctx context.Context, db *store.DB) (map[string][]string, error) {
	out := map[string][]string{}
	for _, t := range aggregateTables {
		rows, err := db.R.QueryxContext(ctx, "SELECT * FROM "+t)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			vals, err := rows.SliceScan()
			if err != nil {
				rows.Close()
				return nil, err
			}
			var b strings.Builder
			for _, v := range vals {
				switch x := v.(type) {
				case float64:
					fmt.Fprintf(&b, "%.9g|", x)
				case []byte:
					fmt.Fprintf(&b, "%s|", x)
				default:
					fmt.Fprintf(&b, "%v|", x)
				}
			}
			out[t] = append(out[t], b.String())
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		slices.Sort(out[t])
	}
	return out, nil
}

// CheckChains recomputes every round's hash chain of inspections: a kill
// between an inspection and its link would leave a round whose record no
// longer verifies.
func CheckChains(ctx context.Context, dsn string, rep *Report) error {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	var rounds []string
	if err := db.R.SelectContext(ctx, &rounds, `SELECT id FROM civ_rounds ORDER BY id`); err != nil {
		return err
	}
	for _, r := range rounds {
		c, err := civindex.VerifyChain(ctx, db.R, r)
		if err != nil {
			return err
		}
		if !c.OK {
			rep.problem("round %s: hash chain breaks at link %d (inspection %s revision %d): %s",
				r, c.Seq, c.InspectionID, c.Revision, c.Problem)
		}
	}
	return nil
}
