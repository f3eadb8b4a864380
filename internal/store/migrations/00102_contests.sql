-- +goose Up
-- contests: settings is the JSON of quiz.Settings (title, window, paper
-- rule, …); the columns beside it are what queries filter on.
CREATE TABLE contests (
    id           TEXT PRIMARY KEY,
    state        TEXT NOT NULL,
    community    TEXT NOT NULL DEFAULT '',
    start_time   BIGINT NOT NULL,
    end_time     BIGINT NOT NULL,
    settings     TEXT NOT NULL,
    create_time  BIGINT NOT NULL,
    update_time  BIGINT NOT NULL,
    publish_time BIGINT
);
CREATE INDEX contests_open ON contests (state, end_time);

-- contest_participants counts the attempts each pseudonymous participant
-- has started; StartAttempt increments it with an upsert, which serialises
-- concurrent starts of one participant on both dialects.
CREATE TABLE contest_participants (
    contest_id       TEXT NOT NULL REFERENCES contests (id),
    pseudonym        TEXT NOT NULL,
    attempts_started INTEGER NOT NULL,
    PRIMARY KEY (contest_id, pseudonym)
);

-- Scores are stored in hundredths of a point (survey.ScoreAnswer rounds to
-- 2 decimals), so sums and ties are exact.
CREATE TABLE attempts (
    id             TEXT PRIMARY KEY,
    contest_id     TEXT NOT NULL REFERENCES contests (id),
    pseudonym      TEXT NOT NULL,
    attempt_number INTEGER NOT NULL,
    display_name   TEXT NOT NULL,
    community      TEXT NOT NULL,
    state          TEXT NOT NULL,
    start_time     BIGINT NOT NULL,
    deadline       BIGINT NOT NULL,
    finish_time    BIGINT,
    question_count INTEGER NOT NULL,
    answered_count INTEGER NOT NULL DEFAULT 0,
    score          BIGINT NOT NULL DEFAULT 0,
    max_score      BIGINT NOT NULL,
    UNIQUE (contest_id, pseudonym, attempt_number)
);
-- Finds attempts whose deadline has passed, to finish them lazily.
CREATE INDEX attempts_running ON attempts (contest_id, state, deadline);

-- attempt_questions is the frozen paper: one row per position, with the
-- question version shown, the option order, and the answer once given.
CREATE TABLE attempt_questions (
    attempt_id       TEXT NOT NULL REFERENCES attempts (id),
    position         INTEGER NOT NULL,
    question_id      TEXT NOT NULL,
    question_version INTEGER NOT NULL,
    option_order     TEXT NOT NULL,
    chosen_keys      TEXT,
    correct          BOOLEAN NOT NULL DEFAULT FALSE,
    earned           BIGINT NOT NULL DEFAULT 0,
    answer_time      BIGINT,
    PRIMARY KEY (attempt_id, position),
    FOREIGN KEY (question_id, question_version) REFERENCES question_versions (question_id, version)
);

-- leaderboard holds each participant's counting attempt, maintained when an
-- attempt finishes. neg_score is −score so every sort key ascends and a
-- leaderboard page is one index range scan from a row-value comparison.
CREATE TABLE leaderboard (
    contest_id     TEXT NOT NULL REFERENCES contests (id),
    pseudonym      TEXT NOT NULL,
    attempt_id     TEXT NOT NULL REFERENCES attempts (id),
    attempt_number INTEGER NOT NULL,
    display_name   TEXT NOT NULL,
    community      TEXT NOT NULL,
    neg_score      BIGINT NOT NULL,
    time_used      BIGINT NOT NULL,
    finish_time    BIGINT NOT NULL,
    PRIMARY KEY (contest_id, pseudonym)
);
CREATE INDEX leaderboard_order ON leaderboard (contest_id, neg_score, time_used, finish_time, pseudonym);
CREATE INDEX leaderboard_community_order ON leaderboard (contest_id, community, neg_score, time_used, finish_time, pseudonym);

-- +goose Down
DROP TABLE leaderboard;
DROP TABLE attempt_questions;
DROP TABLE attempts;
DROP TABLE contest_participants;
DROP TABLE contests;
