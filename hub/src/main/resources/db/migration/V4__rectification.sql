-- Rectification tasks (检查→通报→整改→反馈) and their append-only log (issue 3, item 5).
-- Portable SQL: runs on H2 (MODE=PostgreSQL, DATABASE_TO_LOWER) and on PostgreSQL 15.
-- Units are referred to by id only, without foreign keys into the registry: a task is a record of what happened.

CREATE TABLE rectification (
    id         VARCHAR(64)              NOT NULL PRIMARY KEY,
    unit_id    VARCHAR(64)              NOT NULL,
    reason     VARCHAR(32)              NOT NULL,
    -- item kind, call-box endpoint or duty day; null when the reason says it all
    subject    VARCHAR(100),
    state      VARCHAR(16)              NOT NULL,
    detail     VARCHAR(1000)            NOT NULL,
    -- the unit's duty leader when the task was opened; null when the unit had none
    assignee   VARCHAR(64),
    opened_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    due_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    note       VARCHAR(2000),
    evidence   VARCHAR(2000)
);

CREATE INDEX ix_rectification_problem ON rectification (unit_id, reason, subject);
CREATE INDEX ix_rectification_state ON rectification (state);

CREATE TABLE rectification_log (
    task_id   VARCHAR(64)              NOT NULL REFERENCES rectification (id),
    position  INTEGER                  NOT NULL,
    logged_at TIMESTAMP WITH TIME ZONE NOT NULL,
    -- user name, or "hub" for what the hub did by itself
    actor     VARCHAR(64)              NOT NULL,
    message   VARCHAR(2000)            NOT NULL,
    PRIMARY KEY (task_id, position)
);
