package dev.fleetlet.server.alerts;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * Alerts at a glance, for the overview page.
 *
 * @param total  alerts holding now
 * @param byKind count per kind (wire name); kinds with none are left out
 * @param latest the most recent alerts, newest first (at most 10)
 */
@Serdeable
public record AlertSummary(long total, Map<String, Long> byKind, List<Alert> latest) {
}
