-- +goose Up
-- Civility index. A framework version is immutable once published; its
-- dimensions → indicators → items tree is stored as JSON because it is
-- always read whole.
CREATE TABLE civ_frameworks (
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL,
    state        TEXT NOT NULL,
    name         TEXT NOT NULL,
    content      TEXT NOT NULL,
    create_time  BIGINT NOT NULL,
    update_time  BIGINT NOT NULL,
    publish_time BIGINT,
    PRIMARY KEY (id, version)
);

CREATE TABLE civ_sites (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    category     TEXT NOT NULL,
    unit         TEXT NOT NULL,
    has_location BOOLEAN NOT NULL DEFAULT FALSE,
    latitude     DOUBLE PRECISION NOT NULL DEFAULT 0,
    longitude    DOUBLE PRECISION NOT NULL DEFAULT 0,
    address      TEXT NOT NULL DEFAULT '',
    create_time  BIGINT NOT NULL,
    update_time  BIGINT NOT NULL
);
CREATE INDEX civ_sites_unit ON civ_sites (unit);

CREATE TABLE civ_rounds (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    kind              TEXT NOT NULL,
    state             TEXT NOT NULL,
    framework_id      TEXT NOT NULL,
    framework_version INTEGER NOT NULL,
    start_time        BIGINT NOT NULL,
    end_time          BIGINT NOT NULL,
    create_time       BIGINT NOT NULL,
    update_time       BIGINT NOT NULL,
    FOREIGN KEY (framework_id, framework_version) REFERENCES civ_frameworks (id, version)
);
CREATE INDEX civ_rounds_framework ON civ_rounds (framework_id, start_time);

CREATE TABLE civ_round_sites (
    round_id TEXT NOT NULL REFERENCES civ_rounds (id),
    site_id  TEXT NOT NULL REFERENCES civ_sites (id),
    PRIMARY KEY (round_id, site_id)
);
CREATE INDEX civ_round_sites_site ON civ_round_sites (site_id);

-- An inspection is one visit; its content lives in revisions, which are
-- only ever added.
CREATE TABLE civ_inspections (
    id               TEXT PRIMARY KEY,
    round_id         TEXT NOT NULL REFERENCES civ_rounds (id),
    site_id          TEXT NOT NULL REFERENCES civ_sites (id),
    inspector        TEXT NOT NULL,
    inspector_key_id TEXT NOT NULL,
    visit_time       BIGINT NOT NULL,
    current_revision INTEGER NOT NULL,
    create_time      BIGINT NOT NULL,
    update_time      BIGINT NOT NULL
);
CREATE INDEX civ_inspections_round_site ON civ_inspections (round_id, site_id);

CREATE TABLE civ_inspection_revisions (
    inspection_id TEXT NOT NULL REFERENCES civ_inspections (id),
    revision      INTEGER NOT NULL,
    results       TEXT NOT NULL,
    notes         TEXT NOT NULL,
    evidence      TEXT NOT NULL,
    reason        TEXT NOT NULL,
    author        TEXT NOT NULL,
    author_key_id TEXT NOT NULL,
    visit_score   DOUBLE PRECISION NOT NULL,
    create_time   BIGINT NOT NULL,
    PRIMARY KEY (inspection_id, revision)
);

-- civ_item_results holds the scored items of each inspection's current
-- revision (replaced on amendment), so a site's score is recomputed from
-- one index range.
CREATE TABLE civ_item_results (
    round_id      TEXT NOT NULL,
    site_id       TEXT NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES civ_inspections (id),
    item_id       TEXT NOT NULL,
    dimension_id  TEXT NOT NULL,
    max_points    DOUBLE PRECISION NOT NULL,
    points        DOUBLE PRECISION NOT NULL,
    applicable    BOOLEAN NOT NULL,
    PRIMARY KEY (inspection_id, item_id)
);
CREATE INDEX civ_item_results_round_site ON civ_item_results (round_id, site_id);

-- civ_site_scores materialises each site's score in a round on every
-- submission or amendment, so round reports read one row per site.
-- dimensions and items are JSON (dimension scores, item averages); items is
-- read only by the reports that need it.
CREATE TABLE civ_site_scores (
    round_id    TEXT NOT NULL REFERENCES civ_rounds (id),
    site_id     TEXT NOT NULL REFERENCES civ_sites (id),
    score       DOUBLE PRECISION NOT NULL,
    points      DOUBLE PRECISION NOT NULL,
    max_points  DOUBLE PRECISION NOT NULL,
    visits      INTEGER NOT NULL,
    dimensions  TEXT NOT NULL,
    items       TEXT NOT NULL,
    update_time BIGINT NOT NULL,
    PRIMARY KEY (round_id, site_id)
);

-- +goose Down
DROP TABLE civ_site_scores;
DROP TABLE civ_item_results;
DROP TABLE civ_inspection_revisions;
DROP TABLE civ_inspections;
DROP TABLE civ_round_sites;
DROP TABLE civ_rounds;
DROP TABLE civ_sites;
DROP TABLE civ_frameworks;
