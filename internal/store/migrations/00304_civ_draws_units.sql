-- +goose Up
-- civ_draws: committed spot-check draws. statement is the canonical frame
-- and allocation text whose SHA-256 is frame_sha256; commitment is the
-- SHA-256 of the seed, which stays '' until revealed. sample is the JSON
-- list of drawn site ids and round_id the spot-check round made from it
-- ('' until revealed).
CREATE TABLE civ_draws (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    state        TEXT NOT NULL,
    strata       TEXT NOT NULL,
    statement    TEXT NOT NULL,
    frame_sha256 TEXT NOT NULL,
    commitment   TEXT NOT NULL,
    seed         TEXT NOT NULL,
    sample       TEXT NOT NULL,
    round_id     TEXT NOT NULL,
    commit_time  BIGINT NOT NULL,
    reveal_time  BIGINT
);

-- civ_units ties a unit, as named on civ_sites.unit, to its feedback
-- department (a feedback target id; officers scoped to it act for the
-- unit) and its quiz communities (JSON list), with a yearly target of quiz
-- attempts.
CREATE TABLE civ_units (
    name          TEXT PRIMARY KEY,
    department_id TEXT NOT NULL,
    communities   TEXT NOT NULL,
    quiz_target   INTEGER NOT NULL,
    update_time   BIGINT NOT NULL
);
CREATE INDEX civ_units_department ON civ_units (department_id);

-- +goose Down
DROP TABLE civ_units;
DROP TABLE civ_draws;
