-- +goose Up
-- civ_round_stats keeps, per round and site category, the count, sum and
-- sum of squares of the scores of the scored sites (dimension_id '') and of
-- each dimension's score over the sites where it applied. It is maintained
-- with civ_site_scores, so the round index and trend read a few rows per
-- category whatever the number of sites.
CREATE TABLE civ_round_stats (
    round_id     TEXT NOT NULL REFERENCES civ_rounds (id),
    category     TEXT NOT NULL,
    dimension_id TEXT NOT NULL,
    n            BIGINT NOT NULL,
    sum          DOUBLE PRECISION NOT NULL,
    sumsq        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (round_id, category, dimension_id)
);
INSERT INTO civ_round_stats (round_id, category, dimension_id, n, sum, sumsq)
    SELECT sc.round_id, s.category, '', COUNT(*), SUM(sc.score), SUM(sc.score * sc.score)
    FROM civ_site_scores sc JOIN civ_sites s ON s.id = sc.site_id
    WHERE sc.max_points > 0
    GROUP BY sc.round_id, s.category;
-- +wenming postgres
-- jsonb_each refuses a JSON null, which a site where nothing applied may
-- have stored as its dimensions.
-- +wenming end
INSERT INTO civ_round_stats (round_id, category, dimension_id, n, sum, sumsq)
    SELECT sc.round_id, s.category, d.key, COUNT(*),
-- +wenming sqlite
           SUM(json_extract(d.value, '$.Score')), SUM(json_extract(d.value, '$.Score') * json_extract(d.value, '$.Score'))
    FROM civ_site_scores sc JOIN civ_sites s ON s.id = sc.site_id, json_each(sc.dimensions) d
    WHERE sc.max_points > 0 AND json_extract(d.value, '$.Max') > 0
-- +wenming postgres
           SUM((d.value ->> 'Score')::DOUBLE PRECISION),
           SUM((d.value ->> 'Score')::DOUBLE PRECISION * (d.value ->> 'Score')::DOUBLE PRECISION)
    FROM civ_site_scores sc JOIN civ_sites s ON s.id = sc.site_id
    CROSS JOIN LATERAL jsonb_each(CASE WHEN jsonb_typeof(sc.dimensions::jsonb) = 'object'
                                       THEN sc.dimensions::jsonb ELSE '{}'::jsonb END) d
    WHERE sc.max_points > 0 AND (d.value ->> 'Max')::DOUBLE PRECISION > 0
-- +wenming end
    GROUP BY sc.round_id, s.category, d.key;

-- A round's scope is fixed when it is created; site_count saves counting it.
ALTER TABLE civ_rounds ADD COLUMN site_count INTEGER NOT NULL DEFAULT 0;
UPDATE civ_rounds SET site_count = (SELECT COUNT(*) FROM civ_round_sites rs WHERE rs.round_id = civ_rounds.id);

-- A site's scores in every round are moved to its new category when it
-- changes.
CREATE INDEX civ_site_scores_site ON civ_site_scores (site_id);

-- +goose Down
DROP INDEX civ_site_scores_site;
ALTER TABLE civ_rounds DROP COLUMN site_count;
DROP TABLE civ_round_stats;
