package quiz

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/wenming/wenming/internal/store"
)

// leaderboardCounts owns leaderboard_counts, how many participants each
// leaderboard of a contest lists (community "" is the whole contest), kept
// so that a page does not count a million rows: move is the table's only
// writer, called by offerStanding in the transaction that changes the
// leaderboard. A test checks the counts against the leaderboard's rows.
type leaderboardCounts struct{}

// size is the number of participants on a leaderboard.
func (leaderboardCounts) size(ctx context.Context, db store.Queryer, contestID, community string) (int, error) {
	var n int
	err := db.GetContext(ctx, &n, db.Rebind(
		`SELECT participants FROM leaderboard_counts WHERE contest_id = ? AND community = ?`), contestID, community)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("quiz: leaderboard size: %w", err)
	}
	return n, nil
}

// move adds delta1 and delta2 to the sizes of two different leaderboards
// of a contest in one statement, inside tx.
func (leaderboardCounts) move(ctx context.Context, tx *store.Tx, contestID, list1 string, delta1 int, list2 string, delta2 int) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`INSERT INTO leaderboard_counts (contest_id, community, participants) VALUES (?, ?, ?), (?, ?, ?)
		 ON CONFLICT (contest_id, community) DO UPDATE SET participants = leaderboard_counts.participants + excluded.participants`),
		contestID, list1, delta1, contestID, list2, delta2)
	if err != nil {
		return fmt.Errorf("quiz: count leaderboard: %w", err)
	}
	return nil
}

// RebuildLeaderboardCounts recomputes leaderboard_counts from the
// leaderboard's rows in a transaction of its own, as migration 00104 filled
// it: for checking that nothing has drifted (the crash harness compares the
// maintained counts with a rebuild) and for data loaded behind the
// service's back.
func RebuildLeaderboardCounts(ctx context.Context, db *store.DB) error {
	return db.WithTx(ctx, func(tx *store.Tx) error {
		for _, q := range []string{
			`DELETE FROM leaderboard_counts`,
			`INSERT INTO leaderboard_counts (contest_id, community, participants)
			 SELECT contest_id, '', COUNT(*) FROM leaderboard GROUP BY contest_id`,
			`INSERT INTO leaderboard_counts (contest_id, community, participants)
			 SELECT contest_id, community, COUNT(*) FROM leaderboard WHERE community <> '' GROUP BY contest_id, community`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("quiz: rebuild leaderboard counts: %w", err)
			}
		}
		return nil
	})
}
