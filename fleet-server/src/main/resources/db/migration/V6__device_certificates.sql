-- Client certificates issued to devices by the fleet CA (opt-in certificate credential; see docs/security.md).
-- One row per issued certificate. A re-enrollment with a new CSR supersedes the device's earlier certificates,
-- decommissioning revokes all of them; the broker accepts a certificate only while its row is not revoked.
CREATE TABLE device_certificates (
    serial              VARCHAR(64)  NOT NULL PRIMARY KEY,
    device_id           VARCHAR(64)  NOT NULL REFERENCES devices (id),
    fingerprint_sha256  VARCHAR(64)  NOT NULL,
    not_before          TIMESTAMP WITH TIME ZONE NOT NULL,
    not_after           TIMESTAMP WITH TIME ZONE NOT NULL,
    issued_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at          TIMESTAMP WITH TIME ZONE,
    revoke_reason       VARCHAR(32)
);

CREATE INDEX ix_device_certificates_device ON device_certificates (device_id);
