-- Enrolment, key rotation and retirement of call boxes (issue 5).
-- A retired box keeps its row (incidents and history name it) with retired_at set; the registry's reads and the LwM2M
-- security store leave it out, and its endpoint and PSK identity are never given to another box.
-- From here on callbox.psk_key holds 'v1:' + base64(iv || AES-256-GCM ciphertext) (cn.callbox.hub.registry.KeyEncryption);
-- plain hex keys of older databases are encrypted when the hub starts.
ALTER TABLE callbox ADD COLUMN retired_at TIMESTAMP WITH TIME ZONE;

-- PSK identities a box gave up in a key rotation: never used again by any box.
CREATE TABLE callbox_old_identity (
    psk_identity VARCHAR(128)             NOT NULL PRIMARY KEY,
    endpoint     VARCHAR(64)              NOT NULL REFERENCES callbox (endpoint),
    replaced_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
