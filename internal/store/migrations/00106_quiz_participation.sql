-- +goose Up
-- quiz_participation counts a contest's attempts per community and local
-- day (yyyymmdd in the server's zone when the attempt started), so that
-- GetParticipation reads days instead of every attempt. Its one writer is
-- the quiz's participationDays (StartAttempt's transaction).
-- (Numbered in the 004xx range because it came with the questionnaire
-- work's numbers; it belongs to the quiz.)
CREATE TABLE quiz_participation (
    contest_id     TEXT NOT NULL,
    community      TEXT NOT NULL,
    day            INTEGER NOT NULL,
    attempts       BIGINT NOT NULL,
    first_attempts BIGINT NOT NULL,
    PRIMARY KEY (contest_id, community, day)
);
-- Attempts from before are counted on their day in UTC+8, the default
-- zone (Asia/Shanghai).
INSERT INTO quiz_participation (contest_id, community, day, attempts, first_attempts)
-- +wenming sqlite
SELECT contest_id, community, CAST(strftime('%Y%m%d', start_time / 1000000 + 28800, 'unixepoch') AS INTEGER) AS d,
-- +wenming postgres
SELECT contest_id, community, CAST(to_char(to_timestamp(start_time / 1000000 + 28800) AT TIME ZONE 'UTC', 'YYYYMMDD') AS INTEGER) AS d,
-- +wenming end
       COUNT(*), SUM(CASE WHEN attempt_number = 1 THEN 1 ELSE 0 END)
FROM attempts GROUP BY contest_id, community, d;

-- +goose Down
DROP TABLE quiz_participation;
