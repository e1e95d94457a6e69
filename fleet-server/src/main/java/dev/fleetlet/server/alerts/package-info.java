/**
 * Device alerts (docs/alerts.md). Data flow: the reported-state intake's writer thread hands each batch's latest
 * reports to {@link dev.fleetlet.server.alerts.AlertService#onReports} → pure {@link
 * dev.fleetlet.server.alerts.AlertRules} (under-voltage, throttled, disk nearly full, service unhealthy or
 * restarting, rollback failed) → {@code device_alerts} rows inserted or deleted → {@code alert.raised} /
 * {@code alert.cleared} on the event bus (SSE). A timer ({@link dev.fleetlet.server.alerts.AlertSweepJob}) raises
 * and clears {@code offline} from presence. {@link dev.fleetlet.server.alerts.AlertController} serves
 * {@code GET /api/v1/alerts}, {@code /api/v1/alerts/summary} and {@code /api/v1/devices/{id}/alerts}.
 */
package dev.fleetlet.server.alerts;
