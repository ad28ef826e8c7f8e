-- Incidents, the units alerted for them and their append-only log (ARCHITECTURE.md, the alarm path).
-- Portable SQL: runs on H2 (MODE=PostgreSQL, DATABASE_TO_LOWER) and on PostgreSQL 15.
-- Call boxes and units are referred to by id only, without foreign keys into the registry (V1): an incident is a
-- record of what happened and must outlive a box or unit that is later renamed or removed.

CREATE TABLE incident (
    id                 VARCHAR(64)              NOT NULL PRIMARY KEY,
    kind               VARCHAR(16)              NOT NULL,
    state              VARCHAR(16)              NOT NULL,
    callbox            VARCHAR(64)              NOT NULL,
    alarm_sequence     BIGINT                   NOT NULL,
    place              VARCHAR(200)             NOT NULL,
    village            VARCHAR(100)             NOT NULL,
    lat                DOUBLE PRECISION         NOT NULL,
    lon                DOUBLE PRECISION         NOT NULL,
    raised_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    escalated          BOOLEAN                  NOT NULL,
    needs_police       BOOLEAN                  NOT NULL,
    needs_ambulance    BOOLEAN                  NOT NULL,
    -- when the next escalation is due; null when none is (primary acknowledged, closed, or no unit left)
    next_escalation_at TIMESTAMP WITH TIME ZONE,
    -- a resent alarm never makes a second incident, even from two hub instances at once
    CONSTRAINT uq_incident_alarm UNIQUE (callbox, alarm_sequence)
);

CREATE INDEX ix_incident_recorded_at ON incident (recorded_at);
CREATE INDEX ix_incident_state ON incident (state);

CREATE TABLE incident_unit (
    incident_id     VARCHAR(64)              NOT NULL REFERENCES incident (id),
    unit_id         VARCHAR(64)              NOT NULL,
    position        INTEGER                  NOT NULL,
    role            VARCHAR(16)              NOT NULL,
    by_escalation   BOOLEAN                  NOT NULL,
    distance_km     DOUBLE PRECISION         NOT NULL,
    reason          VARCHAR(300)             NOT NULL,
    alerted_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    acknowledged_at TIMESTAMP WITH TIME ZONE,
    acknowledged_by VARCHAR(64),
    PRIMARY KEY (incident_id, unit_id)
);

CREATE TABLE incident_log (
    incident_id VARCHAR(64)              NOT NULL REFERENCES incident (id),
    position    INTEGER                  NOT NULL,
    logged_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    type        VARCHAR(32)              NOT NULL,
    unit_id     VARCHAR(64),
    member_id   VARCHAR(64),
    message     VARCHAR(1000)            NOT NULL,
    PRIMARY KEY (incident_id, position)
);
