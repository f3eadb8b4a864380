-- +goose Up
-- leaderboard_counts keeps how many participants each leaderboard lists,
-- maintained with the leaderboard, so a page does not count a million rows.
-- community '' is the whole contest (attempts always have a community).
CREATE TABLE leaderboard_counts (
    contest_id   TEXT NOT NULL REFERENCES contests (id),
    community    TEXT NOT NULL,
    participants INTEGER NOT NULL,
    PRIMARY KEY (contest_id, community)
);
INSERT INTO leaderboard_counts (contest_id, community, participants)
    SELECT contest_id, '', COUNT(*) FROM leaderboard GROUP BY contest_id;
INSERT INTO leaderboard_counts (contest_id, community, participants)
    SELECT contest_id, community, COUNT(*) FROM leaderboard WHERE community <> '' GROUP BY contest_id, community;

-- +goose Down
DROP TABLE leaderboard_counts;
