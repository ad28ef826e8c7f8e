-- Every press of a panic button the hub recorded, and the incident it belongs to (issue: alarm truth in the field).
-- Portable SQL: runs on H2 (MODE=PostgreSQL, DATABASE_TO_LOWER) and on PostgreSQL 15.
--
-- A press is identified by its box, the box's counter value AND the press time the box reported: a box whose counter
-- restarts (new SD card, reflash, replacement Pi with the same bundle, corrupt counter file) numbers its presses from
-- 1 again, and (call box, sequence) alone would swallow those presses as resends forever. A resend carries the same
-- reported time (the box's outbox keeps it), a new press with a reused number does not.
-- Several presses may belong to one incident: presses at a box whose incident is still open attach to it.
-- reported_at is null for a press sent without a time stamp (then pressed_at is the hub's time).

ALTER TABLE incident DROP CONSTRAINT uq_incident_alarm;

-- drills are numbered by the hub (the number also kept in alarm_sequence); two hub instances never give out one twice
ALTER TABLE incident ADD COLUMN drill_number BIGINT;
UPDATE incident SET drill_number = alarm_sequence WHERE kind = 'drill';
ALTER TABLE incident ADD CONSTRAINT uq_incident_drill UNIQUE (drill_number);

CREATE TABLE incident_press (
    incident_id    VARCHAR(64)              NOT NULL REFERENCES incident (id),
    position       INTEGER                  NOT NULL,
    callbox        VARCHAR(64)              NOT NULL,
    alarm_sequence BIGINT                   NOT NULL,
    reported_at    TIMESTAMP WITH TIME ZONE,
    pressed_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    recorded_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (incident_id, position),
    -- a resent press never counts twice, even from two hub instances at once
    CONSTRAINT uq_incident_press UNIQUE (callbox, alarm_sequence, reported_at)
);

CREATE INDEX ix_incident_press_recorded_at ON incident_press (recorded_at);

-- the presses of the incidents recorded before: one each, its time the incident's (the box's press time)
INSERT INTO incident_press (incident_id, position, callbox, alarm_sequence, reported_at, pressed_at, recorded_at)
SELECT id, 0, callbox, alarm_sequence, raised_at, raised_at, recorded_at FROM incident
WHERE kind <> 'drill' AND callbox IS NOT NULL;
