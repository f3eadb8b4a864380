-- +goose Up
-- feedback_targets is the tree of rated things. path lists the ids from the
-- root down to the target itself ("/a/b/c/"), so a subtree is a prefix
-- match; ids are UUIDs and never contain LIKE wildcards. department_id is
-- the owning department (a department owns itself). form is the target's
-- own rating form as JSON, '' when it inherits.
CREATE TABLE feedback_targets (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    parent_id     TEXT REFERENCES feedback_targets (id),
    department_id TEXT NOT NULL,
    path          TEXT NOT NULL,
    active        BOOLEAN NOT NULL,
    form          TEXT NOT NULL,
    create_time   BIGINT NOT NULL,
    update_time   BIGINT NOT NULL
);
CREATE INDEX feedback_targets_parent ON feedback_targets (parent_id);
CREATE INDEX feedback_targets_department ON feedback_targets (department_id);
CREATE INDEX feedback_targets_kind ON feedback_targets (kind);
-- +wenming sqlite
CREATE INDEX feedback_targets_path ON feedback_targets (path);
-- +wenming postgres
CREATE INDEX feedback_targets_path ON feedback_targets (path text_pattern_ops);
-- +wenming end

-- feedback_ratings keeps every rating. day is the local date (yyyymmdd in
-- the configured time zone) the aggregates file it under. contact is
-- AES-GCM ciphertext (nonce first) or NULL; never clear text. excluded is
-- set when an appeal against the rating is accepted.
CREATE TABLE feedback_ratings (
    id            TEXT PRIMARY KEY,
    target_id     TEXT NOT NULL REFERENCES feedback_targets (id),
    department_id TEXT NOT NULL,
    level         INTEGER NOT NULL,
    dimensions    TEXT NOT NULL,
    tags          TEXT NOT NULL,
    comment       TEXT NOT NULL,
    channel       TEXT NOT NULL,
-- +wenming sqlite
    contact       BLOB,
-- +wenming postgres
    contact       BYTEA,
-- +wenming end
    day           INTEGER NOT NULL,
    excluded      BOOLEAN NOT NULL DEFAULT FALSE,
    create_time   BIGINT NOT NULL
);
CREATE INDEX feedback_ratings_target_day ON feedback_ratings (target_id, day);
CREATE INDEX feedback_ratings_day ON feedback_ratings (day);

-- feedback_daily is maintained in the same transaction as every rating
-- and every accepted appeal: per target and local day, the number of
-- counted ratings, the sum of their levels and the count at each level.
-- Statistics read these rows, never the ratings, so a period over a
-- million ratings sums a few thousand rows.
CREATE TABLE feedback_daily (
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
CREATE INDEX feedback_daily_day ON feedback_daily (day, target_id);

-- feedback_daily_dims is the same per form dimension.
CREATE TABLE feedback_daily_dims (
    target_id TEXT NOT NULL REFERENCES feedback_targets (id),
    day       INTEGER NOT NULL,
    dimension TEXT NOT NULL,
    n         BIGINT NOT NULL,
    total     BIGINT NOT NULL,
    PRIMARY KEY (target_id, day, dimension)
);

-- feedback_cases: one per bad review. handover_to is the department asked
-- to take over ('' when none); appeal_from is the state an appeal returns
-- to when rejected.
CREATE TABLE feedback_cases (
    id              TEXT PRIMARY KEY,
    rating_id       TEXT NOT NULL UNIQUE REFERENCES feedback_ratings (id),
    target_id       TEXT NOT NULL REFERENCES feedback_targets (id),
    department_id   TEXT NOT NULL,
    state           TEXT NOT NULL,
    open_time       BIGINT NOT NULL,
    due_time        BIGINT NOT NULL,
    close_time      BIGINT,
    verdict         TEXT NOT NULL,
    handover_to     TEXT NOT NULL,
    appeal_evidence TEXT NOT NULL,
    appeal_from     TEXT NOT NULL,
    update_time     BIGINT NOT NULL
);
CREATE INDEX feedback_cases_department ON feedback_cases (department_id, state, due_time);
CREATE INDEX feedback_cases_handover ON feedback_cases (handover_to);
CREATE INDEX feedback_cases_state ON feedback_cases (state, due_time);
CREATE INDEX feedback_cases_open ON feedback_cases (open_time);

-- feedback_case_events: every transition, never updated.
CREATE TABLE feedback_case_events (
    case_id       TEXT NOT NULL REFERENCES feedback_cases (id),
    seq           INTEGER NOT NULL,
    action        TEXT NOT NULL,
    actor_key_id  TEXT NOT NULL,
    actor_name    TEXT NOT NULL,
    time          BIGINT NOT NULL,
    note          TEXT NOT NULL,
    from_state    TEXT NOT NULL,
    to_state      TEXT NOT NULL,
    department_id TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);

-- +goose Down
DROP TABLE feedback_case_events;
DROP TABLE feedback_cases;
DROP TABLE feedback_daily_dims;
DROP TABLE feedback_daily;
DROP TABLE feedback_ratings;
DROP TABLE feedback_targets;
