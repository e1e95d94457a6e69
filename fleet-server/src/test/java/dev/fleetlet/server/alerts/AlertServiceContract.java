package dev.fleetlet.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.SystemHealth;
import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.events.DeviceEventStore;
import dev.fleetlet.server.events.FleetEvent;
import dev.fleetlet.server.events.InProcessEventBus;
import dev.fleetlet.server.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alert service's storage and rules over every supported database; schema from the real migrations. */
abstract class AlertServiceContract {

    static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");

    protected abstract DataSource dataSource();

    final MutableClock clock = new MutableClock(T0);
    Jdbc jdbc;
    DeviceEventStore events;
    AlertService alerts;

    @BeforeEach
    void migrateAndClean() {
        Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").load().migrate();
        jdbc = new Jdbc(dataSource());
        jdbc.update("DELETE FROM device_alerts");
        jdbc.update("DELETE FROM device_events");
        jdbc.update("DELETE FROM device_labels");
        jdbc.update("DELETE FROM devices");
        events = new DeviceEventStore(jdbc);
        alerts = new AlertService(jdbc, new InProcessEventBus(events, clock), clock, AlertSettings.DEFAULTS);
    }

    void device(String id, boolean online, Instant lastSeen, String lifecycle) {
        jdbc.update("INSERT INTO devices (id, serial, name, fleet, lifecycle, online, last_seen, enrolled_at, updated_at) "
                + "VALUES (?, ?, ?, 'default', ?, ?, ?, ?, ?)", id, "sn-" + id, id, lifecycle, online, lastSeen, T0, T0);
    }

    static ReportedState report(String device, Boolean underVoltage, long diskFree) {
        return new ReportedState(1, device, 1, T0, ReportedState.Status.APPLIED, "app-1", null, null, List.of(),
                new SystemHealth(diskFree, 1000L, null, null, null, null, underVoltage, false, null, null));
    }

    List<String> eventTypes(String device) {
        return events.forDevice(device, 0, 50).items().stream().map(e -> e.type() + ":" + e.data().get("kind"))
                .toList();
    }

    @Test
    void raisesAnAlertOnceWhenItAppearsAndClearsItWhenItGoes() {
        // given / when: under-voltage reported twice, then gone
        alerts.onReports(List.of(report("pi-1", true, 500)));
        clock.set(T0.plusSeconds(60));
        alerts.onReports(List.of(report("pi-1", true, 500)));

        // then: one alert since the first report, one event
        assertThat(alerts.forDevice("pi-1")).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo("under_voltage");
            assertThat(a.since()).isEqualTo(T0);
        });
        assertThat(eventTypes("pi-1")).containsExactly("alert.raised:under_voltage");

        // when
        alerts.onReports(List.of(report("pi-1", false, 500)));

        // then
        assertThat(alerts.forDevice("pi-1")).isEmpty();
        assertThat(eventTypes("pi-1")).containsExactly("alert.cleared:under_voltage", "alert.raised:under_voltage");
    }

    @Test
    void raisesOfflineOnlyAfterTheConfiguredTimeAndClearsItWhenTheDeviceIsBack() {
        // given: one device offline 10 min, one 20 min, one decommissioned long ago, one never seen
        device("pi-a", false, T0.minus(Duration.ofMinutes(10)), "ACTIVE");
        device("pi-b", false, T0.minus(Duration.ofMinutes(20)), "ACTIVE");
        device("pi-c", false, T0.minus(Duration.ofDays(2)), "DECOMMISSIONED");
        device("pi-d", false, null, "ACTIVE");

        // when
        int changes = alerts.sweepOffline();

        // then
        assertThat(changes).isEqualTo(1);
        assertThat(alerts.list("offline", null, 0, 10).items()).extracting(Alert::deviceId).containsExactly("pi-b");
        assertThat(alerts.list("offline", null, 0, 10).items().get(0).since()).isEqualTo(T0.minus(Duration.ofMinutes(20)));

        // when: 6 minutes later pi-a crossed 15 min too; then pi-b comes back
        clock.set(T0.plus(Duration.ofMinutes(6)));
        alerts.sweepOffline();
        assertThat(alerts.sweepOffline()).as("nothing new on a second sweep").isZero();
        jdbc.update("UPDATE devices SET online = TRUE WHERE id = 'pi-b'");
        alerts.sweepOffline();

        // then
        assertThat(alerts.list(null, null, 0, 10).items()).extracting(Alert::deviceId).containsExactly("pi-a");
        assertThat(eventTypes("pi-b")).containsExactly("alert.cleared:offline", "alert.raised:offline");
    }

    @Test
    void aSiteGoingDarkRaisesItsOfflineAlertsInBoundedSweepsLongestOfflineFirst() {
        // given: more devices offline too long than one sweep may raise
        int n = AlertService.MAX_CHANGES_PER_SWEEP + 7;
        for (int i = 0; i < n; i++) {
            device("pi-%04d".formatted(i), false, T0.minus(Duration.ofMinutes(20 + i)), "ACTIVE");
        }

        // when
        int first = alerts.sweepOffline();
        int second = alerts.sweepOffline();

        // then: the longest offline come first, the rest at the next sweep, nothing twice
        assertThat(first).isEqualTo(AlertService.MAX_CHANGES_PER_SWEEP);
        assertThat(alerts.forDevice("pi-%04d".formatted(n - 1))).hasSize(1);
        assertThat(second).isEqualTo(7);
        assertThat(alerts.list("offline", null, 0, 1).total()).isEqualTo(n);
        assertThat(alerts.sweepOffline()).isZero();
    }

    @Test
    void decommissionedDevicesLoseTheirAlerts() {
        device("pi-1", true, T0, "ACTIVE");
        alerts.onReports(List.of(report("pi-1", true, 10)));
        assertThat(alerts.forDevice("pi-1")).hasSize(2);

        jdbc.update("UPDATE devices SET lifecycle = 'DECOMMISSIONED' WHERE id = 'pi-1'");
        alerts.sweepOffline();

        assertThat(alerts.forDevice("pi-1")).isEmpty();
    }

    @Test
    void listsNewestFirstPagedAndFilteredByKindAndDeviceWithASummary() {
        // given: three devices with alerts raised a minute apart
        for (int i = 0; i < 3; i++) {
            clock.set(T0.plusSeconds(60L * i));
            alerts.onReports(List.of(report("pi-" + i, i != 1, 50)));
        }

        // when
        Page<Alert> all = alerts.list(null, null, 0, 2);
        Page<Alert> second = alerts.list(null, null, 1, 2);
        Page<Alert> disk = alerts.list("DISK_FULL", null, 0, 10);
        Page<Alert> one = alerts.list(null, "pi-2", 0, 10);
        AlertSummary summary = alerts.summary();

        // then
        assertThat(all.total()).isEqualTo(5);
        assertThat(all.items()).extracting(Alert::deviceId).containsExactly("pi-2", "pi-2");
        assertThat(second.items()).extracting(Alert::deviceId).containsExactly("pi-1", "pi-0");
        assertThat(disk.items()).extracting(Alert::deviceId).containsExactly("pi-2", "pi-1", "pi-0");
        assertThat(one.items()).extracting(Alert::kind).containsExactlyInAnyOrder("disk_full", "under_voltage");
        assertThat(summary.total()).isEqualTo(5);
        assertThat(summary.byKind()).containsEntry("disk_full", 3L).containsEntry("under_voltage", 2L);
        assertThat(summary.latest()).hasSize(5);
        assertThat(summary.latest().get(0).deviceId()).isEqualTo("pi-2");
    }

    @Test
    void rejectsAnUnknownKindNamingTheField() {
        assertThatThrownBy(() -> alerts.list("on_fire", null, 0, 10)).isInstanceOf(ApiException.class)
                .hasMessageContaining("on_fire");
        assertThatThrownBy(() -> alerts.list(null, null, -1, 10)).isInstanceOf(ApiException.class);
    }

    @Test
    void storesTheEventWithTheDevice() {
        alerts.onReports(List.of(report("pi-9", false, 1)));

        List<FleetEvent> stored = events.forDevice("pi-9", 0, 10).items();
        assertThat(stored).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(AlertService.RAISED);
            assertThat(e.data()).containsEntry("kind", "disk_full");
            assertThat(e.data().get("detail")).contains("99.9 % full");
        });
    }
}
