-- Duty rosters (DOMAIN.md §4.2): a weekly pattern per unit, one-day overrides and swaps.
-- The effective duty of a unit on a day is its override if there is one; else the pattern's day (or, for a unit
-- without a pattern, the per-day rows of V1's duty table) with that day's swaps applied in order (seq).
-- The rules (one leader, at least 3 on duty, own resident members, 5 resident members per unit) are checked by the
-- application before anything is written; no CHECK constraints (see V1 on H2).

-- A unit's pattern plans all seven days or none. weekday is ISO-8601: 1 Monday .. 7 Sunday.
CREATE TABLE duty_pattern (
    unit_id   VARCHAR(64) NOT NULL REFERENCES unit (id),
    weekday   INTEGER     NOT NULL,
    member_id VARCHAR(64) NOT NULL REFERENCES member (id),
    is_leader BOOLEAN     NOT NULL,
    PRIMARY KEY (unit_id, weekday, member_id)
);

-- A whole day's duty that replaces the pattern (and the day's swaps) on that day.
CREATE TABLE duty_override (
    unit_id   VARCHAR(64) NOT NULL REFERENCES unit (id),
    duty_day  DATE        NOT NULL,
    member_id VARCHAR(64) NOT NULL REFERENCES member (id),
    is_leader BOOLEAN     NOT NULL,
    PRIMARY KEY (unit_id, duty_day, member_id)
);

-- from_member's duty on duty_day is taken by to_member (a leader's swap hands over the lead too).
CREATE TABLE duty_swap (
    unit_id     VARCHAR(64)              NOT NULL REFERENCES unit (id),
    duty_day    DATE                     NOT NULL,
    seq         INTEGER                  NOT NULL,
    from_member VARCHAR(64)              NOT NULL REFERENCES member (id),
    to_member   VARCHAR(64)              NOT NULL REFERENCES member (id),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (unit_id, duty_day, seq)
);

CREATE INDEX ix_duty_override_day ON duty_override (unit_id, duty_day);
CREATE INDEX ix_duty_swap_day ON duty_swap (unit_id, duty_day);
