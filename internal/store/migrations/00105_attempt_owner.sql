-- +goose Up
-- The API key that started an attempt: only it (or, for a kiosk key scoped
-- to a community, keys of that community) may play or review the attempt.
-- Attempts from before have no owner: only scoped kiosks of their community
-- (and admins and analysts) may reach them.
ALTER TABLE attempts ADD COLUMN key_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE attempts DROP COLUMN key_id;
