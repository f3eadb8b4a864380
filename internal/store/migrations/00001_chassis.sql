-- +goose Up
CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    scope       TEXT NOT NULL DEFAULT '',
-- +wenming sqlite
    key_hash    BLOB NOT NULL UNIQUE,
-- +wenming postgres
    key_hash    BYTEA NOT NULL UNIQUE,
-- +wenming end
    key_prefix  TEXT NOT NULL,
    create_time BIGINT NOT NULL,
    revoke_time BIGINT
);

CREATE TABLE request_ids (
    method       TEXT NOT NULL,
    scope        TEXT NOT NULL,
    request_id   TEXT NOT NULL,
-- +wenming sqlite
    payload_hash BLOB NOT NULL,
    response     BLOB NOT NULL,
-- +wenming postgres
    payload_hash BYTEA NOT NULL,
    response     BYTEA NOT NULL,
-- +wenming end
    create_time  BIGINT NOT NULL,
    PRIMARY KEY (method, scope, request_id)
);

-- +goose Down
DROP TABLE request_ids;
DROP TABLE api_keys;
