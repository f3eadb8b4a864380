-- +goose Up
-- A session is a signed-in period of one API key (the console's cookie).
-- Only the SHA-256 of its token is kept, like a key's.
CREATE TABLE sessions (
    id             TEXT PRIMARY KEY,
-- +wenming sqlite
    token_hash     BLOB NOT NULL UNIQUE,
-- +wenming postgres
    token_hash     BYTEA NOT NULL UNIQUE,
-- +wenming end
    key_id         TEXT NOT NULL REFERENCES api_keys (id),
    create_time    BIGINT NOT NULL,
    last_seen_time BIGINT NOT NULL,
    expire_time    BIGINT NOT NULL
);
CREATE INDEX sessions_last_seen ON sessions (last_seen_time);

-- +goose Down
DROP TABLE sessions;
