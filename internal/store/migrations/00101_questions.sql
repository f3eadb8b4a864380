-- +goose Up
-- questions holds what is true of a question across versions; its content
-- lives in question_versions. used is set once an attempt has been shown a
-- version, after which edits create a new version instead of changing it.
CREATE TABLE questions (
    id              TEXT PRIMARY KEY,
    current_version INTEGER NOT NULL,
    state           TEXT NOT NULL,
    category        TEXT NOT NULL,
    type            TEXT NOT NULL,
    difficulty      TEXT NOT NULL,
    create_time     BIGINT NOT NULL,
    update_time     BIGINT NOT NULL
);
CREATE INDEX questions_category ON questions (category, type, state);

CREATE TABLE question_versions (
    question_id  TEXT NOT NULL REFERENCES questions (id),
    version      INTEGER NOT NULL,
    category     TEXT NOT NULL,
    type         TEXT NOT NULL,
    difficulty   TEXT NOT NULL,
    stem         TEXT NOT NULL,
    options      TEXT NOT NULL,
    correct_keys TEXT NOT NULL,
    explanation  TEXT NOT NULL,
    used         BOOLEAN NOT NULL DEFAULT FALSE,
    create_time  BIGINT NOT NULL,
    PRIMARY KEY (question_id, version)
);

-- +goose Down
DROP TABLE question_versions;
DROP TABLE questions;
