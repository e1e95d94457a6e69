package dev.fleetlet.server.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.ServiceStatus;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.events.DeviceEventStore;
import dev.fleetlet.server.events.FleetEvent;
import dev.fleetlet.server.events.InProcessEventBus;
import dev.fleetlet.server.rollout.Observation;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reported states and device events from the broker: stored, de-duplicated, turned into rollout observations. */
class ReportedStateIntakeTest {

    static final Instant T = Instant.parse("2026-05-04T08:00:00Z");

    @TempDir
    Path dir;
    Jdbc jdbc;
    ReportedStateIntake intake;
    final List<Observation> observed = new CopyOnWriteArrayList<>();
    DeviceEventStore events;

    @BeforeEach
    void open() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("intake") + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new Jdbc(ds);
        events = new DeviceEventStore(jdbc);
        intake = new ReportedStateIntake(jdbc, new InProcessEventBus(events, Clock.systemUTC()), observed::addAll, 100);
    }

    @AfterEach
    void close() {
        intake.close();
    }

    private static ReportedState state(String device, long gen, ReportedState.Status status, String release, String health) {
        return new ReportedState(1, device, gen, T, status, release, "app-1", null,
                List.of(new ServiceStatus("web", "r/web@sha256:" + "a".repeat(64), "running", health, 0, null, null, null, null)));
    }

    @Test
    void storesTheLatestReportedStateAndMapsHealthToObservations() {
        intake.reported(state("d1", 3, ReportedState.Status.APPLIED, "app-2", "starting"), T);
        intake.reported(state("d1", 3, ReportedState.Status.APPLIED, "app-2", "healthy"), T.plusSeconds(5));
        intake.reported(state("d2", 1, ReportedState.Status.APPLIED, "app-2", "unhealthy"), T.plusSeconds(6));
        intake.reported(state("d3", 1, ReportedState.Status.ROLLED_BACK, "app-1", "healthy"), T.plusSeconds(7));

        await().untilAsserted(() -> assertThat(observed).hasSize(4));
        assertThat(observed).extracting(Observation::kind).containsExactly(Observation.Kind.APPLIED,
                Observation.Kind.HEALTHY, Observation.Kind.UNHEALTHY, Observation.Kind.ROLLED_BACK);
        assertThat(observed.get(2).reason()).contains("web");
        assertThat(jdbc.query("SELECT generation, status, release_id, reported_at FROM device_reported_state WHERE device_id = 'd1'",
                rs -> rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + Jdbc.instant(rs, "reported_at")))
                .containsExactly("3 applied app-2 " + T.plusSeconds(5));
        assertThat(events.forDevice("d1", 0, 10).items()).extracting(FleetEvent::type)
                .containsExactly(ReportedStateIntake.STATE_CHANGED);
    }

    @Test
    void storesSystemHealthAndHandsTheLatestReportPerDeviceToReportListeners() {
        // given
        List<ReportedState> heard = new CopyOnWriteArrayList<>();
        intake.addReportListener(heard::addAll);
        dev.fleetlet.protocol.message.SystemHealth system = new dev.fleetlet.protocol.message.SystemHealth(
                50L, 1000L, 10L, 100L, 61.5, 99L, true, false, true, 0x10001);
        ReportedState withHealth = new ReportedState(1, "d9", 1, T, ReportedState.Status.APPLIED, "app-2", null, null,
                List.of(), system);

        // when
        intake.reported(withHealth, T);

        // then
        await().untilAsserted(() -> assertThat(heard).containsExactly(withHealth));
        String stored = jdbc.query("SELECT system_health FROM device_reported_state WHERE device_id = 'd9'",
                rs -> rs.getString(1)).get(0);
        assertThat(stored).contains("\"underVoltage\":true").contains("\"diskFreeBytes\":50")
                .contains("\"cpuTemperatureC\":61.5");
    }

    @Test
    void aReportWithoutSystemHealthStoresNull() {
        intake.reported(state("d8", 1, ReportedState.Status.APPLIED, "app-2", "healthy"), T);

        await().untilAsserted(() -> assertThat(jdbc.query(
                "SELECT COUNT(*) FROM device_reported_state WHERE device_id = 'd8' AND system_health IS NULL",
                rs -> rs.getLong(1))).containsExactly(1L));
    }

    @Test
    void storesEachDeviceEventOnceEvenWhenRedelivered() {
        DeviceEvent failed = new DeviceEvent(1, "d1", 42, T, DeviceEvent.Type.UPDATE_FAILED, 3L, "app-2", null, "pull failed");
        intake.event(failed, T);
        intake.event(failed, T.plusSeconds(1));
        await().untilAsserted(() -> assertThat(observed).hasSize(1));
        intake.event(failed, T.plusSeconds(2));
        intake.event(new DeviceEvent(1, "d1", 43, T, DeviceEvent.Type.STORAGE_LOW, null, null, null, "5 % free"), T);
        await().untilAsserted(() -> assertThat(events.forDevice("d1", 0, 10).items()).hasSize(2));
        assertThat(observed).singleElement().satisfies(o -> {
            assertThat(o.kind()).isEqualTo(Observation.Kind.FAILED);
            assertThat(o.reason()).isEqualTo("pull failed");
            assertThat(o.at()).isEqualTo(T);
        });
        assertThat(events.forDevice("d1", 0, 10).items()).extracting(FleetEvent::type)
                .containsExactly("device.storage.low", "device.update.failed");
    }
    @Test
    void aReportForAnOlderGenerationThanTheDeviceWasSentIsStoredButObservesNothing() {
        // given: d1 was sent generation 4 (the re-sent canary), d2 was never sent a desired state
        jdbc.update("INSERT INTO device_desired_state (device_id, generation, release_id, config, cause, updated_at) "
                + "VALUES ('d1', 4, 'app-2', '{}', 'rollout r1', ?)", java.time.OffsetDateTime.parse("2026-05-04T07:59:00Z"));

        // when: d1 re-publishes its rolled_back report of generation 3 after reconnecting, then applies 4
        intake.reported(state("d1", 3, ReportedState.Status.ROLLED_BACK, "app-1", "healthy"), T);
        intake.event(new DeviceEvent(1, "d1", 7, T, DeviceEvent.Type.UPDATE_ROLLED_BACK, 3L, "app-1", null, "old"), T);
        intake.reported(state("d2", 1, ReportedState.Status.ROLLED_BACK, "app-1", "healthy"), T);
        await().untilAsserted(() -> assertThat(jdbc.query(
                "SELECT status FROM device_reported_state WHERE device_id = 'd1'", rs -> rs.getString(1)))
                .containsExactly("rolled_back"));
        intake.reported(state("d1", 4, ReportedState.Status.APPLIED, "app-2", "healthy"), T.plusSeconds(9));

        // then: the stale report and event of generation 3 observe nothing; the current ones do
        await().untilAsserted(() -> assertThat(observed).hasSize(2));
        assertThat(observed).extracting(o -> o.deviceId() + " " + o.kind())
                .containsExactly("d2 ROLLED_BACK", "d1 HEALTHY");
        assertThat(jdbc.query("SELECT generation, status FROM device_reported_state WHERE device_id = 'd1'",
                rs -> rs.getLong(1) + " " + rs.getString(2))).containsExactly("4 applied");
    }

    @Test
    void anEventThatCannotBeStoredLosesOnlyItselfAndIsStoredWhenSentAgain() {
        // given: a bus whose store fails for device d-bad while the fault holds
        intake.close();
        java.util.concurrent.atomic.AtomicBoolean fault = new java.util.concurrent.atomic.AtomicBoolean(true);
        InProcessEventBus real = new InProcessEventBus(events, Clock.systemUTC());
        dev.fleetlet.server.events.EventBus flaky = new dev.fleetlet.server.events.EventBus() {
            @Override
            public FleetEvent publish(String type, String deviceId, java.util.Map<String, String> data) {
                if (fault.get() && "d-bad".equals(deviceId)) {
                    throw new dev.fleetlet.server.db.DataAccessException("device_events insert failed", null);
                }
                return real.publish(type, deviceId, data);
            }

            @Override
            public org.reactivestreams.Publisher<FleetEvent> stream() {
                return real.stream();
            }
        };
        intake = new ReportedStateIntake(jdbc, flaky, observed::addAll, 100);
        DeviceEvent good = new DeviceEvent(1, "d-good", 5, T, DeviceEvent.Type.UPDATE_FAILED, 3L, "app-2", null, "pull failed");
        DeviceEvent bad = new DeviceEvent(1, "d-bad", 9, T, DeviceEvent.Type.UPDATE_FAILED, 3L, "app-2", null, "disk full");

        // when: both arrive (usually in one batch) while d-bad's event cannot be stored
        intake.event(good, T);
        intake.event(bad, T);

        // then: d-good's event is stored and observed, d-bad's is counted as not stored
        await().untilAsserted(() -> assertThat(intake.failed()).isEqualTo(1));
        await().untilAsserted(() -> assertThat(observed).extracting(Observation::deviceId).contains("d-good"));
        assertThat(events.forDevice("d-good", 0, 10).items()).extracting(FleetEvent::type)
                .containsExactly("device.update.failed");
        assertThat(events.forDevice("d-bad", 0, 10).items()).isEmpty();

        // when: the fault is gone and the agent sends the event again
        fault.set(false);
        intake.event(bad, T.plusSeconds(30));

        // then: it was not remembered as stored, so it is stored and observed now
        await().untilAsserted(() -> assertThat(events.forDevice("d-bad", 0, 10).items()).extracting(FleetEvent::type)
                .containsExactly("device.update.failed"));
        await().untilAsserted(() -> assertThat(observed).extracting(Observation::deviceId)
                .containsExactlyInAnyOrder("d-good", "d-bad"));
    }

    @Test
    void aReportOfTheSentGenerationOrWithoutGenerationIsObserved() {
        assertThat(ReportedStateIntake.current("d1", 4L, java.util.Map.of("d1", 4L))).isTrue();
        assertThat(ReportedStateIntake.current("d1", 5L, java.util.Map.of("d1", 4L))).isTrue();
        assertThat(ReportedStateIntake.current("d1", 3L, java.util.Map.of("d1", 4L))).isFalse();
        assertThat(ReportedStateIntake.current("d1", null, java.util.Map.of("d1", 4L))).isTrue();
        assertThat(ReportedStateIntake.current("d1", 1L, java.util.Map.of())).isTrue();
    }
}
