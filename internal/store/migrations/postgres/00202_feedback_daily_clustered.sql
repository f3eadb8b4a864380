-- +goose Up
-- Statistics over a year of a large tree read hundreds of thousands of
-- daily rows; a covering day index lets period-wide sums (the ranking) run
-- as index-only scans.
DROP INDEX feedback_daily_day;
CREATE INDEX feedback_daily_day ON feedback_daily (day, target_id) INCLUDE (n, total, c1, c2, c3, c4, c5);

-- +goose Down
DROP INDEX feedback_daily_day;
CREATE INDEX feedback_daily_day ON feedback_daily (day, target_id);
