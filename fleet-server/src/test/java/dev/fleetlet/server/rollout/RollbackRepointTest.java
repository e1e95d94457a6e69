package dev.fleetlet.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After a rollback or an abort, no device is left with a desired state naming the release although it does
 * not run it (an agent retries a failed release at its next start): as a table of how one device's attempt
 * ended × the command → which desired state it is sent.
 */
class RollbackRepointTest {

    record Step(int minute, Observation.Kind kind) {
    }

    enum Sent {
        /** Re-pointed at its previous release, untracked (Effect.Hold). */
        PREVIOUS_UNTRACKED,
        /** Sent its previous release and tracked until it confirms (Effect.DispatchRollback). */
        PREVIOUS_TRACKED,
        /** Nothing: it keeps what it runs. */
        NOTHING
    }

    static final List<Step> ROLLED_BACK = List.of(new Step(1, Observation.Kind.APPLYING),
            new Step(2, Observation.Kind.ROLLED_BACK));
    static final List<Step> FAILED = List.of(new Step(1, Observation.Kind.FAILED));
    static final List<Step> REJECTED = List.of(new Step(1, Observation.Kind.REJECTED));
    static final List<Step> UNHEALTHY_IN_SOAK = List.of(new Step(1, Observation.Kind.HEALTHY),
            new Step(3, Observation.Kind.UNHEALTHY));
    static final List<Step> SUCCEEDED = List.of(new Step(1, Observation.Kind.HEALTHY));
    static final List<Step> ONLY_DISPATCHED = List.of();

    static Stream<Arguments> table() {
        return Stream.of(
                arguments("rolled back by the agent, rollback", ROLLED_BACK, Command.Kind.ROLLBACK,
                        Sent.PREVIOUS_UNTRACKED, ProgressStatus.ROLLED_BACK_LOCALLY),
                arguments("failed by the agent, rollback", FAILED, Command.Kind.ROLLBACK, Sent.PREVIOUS_UNTRACKED,
                        ProgressStatus.FAILED),
                arguments("rejected, rollback", REJECTED, Command.Kind.ROLLBACK, Sent.PREVIOUS_UNTRACKED,
                        ProgressStatus.FAILED),
                arguments("dispatched, never confirmed, rollback", ONLY_DISPATCHED, Command.Kind.ROLLBACK,
                        Sent.PREVIOUS_UNTRACKED, ProgressStatus.HELD),
                arguments("unhealthy during soak, rollback", UNHEALTHY_IN_SOAK, Command.Kind.ROLLBACK,
                        Sent.PREVIOUS_TRACKED, ProgressStatus.ROLLING_BACK),
                arguments("succeeded, rollback", SUCCEEDED, Command.Kind.ROLLBACK, Sent.PREVIOUS_TRACKED,
                        ProgressStatus.ROLLING_BACK),
                arguments("rolled back by the agent, abort", ROLLED_BACK, Command.Kind.ABORT, Sent.PREVIOUS_UNTRACKED,
                        ProgressStatus.ROLLED_BACK_LOCALLY),
                arguments("failed by the agent, abort", FAILED, Command.Kind.ABORT, Sent.PREVIOUS_UNTRACKED,
                        ProgressStatus.FAILED),
                arguments("dispatched, never confirmed, abort", ONLY_DISPATCHED, Command.Kind.ABORT,
                        Sent.PREVIOUS_UNTRACKED, ProgressStatus.HELD),
                arguments("unhealthy during soak, abort keeps what it runs", UNHEALTHY_IN_SOAK, Command.Kind.ABORT,
                        Sent.NOTHING, ProgressStatus.FAILED),
                arguments("succeeded, abort keeps what it runs", SUCCEEDED, Command.Kind.ABORT, Sent.NOTHING,
                        ProgressStatus.SUCCEEDED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void sendsEachDeviceWhatItShouldRunAfterTheRolloutEnds(String name, List<Step> script, Command.Kind command,
            Sent expected, ProgressStatus status) {
        // given two devices; the second stays applying so the rollout is still running at the command
        Rig rig = new Rig(Rig.plan().soak(Duration.ofMinutes(10)).build(), 2).start();
        String dev = rig.state.devices().get(0).deviceId();
        String other = rig.state.devices().get(1).deviceId();
        rig.advance(Duration.ofSeconds(30)).step(rig.obs(other, Observation.Kind.APPLYING));
        int minute = 0;
        for (Step s : script) {
            rig.advance(Duration.ofMinutes(s.minute() - minute)).step(rig.obs(dev, s.kind()));
            minute = s.minute();
        }
        rig.advance(Duration.ofMinutes(12 - minute)).step();
        int before = rig.effects.size();

        // when
        rig.command(command);
        if (command == Command.Kind.ABORT) {
            rig.advance(Duration.ofMinutes(1)).step(rig.healthy(other));
            rig.advance(Duration.ofMinutes(10)).step();
            assertThat(rig.state.phase()).isEqualTo(Phase.ABORTED);
        } else {
            assertThat(rig.state.phase()).isEqualTo(Phase.ROLLING_BACK);
        }

        // then
        List<Effect> after = new ArrayList<>(rig.effects.subList(before, rig.effects.size()));
        List<String> holds = new ArrayList<>();
        List<String> rollbacks = new ArrayList<>();
        for (Effect e : after) {
            if (e instanceof Effect.Hold h && h.deviceId().equals(dev)) {
                holds.add(h.releaseId());
            } else if (e instanceof Effect.DispatchRollback r && r.deviceId().equals(dev)) {
                rollbacks.add(r.releaseId());
            }
        }
        switch (expected) {
            case PREVIOUS_UNTRACKED -> {
                assertThat(holds).containsExactly(Rig.OLD);
                assertThat(rollbacks).isEmpty();
            }
            case PREVIOUS_TRACKED -> {
                assertThat(holds).isEmpty();
                assertThat(rollbacks).containsExactly(Rig.OLD);
            }
            case NOTHING -> {
                assertThat(holds).isEmpty();
                assertThat(rollbacks).isEmpty();
            }
        }
        assertThat(rig.state.device(dev).status()).isEqualTo(status);
    }
}
