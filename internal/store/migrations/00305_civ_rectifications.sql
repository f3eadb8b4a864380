-- +goose Up
-- civ_rect_tasks: one rectification task per shortfall (an item under its
-- threshold share at a site) of a closed SPOT_CHECK or OFFICIAL round,
-- owned by the site's unit. state is OPEN, REPORTED (the unit says it is
-- rectified; awaiting re-inspection) or CLOSED (a later inspection passed
-- the item: closing_inspection_id). Only the supervision hooks and
-- ReportRectified write it.
CREATE TABLE civ_rect_tasks (
    id                    TEXT PRIMARY KEY,
    round_id              TEXT NOT NULL REFERENCES civ_rounds (id),
    site_id               TEXT NOT NULL REFERENCES civ_sites (id),
    unit                  TEXT NOT NULL,
    item_id               TEXT NOT NULL,
    dimension_id          TEXT NOT NULL,
    points                DOUBLE PRECISION NOT NULL,
    max_points            DOUBLE PRECISION NOT NULL,
    threshold             DOUBLE PRECISION NOT NULL,
    state                 TEXT NOT NULL,
    open_time             BIGINT NOT NULL,
    due_time              BIGINT NOT NULL,
    report_time           BIGINT,
    report_note           TEXT NOT NULL,
    close_time            BIGINT,
    closing_inspection_id TEXT NOT NULL,
    update_time           BIGINT NOT NULL
);
CREATE UNIQUE INDEX civ_rect_tasks_shortfall ON civ_rect_tasks (round_id, site_id, item_id);
CREATE INDEX civ_rect_tasks_site ON civ_rect_tasks (site_id, state);
CREATE INDEX civ_rect_tasks_unit ON civ_rect_tasks (unit, state, due_time);

-- +goose Down
DROP TABLE civ_rect_tasks;
