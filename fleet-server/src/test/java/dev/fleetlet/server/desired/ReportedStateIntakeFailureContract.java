package dev.fleetlet.server.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.events.DeviceEventStore;
import dev.fleetlet.server.events.FleetEvent;
import dev.fleetlet.server.events.InProcessEventBus;
import dev.fleetlet.server.rollout.Observation;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A row of an intake batch that the database refuses (here a check constraint on {@code device_events}), on H2 and
 * on PostgreSQL, where a failed statement aborts the whole transaction: the batch's other reports and events are
 * stored and observed, the refused event is counted and stored once the database takes it.
 */
abstract class ReportedStateIntakeFailureContract {

    static final Instant T = Instant.parse("2026-05-04T08:00:00Z");

    protected abstract DataSource dataSource();

    Jdbc jdbc;
    ReportedStateIntake intake;
    DeviceEventStore events;
    final List<Observation> observed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").cleanDisabled(false).load()
                .clean();
        Flyway.configure().dataSource(dataSource()).locations("classpath:db/migration").load().migrate();
        jdbc = new Jdbc(dataSource());
        events = new DeviceEventStore(jdbc);
        intake = new ReportedStateIntake(jdbc, new InProcessEventBus(events, Clock.systemUTC()), observed::addAll, 100);
    }

    @AfterEach
    void close() {
        intake.close();
    }

    @Test
    void aRowTheDatabaseRefusesCostsOnlyItsOwnItem() {
        // given device_events refuses rows of device d-bad
        jdbc.update("ALTER TABLE device_events ADD CONSTRAINT ck_test_refuse CHECK (device_id <> 'd-bad')");
        DeviceEvent bad = new DeviceEvent(1, "d-bad", 9, T, DeviceEvent.Type.UPDATE_FAILED, 3L, "app-2", null, "disk full");

        // when a report and an event of d-good and an event of d-bad arrive
        intake.reported(new ReportedState(1, "d-good", 3, T, ReportedState.Status.APPLIED, "app-2", "app-1", null,
                List.of()), T);
        intake.event(new DeviceEvent(1, "d-good", 5, T, DeviceEvent.Type.UPDATE_APPLIED, 3L, "app-2", null, "ok"), T);
        intake.event(bad, T);

        // then d-good's report and event are stored and observed; d-bad's event is counted as not stored
        await().untilAsserted(() -> assertThat(intake.failed()).isEqualTo(1));
        await().untilAsserted(() -> assertThat(events.forDevice("d-good", 0, 10).items()).extracting(FleetEvent::type)
                .containsExactlyInAnyOrder("device.update.applied", ReportedStateIntake.STATE_CHANGED));
        assertThat(jdbc.query("SELECT status FROM device_reported_state WHERE device_id = 'd-good'", rs -> rs.getString(1)))
                .containsExactly("applied");
        assertThat(observed).extracting(Observation::deviceId).containsOnly("d-good").isNotEmpty();

        // when the database takes d-bad's rows again and the device sends the event again
        jdbc.update("ALTER TABLE device_events DROP CONSTRAINT ck_test_refuse");
        intake.event(bad, T.plusSeconds(30));

        // then it is stored and observed now
        await().untilAsserted(() -> assertThat(events.forDevice("d-bad", 0, 10).items()).extracting(FleetEvent::type)
                .containsExactly("device.update.failed"));
        await().untilAsserted(() -> assertThat(observed).extracting(Observation::deviceId).contains("d-bad"));
        assertThat(intake.failed()).isEqualTo(1);
    }
}
