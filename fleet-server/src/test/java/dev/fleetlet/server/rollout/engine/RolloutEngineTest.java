package dev.fleetlet.server.rollout.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.server.rollout.Command;
import dev.fleetlet.server.rollout.Observation;
import dev.fleetlet.server.rollout.Phase;
import dev.fleetlet.server.rollout.ProgressStatus;
import dev.fleetlet.server.rollout.RolloutState;
import dev.fleetlet.server.rollout.plan.BreachAction;
import dev.fleetlet.server.rollout.plan.Threshold;
import dev.fleetlet.server.rollout.plan.WaveSize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable engine on an H2 file database, stepped by hand, with fake device reports. */
class RolloutEngineTest {

    @TempDir
    Path dir;
    EngineRig rig;

    @BeforeEach
    void open() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("engine") + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        rig = new EngineRig(ds);
    }

    @AfterEach
    void close() {
        rig.close();
    }

    private void pass(RolloutEngine e, Duration d) {
        rig.clock.advance(d);
        e.tick();
    }

    @Test
    void goodReleaseGoesCanaryThenWavesToCompletedAndEveryDeviceGetsIt() {
        // given 10 devices, canary of 1, then 50 % and the rest
        String id = rig.create("ro-good", EngineRig.plan(WaveSize.count(1), List.of(WaveSize.percent(50), WaveSize.percent(100)),
                100, Threshold.percent(10), BreachAction.PAUSE), 10);
        RolloutEngine e = rig.engine("A");
        rig.command(id, Command.Kind.START);
        // when the devices report healthy whenever they are dispatched
        for (int i = 0; i < 40 && rig.state(id).phase() != Phase.COMPLETED; i++) {
            pass(e, Duration.ofSeconds(1));
            rig.clock.advance(Duration.ofSeconds(1));
            rig.reportDispatched(e, id, Observation.Kind.HEALTHY);
            pass(e, Duration.ofSeconds(40));
        }
        // then
        RolloutState s = rig.state(id);
        assertThat(s.phase()).isEqualTo(Phase.COMPLETED);
        assertThat(s.count(ProgressStatus.SUCCEEDED)).isEqualTo(10);
        await().untilAsserted(() -> assertThat(rig.publisher.retained).hasSize(10)
                .allSatisfy((dev, st) -> assertThat(st.release().id()).isEqualTo("app-2")));
        assertThat(rig.publisher.retained.get("dev-000").config()).containsEntry("LOG", "info");
        assertThat(rig.audit(id)).anyMatch(t -> t.startsWith("started by tester"))
                .anyMatch(t -> t.contains("canary") && t.contains("→"));
        assertThat(rig.events).contains("phase DRAFT->RUNNING", "phase RUNNING->COMPLETED");
        assertThat(e.held()).as("lease given up when final").isEmpty();
        assertThat(rig.store.leaseOwner(id, rig.clock.instant())).isEmpty();
    }

    @Test
    void failingCanaryPausesAtTheThresholdAndPauseHoldsTheRest() {
        String id = rig.create("ro-bad", EngineRig.plan(WaveSize.count(2), List.of(WaveSize.percent(100)), 100,
                Threshold.count(0), BreachAction.PAUSE), 6);
        RolloutEngine e = rig.engine("A");
        rig.command(id, Command.Kind.START);
        pass(e, Duration.ofSeconds(1));
        assertThat(rig.withStatus(id, ProgressStatus.DISPATCHED)).hasSize(2);
        // when the canary fails
        rig.clock.advance(Duration.ofSeconds(5));
        rig.reportDispatched(e, id, Observation.Kind.FAILED);
        pass(e, Duration.ofSeconds(1));
        // then the rollout pauses on the breach and never dispatches the wave
        RolloutState s = rig.state(id);
        assertThat(s.phase()).isEqualTo(Phase.PAUSED);
        assertThat(s.pauseCause()).isEqualTo(RolloutState.PauseCause.BREACH);
        assertThat(s.count(ProgressStatus.FAILED)).isEqualTo(2);
        pass(e, Duration.ofMinutes(10));
        assertThat(rig.withStatus(id, ProgressStatus.PENDING)).hasSize(4);
        assertThat(rig.audit(id)).anyMatch(t -> t.contains("2") && t.toLowerCase().contains("canary"));
    }

    @Test
    void silenceCountsAsFailure() {
        String id = rig.create("ro-silent", EngineRig.plan(null, List.of(WaveSize.percent(100)), 100, Threshold.count(0),
                BreachAction.PAUSE), 3);
        RolloutEngine e = rig.engine("A");
        rig.command(id, Command.Kind.START);
        pass(e, Duration.ofSeconds(1));
        // when nobody answers for longer than the device timeout (5 min)
        pass(e, Duration.ofMinutes(6));
        // then
        RolloutState s = rig.state(id);
        assertThat(s.count(ProgressStatus.SILENT)).isEqualTo(3);
        assertThat(s.phase()).isEqualTo(Phase.PAUSED);
    }

    @Test
    void abortAndRollbackSendsUpdatedDevicesBackToTheirPreviousRelease() {
        String id = rig.create("ro-rb", EngineRig.plan(null, List.of(WaveSize.percent(100)), 100, Threshold.NONE,
                BreachAction.PAUSE), 4);
        RolloutEngine e = rig.engine("A");
        rig.command(id, Command.Kind.START);
        pass(e, Duration.ofSeconds(1));
        rig.clock.advance(Duration.ofSeconds(2));
        rig.reportDispatched(e, id, Observation.Kind.HEALTHY);
        pass(e, Duration.ofSeconds(1));
        await().untilAsserted(() -> assertThat(rig.publisher.releaseOf("dev-000")).isEqualTo("app-2"));
        // when the operator rolls back
        rig.command(id, Command.Kind.ROLLBACK);
        pass(e, Duration.ofSeconds(1));
        // then every device is sent app-1 again, and confirming devices end the rollout ROLLED_BACK
        await().untilAsserted(() -> assertThat(rig.publisher.retained.values())
                .allSatisfy(st -> assertThat(st.release().id()).isEqualTo("app-1")));
        List<Observation> back = new java.util.ArrayList<>();
        for (String d : rig.withStatus(id, ProgressStatus.ROLLING_BACK)) {
            back.add(new Observation(d, rig.clock.instant().plusSeconds(1), Observation.Kind.HEALTHY, "app-1", null));
        }
        assertThat(back).hasSize(4);
        rig.clock.advance(Duration.ofSeconds(2));
        e.observe(back);
        pass(e, Duration.ofSeconds(1));
        assertThat(rig.state(id).phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(rig.state(id).count(ProgressStatus.ROLLED_BACK)).isEqualTo(4);
    }

    @Test
    void restartMidRolloutContinuesWhereItWasAndCommandsSurvive() {
        String id = rig.create("ro-restart", EngineRig.plan(WaveSize.count(1), List.of(WaveSize.percent(100)), 100,
                Threshold.NONE, BreachAction.PAUSE), 5);
        RolloutEngine first = rig.engine("A");
        rig.command(id, Command.Kind.START);
        pass(first, Duration.ofSeconds(1));
        rig.clock.advance(Duration.ofSeconds(1));
        rig.reportDispatched(first, id, Observation.Kind.HEALTHY);
        pass(first, Duration.ofSeconds(1));
        // the engine dies (no clean lease release) with a PAUSE command stored but not applied
        Command pause = rig.command(id, Command.Kind.PAUSE);
        rig.engines.remove(first);
        // when a new engine starts after the old lease expired
        RolloutEngine second = rig.engine("B");
        pass(second, Duration.ofSeconds(5));
        assertThat(second.held()).as("old lease still valid").isEmpty();
        pass(second, Duration.ofSeconds(15));
        // then it took over, applied the stored command and kept the canary's progress
        assertThat(second.held()).containsExactly(id);
        RolloutState s = rig.state(id);
        assertThat(s.phase()).isEqualTo(Phase.PAUSED);
        assertThat(s.lastCommandSeq()).isEqualTo(pause.seq());
        assertThat(s.count(ProgressStatus.SUCCEEDED) + s.count(ProgressStatus.HEALTHY)).isEqualTo(1);
        rig.command(id, Command.Kind.RESUME);
        for (int i = 0; i < 20 && rig.state(id).phase() != Phase.COMPLETED; i++) {
            pass(second, Duration.ofSeconds(1));
            rig.clock.advance(Duration.ofSeconds(1));
            rig.reportDispatched(second, id, Observation.Kind.HEALTHY);
            pass(second, Duration.ofSeconds(40));
        }
        assertThat(rig.state(id).phase()).isEqualTo(Phase.COMPLETED);
    }

    @Test
    void twoEnginesOnOneDatabaseNeverBothStepARollout() {
        String id = rig.create("ro-lease", EngineRig.plan(null, List.of(WaveSize.percent(100)), 1, Threshold.NONE,
                BreachAction.PAUSE), 3);
        RolloutEngine a = rig.engine("A");
        RolloutEngine b = rig.engine("B");
        rig.command(id, Command.Kind.START);
        pass(a, Duration.ofSeconds(1));
        for (int i = 0; i < 10; i++) {
            pass(b, Duration.ofSeconds(1));
            pass(a, Duration.ofSeconds(1));
        }
        assertThat(a.held()).containsExactly(id);
        assertThat(b.held()).isEmpty();
        assertThat(rig.store.leaseOwner(id, rig.clock.instant())).contains("A");
        // a lost lease fences the old holder: B takes over after expiry, A's next step is refused
        rig.clock.advance(Duration.ofSeconds(16));
        b.tick();
        assertThat(b.held()).containsExactly(id);
        rig.command(id, Command.Kind.PAUSE);
        a.tick();
        assertThat(a.held()).isEmpty();
        assertThat(rig.state(id).phase()).as("A did not apply the pause").isEqualTo(Phase.RUNNING);
        b.tick();
        assertThat(rig.state(id).phase()).isEqualTo(Phase.PAUSED);
    }

    @Test
    void republishesDesiredStatesDevicesHaveNotConfirmedAtStart() {
        rig.desired.record(List.of(new dev.fleetlet.server.desired.Assignment("dev-x", "app-2", null, "t"),
                new dev.fleetlet.server.desired.Assignment("dev-y", "app-2", null, "t")));
        rig.jdbc.update("INSERT INTO device_reported_state (device_id, generation, status, services, reported_at) "
                + "VALUES ('dev-y', 1, 'applied', '[]', ?)", rig.clock.instant());
        assertThat(rig.desired.republishUnconfirmed()).isEqualTo(1);
        await().untilAsserted(() -> assertThat(rig.publisher.retained).containsOnlyKeys("dev-x"));
    }
}
