-- +goose Up
-- civ_scorecards: the versions of each year's assessment scorecard
-- (年度考核). weights is JSON (points per component, adding up to 100); a
-- published version never changes.
CREATE TABLE civ_scorecards (
    year         INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    state        TEXT NOT NULL,
    weights      TEXT NOT NULL,
    prior_weight DOUBLE PRECISION NOT NULL,
    create_time  BIGINT NOT NULL,
    publish_time BIGINT,
    PRIMARY KEY (year, version)
);

-- +goose Down
DROP TABLE civ_scorecards;
