-- +goose Up
-- public_code is the short code a QR poster and a thank-you page print:
-- /f/{code} for a target, /f/case/{code} for a case. New codes are random
-- Crockford base32 (8 characters for a target, 10 for a case); existing
-- rows get random upper-case hex, a subset of the same alphabet.
ALTER TABLE feedback_targets ADD COLUMN public_code TEXT;
-- +wenming sqlite
UPDATE feedback_targets SET public_code = upper(hex(randomblob(4))) WHERE public_code IS NULL;
-- +wenming postgres
UPDATE feedback_targets SET public_code = upper(substr(md5(random()::text || id), 1, 8)) WHERE public_code IS NULL;
-- +wenming end
CREATE UNIQUE INDEX feedback_targets_public_code ON feedback_targets (public_code);

ALTER TABLE feedback_cases ADD COLUMN public_code TEXT;
-- +wenming sqlite
UPDATE feedback_cases SET public_code = upper(hex(randomblob(5))) WHERE public_code IS NULL;
-- +wenming postgres
UPDATE feedback_cases SET public_code = upper(substr(md5(random()::text || id), 1, 10)) WHERE public_code IS NULL;
-- +wenming end
CREATE UNIQUE INDEX feedback_cases_public_code ON feedback_cases (public_code);

-- +goose Down
DROP INDEX feedback_cases_public_code;
ALTER TABLE feedback_cases DROP COLUMN public_code;
DROP INDEX feedback_targets_public_code;
ALTER TABLE feedback_targets DROP COLUMN public_code;
