package dev.fleetlet.server.rollout.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.server.db.DuplicateKeyException;
import dev.fleetlet.server.desired.Assignment;
import dev.fleetlet.server.desired.StoredDesiredState;
import dev.fleetlet.server.rollout.Command;
import dev.fleetlet.server.rollout.DeviceProgress;
import dev.fleetlet.server.rollout.Phase;
import dev.fleetlet.server.rollout.ProgressStatus;
import dev.fleetlet.server.rollout.RolloutState;
import dev.fleetlet.server.rollout.plan.BreachAction;
import dev.fleetlet.server.rollout.plan.MaintenanceWindow;
import dev.fleetlet.server.rollout.plan.RolloutPlan;
import dev.fleetlet.server.rollout.plan.Threshold;
import dev.fleetlet.server.rollout.plan.WaveSize;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rollout persistence, leases and desired-state generations on every supported database (real migrations). */
abstract class RolloutStoreContract {

    protected abstract DataSource dataSource();

    EngineRig rig;

    @BeforeEach
    void open() {
        rig = new EngineRig(dataSource());
    }

    @AfterEach
    void close() {
        rig.close();
    }

    private static RolloutPlan fullPlan() {
        return new RolloutPlan(WaveSize.percent(5), List.of(WaveSize.count(3), WaveSize.percent(100)), 7,
                Duration.ofMinutes(3), Duration.ofSeconds(90), Threshold.of(2.5, 4), Threshold.count(9),
                BreachAction.ABORT_AND_ROLLBACK, List.of(new MaintenanceWindow(EnumSet.of(DayOfWeek.SATURDAY),
                LocalTime.of(22, 0), LocalTime.of(4, 0), ZoneId.of("Europe/Berlin"))));
    }

    @Test
    void storesAndLoadsARolloutWithItsPlanAndEveryDeviceField() {
        String id = rig.create("ro-1", fullPlan(), 12);
        RolloutState s = rig.state(id);
        assertThat(s.plan()).isEqualTo(fullPlan());
        assertThat(s.devices()).hasSize(12);
        assertThat(s.phase()).isEqualTo(Phase.DRAFT);
        // when a step changes a few devices
        List<DeviceProgress> ds = new ArrayList<>(s.devices());
        ds.set(0, ds.get(0).dispatched(EngineRig.T0, true).observedAt(EngineRig.T0.plusSeconds(3)));
        ds.set(5, ds.get(5).withStatus(ProgressStatus.FAILED, "image pull failed").withReleaseMayRun(true));
        RolloutState after = new RolloutState(id, s.plan(), Phase.PAUSED, RolloutState.PauseCause.BREACH, 1, s.groupSizes(),
                ds, 3, true, EngineRig.T0, null);
        rig.jdbc.tx(c -> {
            rig.store.save(c, s, after, EngineRig.T0);
            return null;
        });
        // then it reads back equal
        assertThat(rig.state(id)).isEqualTo(after);
        assertThat(new RolloutQueries(rig.jdbc).devices(id, ProgressStatus.FAILED, 0, 10).items())
                .extracting(RolloutQueries.DeviceRow::reason).containsExactly("image pull failed");
        assertThat(new RolloutQueries(rig.jdbc).list(Phase.PAUSED, 0, 10).items()).extracting(RolloutQueries.Summary::devices)
                .containsExactly(12);
        assertThatThrownBy(() -> rig.create("ro-1", fullPlan(), 1)).isInstanceOf(DuplicateKeyException.class);
    }

    @Test
    void writesAWaveWithEqualValuesAndDevicesWithTheirOwnValuesInOneSave() {
        // given 30 devices
        String id = rig.create("ro-mix", fullPlan(), 30);
        RolloutState s = rig.state(id);
        // when a step dispatches 20 of them at one instant and observes 7 others at 7 different instants
        List<DeviceProgress> ds = new ArrayList<>(s.devices());
        for (int i = 0; i < 20; i++) {
            ds.set(i, ds.get(i).dispatched(EngineRig.T0, true));
        }
        for (int i = 20; i < 27; i++) {
            ds.set(i, ds.get(i).dispatched(EngineRig.T0, true).observedAt(EngineRig.T0.plusMillis(100L * i))
                    .withStatus(ProgressStatus.APPLYING, null));
        }
        RolloutState after = new RolloutState(id, s.plan(), Phase.RUNNING, null, 0, s.groupSizes(), ds, 1, false,
                EngineRig.T0, null);
        rig.jdbc.tx(c -> {
            rig.store.save(c, s, after, EngineRig.T0);
            return null;
        });
        // then every row reads back as written, and the untouched ones are unchanged
        assertThat(rig.state(id)).isEqualTo(after);
        assertThat(new RolloutQueries(rig.jdbc).devices(id, ProgressStatus.APPLYING, 0, 50).items()).hasSize(7);
    }

    @Test
    void commandsGetConsecutiveSeqsPerRollout() {
        rig.create("ro-a", fullPlan(), 1);
        rig.create("ro-b", fullPlan(), 1);
        assertThat(rig.command("ro-a", Command.Kind.START).seq()).isEqualTo(1);
        assertThat(rig.command("ro-a", Command.Kind.PAUSE).seq()).isEqualTo(2);
        assertThat(rig.command("ro-b", Command.Kind.START).seq()).isEqualTo(1);
        assertThat(rig.store.commandsAfter("ro-a", 1)).extracting(Command::kind).containsExactly(Command.Kind.PAUSE);
    }

    @Test
    void aLeaseHasOneOwnerUntilItExpires() {
        rig.create("ro-l", fullPlan(), 1);
        Duration ttl = Duration.ofSeconds(10);
        assertThat(rig.store.acquireLease("ro-l", "A", EngineRig.T0, ttl)).isTrue();
        assertThat(rig.store.acquireLease("ro-l", "B", EngineRig.T0.plusSeconds(9), ttl)).isFalse();
        assertThat(rig.store.acquireLease("ro-l", "A", EngineRig.T0.plusSeconds(9), ttl)).as("renewal").isTrue();
        assertThat(rig.store.acquireLease("ro-l", "B", EngineRig.T0.plusSeconds(18), ttl)).isFalse();
        assertThat(rig.store.acquireLease("ro-l", "B", EngineRig.T0.plusSeconds(20), ttl)).isTrue();
        assertThat(rig.store.leaseOwner("ro-l", EngineRig.T0.plusSeconds(21))).contains("B");
        rig.store.releaseLease("ro-l", "A");
        assertThat(rig.store.leaseOwner("ro-l", EngineRig.T0.plusSeconds(21))).contains("B");
        rig.store.releaseLease("ro-l", "B");
        assertThat(rig.store.acquireLease("ro-l", "C", EngineRig.T0.plusSeconds(21), ttl)).isTrue();
    }

    @Test
    void desiredStateGenerationsGrowByOnePerAssignmentInBatches() {
        List<Assignment> first = new ArrayList<>();
        for (int i = 0; i < 1203; i++) {
            first.add(new Assignment("d" + i, "app-1", Map.of("K", "v"), "first"));
        }
        assertThat(rig.desired.assignAll(first)).extracting(StoredDesiredState::generation).containsOnly(1L);
        List<StoredDesiredState> again = rig.desired.record(List.of(new Assignment("d7", "app-2", null, "second"),
                new Assignment("new", null, null, "third")));
        assertThat(again).extracting(StoredDesiredState::generation).containsExactly(2L, 1L);
        assertThat(again.get(0).config()).as("null config keeps the config").containsEntry("K", "v");
        assertThat(again.get(0).releaseId()).isEqualTo("app-2");
        assertThat(rig.desired.find("new").orElseThrow().releaseId()).isNull();
        assertThatThrownBy(() -> rig.desired.assign("d1", "nope", null, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("releaseId");
        assertThat(rig.desired.find("d1").orElseThrow().generation()).as("nothing stored for an unknown release").isEqualTo(1);
    }
}
