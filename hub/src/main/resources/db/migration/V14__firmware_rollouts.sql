-- Firmware roll-outs in waves (issue 5): one package to a list of call boxes, a wave of boxes at a time. The engine
-- keeps all its state here, so a hub restart resumes a roll-out where it stood. Portable SQL (H2 in PostgreSQL mode and
-- PostgreSQL 15). The package id and endpoints are not foreign keys: a roll-out's record stays when a package is
-- deleted or a box retired. Times are UTC.

-- One roll-out. running_guard is 'R' while the roll-out runs and NULL once it ended: the unique constraint lets only
-- one roll-out run at a time, even when two requests race. download_url (it carries the package's secret download
-- token) is written to the boxes and never shown through the API.
CREATE TABLE firmware_rollout (
    id              VARCHAR(40)              NOT NULL PRIMARY KEY,
    firmware_id     VARCHAR(64)              NOT NULL,
    version         VARCHAR(64)              NOT NULL,
    download_url    VARCHAR(1000)            NOT NULL,
    state           VARCHAR(16)              NOT NULL,
    running_guard   CHAR(1)                  UNIQUE,
    wave_size       INT                      NOT NULL,
    wave            INT                      NOT NULL,
    waves           INT                      NOT NULL,
    wave_started_at TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by      VARCHAR(64)              NOT NULL,
    ended_at        TIMESTAMP WITH TIME ZONE,
    detail          VARCHAR(500)
);

CREATE INDEX ix_firmware_rollout_created ON firmware_rollout (created_at);

-- One box of a roll-out: its wave, its place in the roll-out's order, and where its update stands. updated_at is when
-- the box entered its state (the download and install timeouts count from it); result is the last 5/0/5 code read.
CREATE TABLE firmware_rollout_box (
    rollout_id   VARCHAR(40)              NOT NULL REFERENCES firmware_rollout (id),
    endpoint     VARCHAR(64)              NOT NULL,
    ordinal      INT                      NOT NULL,
    wave         INT                      NOT NULL,
    state        VARCHAR(16)              NOT NULL,
    result       INT,
    detail       VARCHAR(500),
    from_version VARCHAR(64),
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (rollout_id, endpoint)
);

CREATE INDEX ix_firmware_rollout_box_state ON firmware_rollout_box (state);
