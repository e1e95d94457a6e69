-- Device health: the latest system health a device reported, and the alerts the server derives from it.
-- Portable between H2 2.x and PostgreSQL 13+.

-- JSON of the reported state's optional "system" object (disk, memory, temperature, power flags); null when the
-- device did not send one.
ALTER TABLE device_reported_state ADD COLUMN system_health VARCHAR(4000);

-- Alerts that hold now, at most one per device and kind. A row appears when a rule starts to hold (the server
-- emits alert.raised) and is deleted when it stops (alert.cleared). kind: offline, under_voltage, throttled,
-- disk_full, service_unhealthy, service_restarting, rollback_failed.
CREATE TABLE device_alerts (
    device_id VARCHAR(64)  NOT NULL,
    kind      VARCHAR(32)  NOT NULL,
    since     TIMESTAMP WITH TIME ZONE NOT NULL,
    detail    VARCHAR(500) NOT NULL,
    CONSTRAINT pk_device_alerts PRIMARY KEY (device_id, kind)
);
CREATE INDEX ix_device_alerts_kind_since ON device_alerts (kind, since);
CREATE INDEX ix_device_alerts_since ON device_alerts (since);
