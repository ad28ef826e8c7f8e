-- The township registry (DOMAIN.md): township -> villages -> points -> call boxes; units, members, daily duty;
-- console users. Portable SQL: runs on H2 (MODE=PostgreSQL, DATABASE_TO_LOWER) and on PostgreSQL 15.
-- Ids that appear in MQTT topics or as LwM2M endpoints are checked by the application
-- (cn.callbox.protocol.mqtt.Topics.isValidLevel), not here. So are the enumerated columns (point.kind, users.role):
-- H2 2.4.240 fails CHECK constraints that compare with a string literal ("Check constraint invalid ... database has
-- been closed") once the connection that created them is closed, so the schema has none.

CREATE TABLE township (
    id         VARCHAR(64)  NOT NULL PRIMARY KEY,
    name       VARCHAR(100) NOT NULL,
    district   VARCHAR(100) NOT NULL
);

CREATE TABLE village (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    township_id VARCHAR(64)  NOT NULL REFERENCES township (id),
    name        VARCHAR(100) NOT NULL
);

-- home_point_id gets its foreign key below: unit and point refer to each other.
CREATE TABLE unit (
    id            VARCHAR(64)      NOT NULL PRIMARY KEY,
    village_id    VARCHAR(64)      NOT NULL REFERENCES village (id),
    name          VARCHAR(100)     NOT NULL,
    home_point_id VARCHAR(64),
    lat           DOUBLE PRECISION NOT NULL,
    lon           DOUBLE PRECISION NOT NULL
);

-- A place a unit is responsible for: a grid of a village, a market, a villager group or another gathering point.
CREATE TABLE point (
    id         VARCHAR(64)      NOT NULL PRIMARY KEY,
    village_id VARCHAR(64)      NOT NULL REFERENCES village (id),
    kind       VARCHAR(16)      NOT NULL, -- grid, market, group, other
    name       VARCHAR(100)     NOT NULL,
    lat        DOUBLE PRECISION NOT NULL,
    lon        DOUBLE PRECISION NOT NULL,
    unit_id    VARCHAR(64)      NOT NULL REFERENCES unit (id)
);

ALTER TABLE unit ADD CONSTRAINT fk_unit_home_point FOREIGN KEY (home_point_id) REFERENCES point (id);

-- psk_key holds the pre-shared key in lower-case hex (16 bytes or more).
CREATE TABLE callbox (
    endpoint     VARCHAR(64)              NOT NULL PRIMARY KEY,
    point_id     VARCHAR(64)              NOT NULL REFERENCES point (id),
    lat          DOUBLE PRECISION         NOT NULL,
    lon          DOUBLE PRECISION         NOT NULL,
    psk_identity VARCHAR(128)             NOT NULL UNIQUE,
    psk_key      VARCHAR(256)             NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX ix_callbox_point ON callbox (point_id);

CREATE TABLE member (
    id                 VARCHAR(64)  NOT NULL PRIMARY KEY,
    unit_id            VARCHAR(64)  NOT NULL REFERENCES unit (id),
    name               VARCHAR(100) NOT NULL,
    role               VARCHAR(50)  NOT NULL,
    resident           BOOLEAN      NOT NULL,
    phone              VARCHAR(32),
    mqtt_password_hash VARCHAR(100)
);

CREATE INDEX ix_member_unit ON member (unit_id);

-- One row per member on duty (duty_day: DAY is a keyword in H2); exactly one leader per unit and day is checked by the application.
CREATE TABLE duty (
    unit_id   VARCHAR(64) NOT NULL REFERENCES unit (id),
    duty_day  DATE        NOT NULL,
    member_id VARCHAR(64) NOT NULL REFERENCES member (id),
    is_leader BOOLEAN     NOT NULL,
    PRIMARY KEY (unit_id, duty_day, member_id)
);

-- Console and API users. password_hash is BCrypt; a unit leader belongs to one unit.
CREATE TABLE users (
    username      VARCHAR(64)              NOT NULL PRIMARY KEY,
    password_hash VARCHAR(100)             NOT NULL,
    role          VARCHAR(16)              NOT NULL, -- admin, dispatcher, police, unit-leader
    unit_id       VARCHAR(64) REFERENCES unit (id),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
