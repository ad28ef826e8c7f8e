-- Firmware packages the hub holds for over-the-air updates (issue 5, LwM2M object 5). Portable SQL: runs on H2
-- (MODE=PostgreSQL, DATABASE_TO_LOWER) and on PostgreSQL 15. Times are UTC.

-- One uploaded, checked .cbfw: its signed manifest (name, version, payload size and SHA-256), the id of the trusted
-- key that signed it, and the random token of the URL boxes download it from (/firmware/download/<token>). The bytes
-- are the file <data-dir>/firmware/<id>.cbfw. A version is held once.
CREATE TABLE firmware_package (
    id             VARCHAR(40)              NOT NULL PRIMARY KEY,
    name           VARCHAR(64)              NOT NULL,
    version        VARCHAR(64)              NOT NULL,
    size           BIGINT                   NOT NULL,
    sha256         VARCHAR(64)              NOT NULL,
    key_id         VARCHAR(16)              NOT NULL,
    download_token VARCHAR(64)              NOT NULL,
    uploaded_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    uploaded_by    VARCHAR(64)              NOT NULL,
    CONSTRAINT uq_firmware_package_version UNIQUE (version),
    CONSTRAINT uq_firmware_package_token UNIQUE (download_token)
);

CREATE INDEX ix_firmware_package_uploaded_at ON firmware_package (uploaded_at);
