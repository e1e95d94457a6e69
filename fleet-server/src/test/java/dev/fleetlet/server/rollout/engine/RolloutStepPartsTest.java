package dev.fleetlet.server.rollout.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.server.rollout.Command;
import dev.fleetlet.server.rollout.Decision;
import dev.fleetlet.server.rollout.DeviceProgress;
import dev.fleetlet.server.rollout.Observations;
import dev.fleetlet.server.rollout.ProgressStatus;
import dev.fleetlet.server.rollout.RolloutController;
import dev.fleetlet.server.rollout.RolloutState;
import dev.fleetlet.server.rollout.plan.BreachAction;
import dev.fleetlet.server.rollout.plan.Threshold;
import dev.fleetlet.server.rollout.plan.WaveSize;
import java.nio.file.Path;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A step dispatching more than {@link StepParts#PART_SIZE} devices commits in parts and survives a crash between them. */
class RolloutStepPartsTest {

    private static final int DEVICES = 2 * StepParts.PART_SIZE + 500;

    @TempDir
    Path dir;
    EngineRig rig;

    @BeforeEach
    void open() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("parts") + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        rig = new EngineRig(ds);
    }

    @AfterEach
    void close() {
        rig.close();
    }

    private String wavelessRollout(String id) {
        return rig.create(id, EngineRig.plan(null, List.of(WaveSize.percent(100)), DEVICES, Threshold.percent(10),
                BreachAction.PAUSE), DEVICES);
    }

    @Test
    void aWavelessStartSplitsIntoPartsWithTheRolloutFactsInTheFirst() {
        // given
        String id = wavelessRollout("ro-split");
        rig.command(id, Command.Kind.START);
        RolloutState before = rig.state(id);
        // when
        Decision d = RolloutController.step(before, new Observations(List.of(), rig.store.commandsAfter(id, 0)),
                rig.clock.instant());
        List<StepParts.Part> parts = StepParts.split(before, d, StepParts.assignments(id, d));
        // then
        assertThat(parts).extracting(p -> p.assignments().size())
                .containsExactly(StepParts.PART_SIZE, StepParts.PART_SIZE, 500);
        assertThat(parts).allSatisfy(p -> assertThat(p.devices()).extracting(DeviceProgress::deviceId)
                .containsExactlyElementsOf(p.assignments().stream().map(a -> a.deviceId()).toList()));
        assertThat(parts.get(1).devices()).allSatisfy(x -> assertThat(x.status()).isEqualTo(ProgressStatus.DISPATCHED));
    }

    @Test
    void oneTickDispatchesEveryDeviceWithOneNewGenerationEach() {
        // given devices on generation 1 (app-1)
        String id = wavelessRollout("ro-all");
        RolloutEngine e = rig.engine("A");
        rig.command(id, Command.Kind.START);
        // when
        e.tick();
        // then
        assertThat(rig.withStatus(id, ProgressStatus.DISPATCHED)).hasSize(DEVICES);
        assertThat(e.heldState(id)).isEqualTo(rig.state(id));
        assertThat(generations()).containsOnly(2L);
        await().untilAsserted(() -> assertThat(rig.publisher.retained).hasSize(DEVICES)
                .allSatisfy((dev, st) -> assertThat(st.release().id()).isEqualTo("app-2")));
    }

    @Test
    void aCrashAfterTheFirstPartLeavesTheRestPendingAndTheNextEngineDispatchesThem() {
        // given the first part of a start committed, then the process died (nothing published)
        String id = wavelessRollout("ro-crash");
        rig.command(id, Command.Kind.START);
        RolloutState before = rig.state(id);
        Decision d = RolloutController.step(before, new Observations(List.of(), rig.store.commandsAfter(id, 0)),
                rig.clock.instant());
        StepParts.Part first = StepParts.split(before, d, StepParts.assignments(id, d)).get(0);
        rig.jdbc.tx(c -> {
            rig.store.saveRollout(c, d.state(), rig.clock.instant());
            rig.store.saveDevices(c, id, first.devices(), rig.clock.instant());
            rig.desired.record(first.assignments());
            return null;
        });
        assertThat(rig.withStatus(id, ProgressStatus.PENDING)).hasSize(DEVICES - StepParts.PART_SIZE);
        // when another engine takes over and the unconfirmed states are published again
        RolloutEngine e = rig.engine("B");
        e.tick();
        rig.desired.republishUnconfirmed();
        // then every device is dispatched once, with exactly one generation bump, and gets app-2
        assertThat(rig.withStatus(id, ProgressStatus.DISPATCHED)).hasSize(DEVICES);
        assertThat(rig.state(id).devices()).allSatisfy(x -> assertThat(x.attempts()).isEqualTo(1));
        assertThat(generations()).containsOnly(2L);
        await().untilAsserted(() -> assertThat(rig.publisher.retained).hasSize(DEVICES)
                .allSatisfy((dev, st) -> assertThat(st.release().id()).isEqualTo("app-2")));
    }

    private List<Long> generations() {
        return rig.jdbc.query("SELECT generation FROM device_desired_state", rs -> rs.getLong(1));
    }
}
