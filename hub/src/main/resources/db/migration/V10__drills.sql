-- Readiness drills (拉动测试, DOMAIN.md): the drills run and the year's plan of surprise drills. Portable SQL: runs on
-- H2 (MODE=PostgreSQL, DATABASE_TO_LOWER) and on PostgreSQL 15. Unit ids are not foreign keys: a drill's record stays
-- when the registry drops a unit. Times are UTC.

-- A drill that was started: the drill incident it raised and who started it (plan_id when it ran a plan entry).
CREATE TABLE drill (
    id          VARCHAR(40)              NOT NULL PRIMARY KEY,
    unit_id     VARCHAR(64)              NOT NULL,
    incident_id VARCHAR(64)              NOT NULL,
    started_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    started_by  VARCHAR(64)              NOT NULL,
    plan_id     VARCHAR(40)
);

CREATE INDEX ix_drill_started_at ON drill (started_at);
CREATE INDEX ix_drill_unit ON drill (unit_id);

-- One planned drill of the year's plan: a unit, its month and the surprise time. drill_id is set once it ran.
CREATE TABLE drill_plan (
    id          VARCHAR(40)              NOT NULL PRIMARY KEY,
    plan_year   INT                      NOT NULL,
    plan_month  INT                      NOT NULL,
    unit_id     VARCHAR(64)              NOT NULL,
    planned_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    drill_id    VARCHAR(40),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by  VARCHAR(64)              NOT NULL
);

CREATE INDEX ix_drill_plan_year ON drill_plan (plan_year, plan_month);
