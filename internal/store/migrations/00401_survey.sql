-- +goose Up
-- Resident questionnaires. A questionnaire version is immutable once
-- published; its sections and questions are stored as JSON because they are
-- always read whole. A campaign's strata and quotas likewise.
CREATE TABLE svy_questionnaires (
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL,
    state        TEXT NOT NULL,
    title        TEXT NOT NULL,
    content      TEXT NOT NULL,
    create_time  BIGINT NOT NULL,
    update_time  BIGINT NOT NULL,
    publish_time BIGINT,
    PRIMARY KEY (id, version)
);

CREATE TABLE svy_campaigns (
    id                    TEXT PRIMARY KEY,
    code                  TEXT NOT NULL UNIQUE,
    title                 TEXT NOT NULL,
    questionnaire_id      TEXT NOT NULL,
    questionnaire_version INTEGER NOT NULL,
    start_time            BIGINT NOT NULL,
    end_time              BIGINT NOT NULL,
    content               TEXT NOT NULL,
    create_time           BIGINT NOT NULL,
    FOREIGN KEY (questionnaire_id, questionnaire_version) REFERENCES svy_questionnaires (id, version)
);

-- One row per response; answers as JSON, read whole for results and
-- exports. respondent is the keyed hash of the respondent's identifier, or
-- NULL when none was given; the unique index allows one response per
-- person per campaign and any number of anonymous ones.
CREATE TABLE svy_responses (
    id                    TEXT PRIMARY KEY,
    campaign_id           TEXT NOT NULL REFERENCES svy_campaigns (id),
    questionnaire_version INTEGER NOT NULL,
    channel               TEXT NOT NULL,
    stratum               TEXT NOT NULL,
    respondent            TEXT,
    recorded_by           TEXT NOT NULL,
    answers               TEXT NOT NULL,
    submit_time           BIGINT NOT NULL
);
CREATE UNIQUE INDEX svy_responses_respondent ON svy_responses (campaign_id, respondent);
CREATE INDEX svy_responses_campaign ON svy_responses (campaign_id, id);

-- +goose Down
DROP TABLE svy_responses;
DROP TABLE svy_campaigns;
DROP TABLE svy_questionnaires;
