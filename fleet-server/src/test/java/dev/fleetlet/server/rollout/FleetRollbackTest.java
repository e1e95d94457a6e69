package dev.fleetlet.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.server.rollout.plan.Threshold;
import dev.fleetlet.server.rollout.plan.WaveSize;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetRollbackTest {

    @Test
    void sendsChangedDevicesBackToTheirOwnPreviousReleaseThroughWavesAndGates() {
        // given a completed rollout of 10: 7 succeeded, 1 failed by the agent, 1 restored locally, 1 unhealthy in soak
        Rig rig = new Rig(Rig.plan().soak(Duration.ofMinutes(5)).build(), 10).start();
        List<String> d = rig.ids(ProgressStatus.DISPATCHED);
        rig.advance(Duration.ofMinutes(1));
        rig.step(rig.obs(d.get(0), Observation.Kind.FAILED), rig.obs(d.get(1), Observation.Kind.ROLLED_BACK));
        List<Observation> healthy = rig.all(ProgressStatus.DISPATCHED, Observation.Kind.HEALTHY);
        rig.stepAll(healthy);
        rig.advance(Duration.ofMinutes(1)).step(rig.obs(d.get(2), Observation.Kind.UNHEALTHY));
        rig.advance(Duration.ofMinutes(5)).step();
        assertThat(rig.state.phase()).isEqualTo(Phase.COMPLETED);
        assertThatThrownBy(() -> FleetRollback.plan(new Rig(Rig.plan().build(), 1).start().state, "rb", Rig.plan().build()))
                .hasMessageContaining("a fleet rollback starts from a finished rollout");
        // when
        RolloutState back = FleetRollback.plan(rig.state, "rb-1", Rig.plan().canary(WaveSize.count(2))
                .waves(WaveSize.percent(100)).soak(Duration.ZERO).perWave(Threshold.count(0)).build());
        // then all 10 go back to the old release: 7 succeeded + the unhealthy one run the new release; the failed
        // and the locally restored one still have it as desired state (their agent would retry it at its next
        // start), so they are sent the old one again
        assertThat(back.phase()).isEqualTo(Phase.DRAFT);
        assertThat(back.groupSizes()).containsExactly(2, 8);
        assertThat(back.devices()).extracting(DeviceProgress::deviceId).contains(d.get(0), d.get(1), d.get(2));
        assertThat(back.devices()).allSatisfy(p -> {
            assertThat(p.targetRelease()).isEqualTo(Rig.OLD);
            assertThat(p.previousRelease()).isEqualTo(Rig.NEW);
        });
        Decision started = RolloutController.step(back, Observations.commands(new Command(1, Command.Kind.START,
                rig.now, "alice")), rig.now);
        assertThat(started.effects(Effect.DispatchDesired.class)).hasSize(2)
                .allSatisfy(e -> assertThat(e.releaseId()).isEqualTo(Rig.OLD));
    }

    @Test
    void affectsDevicesThatRunTheReleaseOrWereToldToButLeavesUntouchedAndRestoredOnesOut() {
        // given a rollout of 6, aborted: succeeded, failed, rolled back locally, held, pending, silent
        Rig rig = new Rig(Rig.plan().maxConcurrent(5).soak(Duration.ZERO).build(), 6).start();
        List<String> d = rig.ids(ProgressStatus.DISPATCHED);
        rig.advance(Duration.ofMinutes(1)).step(rig.healthy(d.get(0)), rig.obs(d.get(1), Observation.Kind.FAILED),
                rig.obs(d.get(2), Observation.Kind.ROLLED_BACK), rig.obs(d.get(3), Observation.Kind.APPLYING));
        rig.command(Command.Kind.ABORT);
        rig.advance(Duration.ofMinutes(20)).step();
        assertThat(rig.state.phase()).isEqualTo(Phase.ABORTED);
        assertThat(rig.state.device(d.get(4)).status()).isEqualTo(ProgressStatus.HELD);
        assertThat(rig.state.device(d.get(3)).status()).isEqualTo(ProgressStatus.SILENT);

        // when
        List<DeviceProgress> affected = FleetRollback.affected(rig.state);

        // then: held and never-dispatched devices keep the old release as desired state already
        assertThat(affected).extracting(DeviceProgress::deviceId)
                .containsExactlyInAnyOrder(d.get(0), d.get(1), d.get(2), d.get(3));
    }
}
