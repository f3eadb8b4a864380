-- +goose Up
-- civ_chain links every revision of a round's inspections (revision 1 is
-- the inspection, later ones amendments) in the order they were recorded:
-- each row's hash covers the revision's canonical content and the previous
-- row's hash (docs/supervision.md gives the exact bytes). It is only ever
-- appended to. civ_chain_heads holds each round's last seq and hash; its
-- row is what concurrent inspections of a round queue on.
CREATE TABLE civ_chain (
    round_id      TEXT NOT NULL REFERENCES civ_rounds (id),
    seq           BIGINT NOT NULL,
    inspection_id TEXT NOT NULL REFERENCES civ_inspections (id),
    revision      INTEGER NOT NULL,
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL,
    create_time   BIGINT NOT NULL,
    PRIMARY KEY (round_id, seq)
);
CREATE UNIQUE INDEX civ_chain_revision ON civ_chain (inspection_id, revision);

CREATE TABLE civ_chain_heads (
    round_id TEXT PRIMARY KEY REFERENCES civ_rounds (id),
    seq      BIGINT NOT NULL,
    hash     TEXT NOT NULL
);

-- +goose Down
DROP TABLE civ_chain_heads;
DROP TABLE civ_chain;
