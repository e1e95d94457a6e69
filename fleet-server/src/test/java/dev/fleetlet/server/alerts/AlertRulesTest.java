package dev.fleetlet.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.ServiceStatus;
import dev.fleetlet.protocol.message.SystemHealth;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRulesTest {

    static final Instant T = Instant.parse("2026-05-04T08:00:00Z");
    static final String IMAGE = "r/web@sha256:" + "a".repeat(64);

    static SystemHealth system(long free, long total, Boolean underVoltage, Boolean throttled, Integer flags) {
        return new SystemHealth(free, total, null, null, 50.0, 100L, underVoltage, throttled, null, flags);
    }

    static ReportedState report(ReportedState.Status status, String reason, List<ServiceStatus> services,
                                SystemHealth system) {
        return new ReportedState(1, "pi-1", 3, T, status, "app-2", null, reason, services, system);
    }

    static ServiceStatus service(String name, String state, String health, int restarts) {
        return new ServiceStatus(name, IMAGE, state, health, restarts, null, null, null, null);
    }

    @Test
    void aHealthyDeviceHasNoAlerts() {
        Map<AlertKind, String> alerts = AlertRules.evaluate(report(ReportedState.Status.APPLIED, null,
                List.of(service("web", "running", "healthy", 0)), system(500, 1000, false, false, 0)),
                AlertSettings.DEFAULTS);

        assertThat(alerts).isEmpty();
    }

    @Test
    void aDeviceWithoutSystemHealthGetsNoPowerOrDiskAlerts() {
        assertThat(AlertRules.evaluate(report(ReportedState.Status.APPLIED, null, List.of(), null),
                AlertSettings.DEFAULTS)).isEmpty();
    }

    @Test
    void underVoltageAndThrottlingAreSeparateAlerts() {
        Map<AlertKind, String> alerts = AlertRules.evaluate(report(ReportedState.Status.APPLIED, null, List.of(),
                system(500, 1000, true, true, 0x50005)), AlertSettings.DEFAULTS);

        assertThat(alerts).containsOnlyKeys(AlertKind.UNDER_VOLTAGE, AlertKind.THROTTLED);
        assertThat(alerts.get(AlertKind.THROTTLED)).contains("0x50005");
    }

    @Test
    void diskFullStartsAtTheConfiguredPercentage() {
        assertThat(AlertRules.evaluate(report(ReportedState.Status.APPLIED, null, List.of(),
                system(101, 1000, null, null, null)), AlertSettings.DEFAULTS)).isEmpty();
        Map<AlertKind, String> full = AlertRules.evaluate(report(ReportedState.Status.APPLIED, null, List.of(),
                system(100, 1000, null, null, null)), AlertSettings.DEFAULTS);
        assertThat(full).containsOnlyKeys(AlertKind.DISK_FULL);
        assertThat(full.get(AlertKind.DISK_FULL)).contains("90.0 % full");

        AlertSettings strict = new AlertSettings(AlertSettings.DEFAULTS.offlineAfter(), 50, 3);
        assertThat(AlertRules.evaluate(report(ReportedState.Status.APPLIED, null, List.of(),
                system(500, 1000, null, null, null)), strict)).containsOnlyKeys(AlertKind.DISK_FULL);
    }

    @Test
    void unhealthyAndRestartingServicesAreNamed() {
        Map<AlertKind, String> alerts = AlertRules.evaluate(report(ReportedState.Status.APPLIED, null, List.of(
                service("web", "running", "unhealthy", 0),
                service("db", "restarting", "none", 1),
                service("cache", "running", "healthy", 3),
                service("ok", "running", "healthy", 2)), null), AlertSettings.DEFAULTS);

        assertThat(alerts).containsOnlyKeys(AlertKind.SERVICE_UNHEALTHY, AlertKind.SERVICE_RESTARTING);
        assertThat(alerts.get(AlertKind.SERVICE_UNHEALTHY)).isEqualTo("unhealthy: web");
        assertThat(alerts.get(AlertKind.SERVICE_RESTARTING)).isEqualTo("restarting: db (1 restarts), cache (3 restarts)");
    }

    @Test
    void rollbackFailedCarriesTheDevicesReason() {
        Map<AlertKind, String> alerts = AlertRules.evaluate(report(ReportedState.Status.ROLLBACK_FAILED,
                "x".repeat(900), List.of(), null), AlertSettings.DEFAULTS);

        assertThat(alerts).containsOnlyKeys(AlertKind.ROLLBACK_FAILED);
        assertThat(alerts.get(AlertKind.ROLLBACK_FAILED)).hasSize(500).endsWith("...");
    }

    @Test
    void settingsRejectNonsenseNamingTheKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AlertSettings(java.time.Duration.ZERO, 90, 3))
                .hasMessageContaining("fleetlet.alerts.offline-after");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AlertSettings(java.time.Duration.ofMinutes(1),
                101, 3)).hasMessageContaining("fleetlet.alerts.disk-full-percent");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AlertSettings(java.time.Duration.ofMinutes(1),
                90, 0)).hasMessageContaining("fleetlet.alerts.restart-threshold");
    }
}
