-- +goose Up
-- feedback_rating_sources remembers which rating each row of an imported
-- history file became (wenming import ratings), so importing the same file
-- again, or a file that overlaps it, adds each source row once.
CREATE TABLE feedback_rating_sources (
    source_id   TEXT PRIMARY KEY,
    rating_id   TEXT NOT NULL REFERENCES feedback_ratings (id),
    import_time BIGINT NOT NULL
);

-- +goose Down
DROP TABLE feedback_rating_sources;
