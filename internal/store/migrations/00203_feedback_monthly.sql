-- +goose Up
-- Monthly roll-ups of feedback_daily, maintained in the same transactions.
-- A year-long query reads 12 rows per target here plus the days of any
-- partial month at either end, instead of 365 daily rows.
CREATE TABLE feedback_monthly (
    target_id TEXT NOT NULL REFERENCES feedback_targets (id),
    month     INTEGER NOT NULL,
    n         BIGINT NOT NULL,
    total     BIGINT NOT NULL,
    c1        BIGINT NOT NULL,
    c2        BIGINT NOT NULL,
    c3        BIGINT NOT NULL,
    c4        BIGINT NOT NULL,
    c5        BIGINT NOT NULL,
    PRIMARY KEY (target_id, month)
-- +wenming sqlite
) WITHOUT ROWID;
CREATE INDEX feedback_monthly_month ON feedback_monthly (month, target_id, n, total, c1, c2, c3, c4, c5);
-- +wenming postgres
);
CREATE INDEX feedback_monthly_month ON feedback_monthly (month, target_id) INCLUDE (n, total, c1, c2, c3, c4, c5);
-- +wenming end
INSERT INTO feedback_monthly
SELECT target_id, day / 100, SUM(n), SUM(total), SUM(c1), SUM(c2), SUM(c3), SUM(c4), SUM(c5)
FROM feedback_daily GROUP BY target_id, day / 100;

CREATE TABLE feedback_monthly_dims (
    target_id TEXT NOT NULL REFERENCES feedback_targets (id),
    month     INTEGER NOT NULL,
    dimension TEXT NOT NULL,
    n         BIGINT NOT NULL,
    total     BIGINT NOT NULL,
    PRIMARY KEY (target_id, month, dimension)
-- +wenming sqlite
) WITHOUT ROWID;
-- +wenming postgres
);
-- +wenming end
INSERT INTO feedback_monthly_dims
SELECT target_id, day / 100, dimension, SUM(n), SUM(total)
FROM feedback_daily_dims GROUP BY target_id, day / 100, dimension;

-- +goose Down
DROP TABLE feedback_monthly_dims;
DROP TABLE feedback_monthly;
