-- +goose Up
-- Leaderboard ties are broken by attempt id instead of pseudonym, so page
-- tokens (which kiosks see) carry no participant pseudonym.
DROP INDEX leaderboard_order;
DROP INDEX leaderboard_community_order;
CREATE INDEX leaderboard_order ON leaderboard (contest_id, neg_score, time_used, finish_time, attempt_id);
CREATE INDEX leaderboard_community_order ON leaderboard (contest_id, community, neg_score, time_used, finish_time, attempt_id);

-- +goose Down
DROP INDEX leaderboard_order;
DROP INDEX leaderboard_community_order;
CREATE INDEX leaderboard_order ON leaderboard (contest_id, neg_score, time_used, finish_time, pseudonym);
CREATE INDEX leaderboard_community_order ON leaderboard (contest_id, community, neg_score, time_used, finish_time, pseudonym);
