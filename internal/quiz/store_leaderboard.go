package quiz

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/store"
)

// standing is a participant's counting attempt on a leaderboard.
type standing struct {
	// Rank is the 1-based place within the list asked for.
	Rank        int
	Pseudonym   string
	AttemptID   string
	DisplayName string
	Community   string
	ScoreCenti  int64
	TimeUsed    time.Duration
	FinishTime  time.Time
}

type standingRow struct {
	Pseudonym   string `db:"pseudonym"`
	AttemptID   string `db:"attempt_id"`
	DisplayName string `db:"display_name"`
	Community   string `db:"community"`
	NegScore    int64  `db:"neg_score"`
	TimeUsed    int64  `db:"time_used"`
	FinishTime  int64  `db:"finish_time"`
}

func (r standingRow) standing(rank int) standing {
	return standing{
		Rank: rank, Pseudonym: r.Pseudonym, AttemptID: r.AttemptID, DisplayName: r.DisplayName,
		Community: r.Community, ScoreCenti: -r.NegScore, TimeUsed: time.Duration(r.TimeUsed) * time.Microsecond,
		FinishTime: store.FromMicros(r.FinishTime),
	}
}

// standingKey is the sort key of a standing plus its rank, which is what a
// page token must carry to continue a leaderboard.
type standingKey struct {
	NegScore, TimeUsed, FinishTime int64
	AttemptID                      string
	Rank                           int
}

func (k standingKey) String() string {
	return fmt.Sprintf("%d|%d|%d|%d|%s", k.Rank, k.NegScore, k.TimeUsed, k.FinishTime, k.AttemptID)
}

func parseStandingKey(s string) (standingKey, bool) {
	parts := strings.SplitN(s, "|", 5)
	if len(parts) != 5 {
		return standingKey{}, false
	}
	var k standingKey
	var nums [4]int64
	for i := range nums {
		n, err := strconv.ParseInt(parts[i], 10, 64)
		if err != nil {
			return standingKey{}, false
		}
		nums[i] = n
	}
	k.Rank, k.NegScore, k.TimeUsed, k.FinishTime, k.AttemptID = int(nums[0]), nums[1], nums[2], nums[3], parts[4]
	return k, k.Rank > 0 && k.AttemptID != ""
}

// standingOrder is the leaderboard's sort key. The attempt id makes it a
// total order; it is used rather than the pseudonym so that page tokens,
// which kiosks see, carry nothing that links a participant across contests.
const standingOrder = `(neg_score, time_used, finish_time, attempt_id)`

// leaderboardPage reads up to limit standings after the key (nil: from the
// top). Every sort key ascends, so the page is one range of the
// leaderboard_order (or leaderboard_community_order) index.
func leaderboardPage(ctx context.Context, db store.Queryer, contestID, community string, after *standingKey, limit int) ([]standing, error) {
	q := `SELECT pseudonym, attempt_id, display_name, community, neg_score, time_used, finish_time
	      FROM leaderboard WHERE contest_id = ?`
	args := []any{contestID}
	if community != "" {
		q += ` AND community = ?`
		args = append(args, community)
	}
	rank := 0
	if after != nil {
		q += ` AND ` + standingOrder + ` > (?, ?, ?, ?)`
		args = append(args, after.NegScore, after.TimeUsed, after.FinishTime, after.AttemptID)
		rank = after.Rank
	}
	q += ` ORDER BY neg_score, time_used, finish_time, attempt_id LIMIT ?`
	args = append(args, limit)
	var rows []standingRow
	if err := db.SelectContext(ctx, &rows, db.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("quiz: leaderboard: %w", err)
	}
	out := make([]standing, len(rows))
	for i, r := range rows {
		out[i] = r.standing(rank + i + 1)
	}
	return out, nil
}

// standingOf returns a participant's standing with its rank in the contest
// (or within community), or errNotFound when nothing of theirs counts yet
// or it counts for another community.
func standingOf(ctx context.Context, db store.Queryer, contestID, pseudonym, community string) (standing, error) {
	var r standingRow
	err := db.GetContext(ctx, &r, db.Rebind(
		`SELECT pseudonym, attempt_id, display_name, community, neg_score, time_used, finish_time
		 FROM leaderboard WHERE contest_id = ? AND pseudonym = ?`), contestID, pseudonym)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && community != "" && r.Community != community) {
		return standing{}, errNotFound
	}
	if err != nil {
		return standing{}, fmt.Errorf("quiz: standing: %w", err)
	}
	q := `SELECT COUNT(*) FROM leaderboard WHERE contest_id = ?`
	args := []any{contestID}
	if community != "" {
		q += ` AND community = ?`
		args = append(args, community)
	}
	q += ` AND ` + standingOrder + ` < (?, ?, ?, ?)`
	args = append(args, r.NegScore, r.TimeUsed, r.FinishTime, r.AttemptID)
	var ahead int
	if err := db.GetContext(ctx, &ahead, db.Rebind(q), args...); err != nil {
		return standing{}, fmt.Errorf("quiz: rank: %w", err)
	}
	return r.standing(ahead + 1), nil
}

// counts decides, per contest setting, whether a finished attempt replaces
// the participant's standing. It is a single upsert so that two attempts of
// one participant finishing at once cannot both insert.
var countsWhen = map[Counting]string{
	CountBest:  `(excluded.neg_score, excluded.time_used, excluded.finish_time) < (leaderboard.neg_score, leaderboard.time_used, leaderboard.finish_time)`,
	countFirst: `excluded.attempt_number < leaderboard.attempt_number`,
}

// offerStanding records a finished attempt on the leaderboard if it is the
// one that counts for its participant, and keeps the leaderboard sizes.
func offerStanding(ctx context.Context, tx *store.Tx, a attempt, counting Counting) error {
	cond, ok := countsWhen[counting]
	if !ok {
		return fmt.Errorf("quiz: unknown counting rule %q", counting)
	}
	// Serialise the finishes of one participant: this no-op update takes
	// the participant row's lock on PostgreSQL (SQLite has one writer), so
	// the standing read below is still true when the sizes are adjusted.
	if _, err := tx.ExecContext(ctx, tx.Rebind(
		`UPDATE contest_participants SET attempts_started = attempts_started WHERE contest_id = ? AND pseudonym = ?`),
		a.ContestID, a.Pseudonym); err != nil {
		return fmt.Errorf("quiz: lock participant: %w", err)
	}
	var before string
	err := tx.GetContext(ctx, &before, tx.Rebind(
		`SELECT community FROM leaderboard WHERE contest_id = ? AND pseudonym = ?`), a.ContestID, a.Pseudonym)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("quiz: read standing: %w", err)
	}
	res, err := tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO leaderboard (contest_id, pseudonym, attempt_id, attempt_number, display_name, community,
		     neg_score, time_used, finish_time)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (contest_id, pseudonym) DO UPDATE SET attempt_id = excluded.attempt_id,
		     attempt_number = excluded.attempt_number, display_name = excluded.display_name,
		     community = excluded.community, neg_score = excluded.neg_score,
		     time_used = excluded.time_used, finish_time = excluded.finish_time
		 WHERE `+cond),
		a.ContestID, a.Pseudonym, a.ID, a.Number, a.DisplayName, a.Community,
		-a.ScoreCenti, a.TimeUsed().Microseconds(), store.Micros(a.FinishTime))
	if err != nil {
		return fmt.Errorf("quiz: update leaderboard: %w", err)
	}
	changed, err := res.RowsAffected()
	if err != nil {
		return err
	}
	// An attempt always has a community, so the two lists counted are
	// never the same row.
	switch {
	case !found:
		return (leaderboardCounts{}).move(ctx, tx, a.ContestID, "", 1, a.Community, 1)
	case changed > 0 && before != a.Community:
		return (leaderboardCounts{}).move(ctx, tx, a.ContestID, before, -1, a.Community, 1)
	}
	return nil
}
