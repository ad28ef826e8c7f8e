-- Drill incidents (kind 'drill') and the console's incident actions.
-- Portable SQL: runs on H2 (MODE=PostgreSQL, DATABASE_TO_LOWER) and on PostgreSQL 15.
-- A drill of a unit without a call box has no call box. A drill is numbered by the hub's drill counter (kept in
-- alarm_sequence), never by a box's alarm sequence: the dedup key of a real alarm (call box + alarm sequence) must
-- not clash with a drill on the same box, so the kind joins the unique key.

ALTER TABLE incident ALTER COLUMN callbox DROP NOT NULL;
ALTER TABLE incident DROP CONSTRAINT uq_incident_alarm;
ALTER TABLE incident ADD CONSTRAINT uq_incident_alarm UNIQUE (callbox, alarm_sequence, kind);

CREATE INDEX ix_incident_kind ON incident (kind);
