package quiz

import (
	"context"
	"errors"
)

// The leaderboard of a contest has one standing per participant: the
// attempt that counts under the contest's rule (best or first), ordered by
// score descending, then time used, then finish time (and, for a total
// order, the attempt id). It is kept in the leaderboard table, updated in
// the transaction that finishes an attempt, so a page is an index range
// scan however many attempts there are. A community leaderboard lists the
// standings whose counting attempt was played in that community.

// Leaderboard returns a page of standings after the key (nil: the top) and
// the number of participants on the list.
func (p *play) Leaderboard(ctx context.Context, contestID, community string, after *standingKey, limit int) ([]standing, int, error) {
	if err := p.sweepContest(ctx, contestID); err != nil {
		return nil, 0, err
	}
	page, err := leaderboardPage(ctx, p.db.R, contestID, community, after, limit)
	if err != nil {
		return nil, 0, err
	}
	total, err := (leaderboardCounts{}).size(ctx, p.db.R, contestID, community)
	return page, total, err
}

// Rank returns a participant's standing, or found false when nothing of
// theirs counts on that list yet, and the number of participants on it.
func (p *play) Rank(ctx context.Context, contestID, pseudonym, community string) (s standing, found bool, total int, err error) {
	if err := p.sweepContest(ctx, contestID); err != nil {
		return standing{}, false, 0, err
	}
	total, err = (leaderboardCounts{}).size(ctx, p.db.R, contestID, community)
	if err != nil {
		return standing{}, false, 0, err
	}
	s, err = standingOf(ctx, p.db.R, contestID, pseudonym, community)
	if errors.Is(err, errNotFound) {
		return standing{}, false, total, nil
	}
	return s, err == nil, total, err
}

// sweepContest checks that the contest exists and finishes its overdue
// attempts so they are ranked.
func (p *play) sweepContest(ctx context.Context, contestID string) error {
	if _, err := getContest(ctx, p.db.R, contestID); err != nil {
		return err
	}
	return p.Sweep(ctx, contestID)
}
