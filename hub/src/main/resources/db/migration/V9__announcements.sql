-- Announcements on the call boxes' loudspeakers (cn.callbox.hub.announcement): every broadcast with its per-box
-- results, and the broadcast schedules. Portable SQL: runs on H2 (MODE=PostgreSQL, DATABASE_TO_LOWER) and on
-- PostgreSQL 15. Endpoints are not foreign keys: a broadcast's record outlives the boxes it reached.

-- Exactly one of message_text and clip_name is set (checked by the application, see V1 on CHECK constraints).
CREATE TABLE announcement (
    id           VARCHAR(40)              NOT NULL PRIMARY KEY,
    at           TIMESTAMP WITH TIME ZONE NOT NULL,
    requested_by VARCHAR(164)             NOT NULL, -- a user name, or schedule:<name>
    message_text VARCHAR(200),
    clip_name    VARCHAR(40),
    repeat_count INTEGER                  NOT NULL
);

CREATE INDEX ix_announcement_at ON announcement (at);

CREATE TABLE announcement_result (
    announcement_id VARCHAR(40)  NOT NULL REFERENCES announcement (id) ON DELETE CASCADE,
    seq             INTEGER      NOT NULL,
    endpoint        VARCHAR(64)  NOT NULL,
    ok              BOOLEAN      NOT NULL,
    detail          VARCHAR(300),
    PRIMARY KEY (announcement_id, seq)
);

-- Lists are comma-joined (ids never hold a comma). handled_until: occurrences up to this instant are done (run or
-- skipped); set to the time of every create and update, so that a new or changed schedule never runs retroactively.
CREATE TABLE announcement_schedule (
    id            VARCHAR(40)              NOT NULL PRIMARY KEY,
    name          VARCHAR(100)             NOT NULL,
    message_text  VARCHAR(200),
    clip_name     VARCHAR(40),
    repeat_count  INTEGER                  NOT NULL,
    callboxes     VARCHAR(4000)            NOT NULL,
    villages      VARCHAR(4000)            NOT NULL,
    units         VARCHAR(4000)            NOT NULL,
    days_of_week  VARCHAR(20)              NOT NULL,
    days_of_month VARCHAR(100)             NOT NULL,
    at_time       VARCHAR(5)               NOT NULL, -- HH:mm, Asia/Shanghai
    enabled       BOOLEAN                  NOT NULL,
    handled_until TIMESTAMP WITH TIME ZONE NOT NULL,
    last_run_at   TIMESTAMP WITH TIME ZONE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
