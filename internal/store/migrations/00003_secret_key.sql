-- +goose Up
-- The fingerprint of the server secret the data is kept under (contacts
-- encrypted with it, participants pseudonymised with it): never the key,
-- only a hash of a sub-key derived for naming it (backup.Fingerprint).
-- `serve` records it on the first start with a key and refuses another
-- key afterwards; `wenming secret rotate` changes it. source says where
-- the key came from: 'flag' (--secret-key) or 'demo-file' (the
-- wenming-demo.secret file `serve --demo` made), so a plain `serve` can
-- find the demo's key again. One row at most.
CREATE TABLE secret_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    fingerprint TEXT NOT NULL,
    source      TEXT NOT NULL,
    set_time    BIGINT NOT NULL
);

-- +goose Down
DROP TABLE secret_key;
