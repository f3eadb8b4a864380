-- +goose Up
-- Statistics over a year of a large tree read hundreds of thousands of
-- daily rows.
-- +wenming sqlite
-- Clustering them by (target_id, day) makes a subtree's rows
-- contiguous, and the covering day index answers period-wide sums (the
-- ranking) without touching the table.
CREATE TABLE feedback_daily_new (
    target_id TEXT NOT NULL REFERENCES feedback_targets (id),
    day       INTEGER NOT NULL,
    n         BIGINT NOT NULL,
    total     BIGINT NOT NULL,
    c1        BIGINT NOT NULL,
    c2        BIGINT NOT NULL,
    c3        BIGINT NOT NULL,
    c4        BIGINT NOT NULL,
    c5        BIGINT NOT NULL,
    PRIMARY KEY (target_id, day)
) WITHOUT ROWID;
INSERT INTO feedback_daily_new SELECT target_id, day, n, total, c1, c2, c3, c4, c5 FROM feedback_daily;
DROP TABLE feedback_daily;
ALTER TABLE feedback_daily_new RENAME TO feedback_daily;
CREATE INDEX feedback_daily_day ON feedback_daily (day, target_id, n, total, c1, c2, c3, c4, c5);

CREATE TABLE feedback_daily_dims_new (
    target_id TEXT NOT NULL REFERENCES feedback_targets (id),
    day       INTEGER NOT NULL,
    dimension TEXT NOT NULL,
    n         BIGINT NOT NULL,
    total     BIGINT NOT NULL,
    PRIMARY KEY (target_id, day, dimension)
) WITHOUT ROWID;
INSERT INTO feedback_daily_dims_new SELECT target_id, day, dimension, n, total FROM feedback_daily_dims;
DROP TABLE feedback_daily_dims;
ALTER TABLE feedback_daily_dims_new RENAME TO feedback_daily_dims;
-- +wenming postgres
-- A covering day index lets period-wide sums (the ranking) run
-- as index-only scans.
DROP INDEX feedback_daily_day;
CREATE INDEX feedback_daily_day ON feedback_daily (day, target_id) INCLUDE (n, total, c1, c2, c3, c4, c5);
-- +wenming end

-- +goose Down
-- +wenming sqlite
CREATE TABLE feedback_daily_old (
    target_id TEXT NOT NULL REFERENCES feedback_targets (id),
    day       INTEGER NOT NULL,
    n         BIGINT NOT NULL,
    total     BIGINT NOT NULL,
    c1        BIGINT NOT NULL,
    c2        BIGINT NOT NULL,
    c3        BIGINT NOT NULL,
    c4        BIGINT NOT NULL,
    c5        BIGINT NOT NULL,
    PRIMARY KEY (target_id, day)
);
INSERT INTO feedback_daily_old SELECT target_id, day, n, total, c1, c2, c3, c4, c5 FROM feedback_daily;
DROP TABLE feedback_daily;
ALTER TABLE feedback_daily_old RENAME TO feedback_daily;
-- +wenming postgres
DROP INDEX feedback_daily_day;
-- +wenming end
CREATE INDEX feedback_daily_day ON feedback_daily (day, target_id);

-- +wenming sqlite
CREATE TABLE feedback_daily_dims_old (
    target_id TEXT NOT NULL REFERENCES feedback_targets (id),
    day       INTEGER NOT NULL,
    dimension TEXT NOT NULL,
    n         BIGINT NOT NULL,
    total     BIGINT NOT NULL,
    PRIMARY KEY (target_id, day, dimension)
);
INSERT INTO feedback_daily_dims_old SELECT target_id, day, dimension, n, total FROM feedback_daily_dims;
DROP TABLE feedback_daily_dims;
ALTER TABLE feedback_daily_dims_old RENAME TO feedback_daily_dims;

-- +wenming end