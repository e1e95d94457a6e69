package dev.fleetlet.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.fleetlet.server.rollout.plan.BreachAction;
import dev.fleetlet.server.rollout.plan.MaintenanceWindow;
import dev.fleetlet.server.rollout.plan.Threshold;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutControllerTest {

    private static final Duration SOAK = Duration.ofMinutes(10);
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    // ---- one device through soak and silence, as a table: script of (minutes after dispatch, report) → outcome

    record Step(int minute, Observation.Kind kind) {
    }

    static Stream<Arguments> deviceScripts() {
        return Stream.of(
                arguments("healthy for the whole soak succeeds", List.of(new Step(2, Observation.Kind.HEALTHY)), 12,
                        ProgressStatus.SUCCEEDED, null),
                arguments("healthy one minute short of the soak is still soaking",
                        List.of(new Step(2, Observation.Kind.HEALTHY)), 11, ProgressStatus.HEALTHY, null),
                arguments("unhealthy inside the soak window fails",
                        List.of(new Step(2, Observation.Kind.HEALTHY), new Step(7, Observation.Kind.UNHEALTHY)), 30,
                        ProgressStatus.FAILED, "unhealthy during soak after 5m"),
                arguments("unhealthy after the soak ended is too late to count",
                        List.of(new Step(2, Observation.Kind.HEALTHY), new Step(13, Observation.Kind.UNHEALTHY)), 30,
                        ProgressStatus.SUCCEEDED, null),
                arguments("no report at all is silent at the timeout", List.of(), 15, ProgressStatus.SILENT,
                        "no report within 15m after dispatch"),
                arguments("no report one minute before the timeout is still dispatched", List.of(), 14,
                        ProgressStatus.DISPATCHED, null),
                arguments("applying forever is silent at the timeout", List.of(new Step(1, Observation.Kind.APPLYING)),
                        20, ProgressStatus.SILENT, "still applying 15m after dispatch"),
                arguments("applied but never healthy is silent at the timeout",
                        List.of(new Step(1, Observation.Kind.APPLIED)), 16, ProgressStatus.SILENT,
                        "applied but not healthy 15m after dispatch"),
                arguments("healthy report arriving after the deadline does not save it",
                        List.of(new Step(16, Observation.Kind.HEALTHY)), 40, ProgressStatus.SILENT,
                        "no report within 15m"),
                arguments("offline during soak longer than the timeout is silent",
                        List.of(new Step(1, Observation.Kind.HEALTHY), new Step(3, Observation.Kind.OFFLINE)), 18,
                        ProgressStatus.SILENT, "offline for 15m during soak"),
                arguments("offline briefly during soak and back succeeds",
                        List.of(new Step(1, Observation.Kind.HEALTHY), new Step(3, Observation.Kind.OFFLINE),
                                new Step(5, Observation.Kind.ONLINE)), 11, ProgressStatus.SUCCEEDED, null),
                arguments("offline at the end of the soak waits for the device",
                        List.of(new Step(1, Observation.Kind.HEALTHY), new Step(9, Observation.Kind.OFFLINE)), 12,
                        ProgressStatus.HEALTHY, null),
                arguments("local rollback by the agent counts as failure",
                        List.of(new Step(1, Observation.Kind.APPLYING), new Step(4, Observation.Kind.ROLLED_BACK)), 5,
                        ProgressStatus.ROLLED_BACK_LOCALLY, "rolled back by the device"),
                arguments("rejected desired state fails", List.of(new Step(1, Observation.Kind.REJECTED)), 2,
                        ProgressStatus.FAILED, "rejected"),
                arguments("failure report fails with the device's reason", List.of(new Step(1, Observation.Kind.FAILED)),
                        2, ProgressStatus.FAILED, "failed: image pull failed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deviceScripts")
    void judgesOneDevice(String name, List<Step> script, int checkAtMinute, ProgressStatus expected, String reason) {
        // given one device dispatched at T0
        Rig rig = new Rig(Rig.plan().soak(SOAK).timeout(TIMEOUT).build(), 1).start();
        String id = rig.state.devices().get(0).deviceId();
        assertThat(rig.state.devices().get(0).status()).isEqualTo(ProgressStatus.DISPATCHED);
        // when the script plays, one step per report, then a step at the check time
        for (Step s : script) {
            rig.now = Rig.T0.plus(Duration.ofMinutes(s.minute()));
            rig.step(rig.obs(id, s.kind()));
        }
        rig.now = Rig.T0.plus(Duration.ofMinutes(checkAtMinute));
        rig.step(Observations.NONE);
        // then
        DeviceProgress d = rig.state.device(id);
        assertThat(d.status()).isEqualTo(expected);
        if (reason != null) {
            assertThat(d.reason()).contains(reason);
        }
    }

    @Test
    void reportsOfAnotherReleaseOrFromBeforeDispatchAreIgnored() {
        Rig rig = new Rig(Rig.plan().build(), 1).start();
        String id = rig.state.devices().get(0).deviceId();
        rig.advance(Duration.ofMinutes(1));
        rig.step(new Observation(id, rig.now, Observation.Kind.HEALTHY, Rig.OLD, null),
                new Observation(id, Rig.T0.minusSeconds(5), Observation.Kind.FAILED, null, "old news"));
        assertThat(rig.state.device(id).status()).isEqualTo(ProgressStatus.DISPATCHED);
    }

    // ---- concurrency

    static Stream<Arguments> concurrency() {
        return Stream.of(arguments(100, 1), arguments(100, 7), arguments(100, 25), arguments(5, 10), arguments(100, 100));
    }

    @ParameterizedTest(name = "{0} devices, maxConcurrent {1}")
    @MethodSource("concurrency")
    void neverHasMoreThanMaxConcurrentDevicesUpdating(int devices, int max) {
        Rig rig = new Rig(Rig.plan().maxConcurrent(max).soak(Duration.ofMinutes(5)).build(), devices).start();
        int peak = 0;
        int guard = 0;
        while (rig.state.phase() == Phase.RUNNING && guard++ < 1000) {
            peak = Math.max(peak, rig.inFlight());
            // half of the dispatched report applying, the applying ones become healthy; soaking holds no slot
            List<Observation> obs = new java.util.ArrayList<>(rig.all(ProgressStatus.APPLYING, Observation.Kind.HEALTHY));
            List<String> d = rig.ids(ProgressStatus.DISPATCHED);
            for (int i = 0; i < d.size(); i += 2) {
                obs.add(rig.obs(d.get(i), Observation.Kind.APPLYING));
            }
            for (int i = 1; i < d.size(); i += 2) {
                obs.add(rig.healthy(d.get(i)));
            }
            rig.advance(Duration.ofMinutes(1)).stepAll(obs);
        }
        assertThat(rig.state.phase()).isEqualTo(Phase.COMPLETED);
        assertThat(peak).isEqualTo(Math.min(max, devices));
        assertThat(rig.effects.stream().filter(e -> e instanceof Effect.DispatchDesired).count()).isEqualTo(devices);
    }

    @Test
    void soakingDevicesFreeTheirSlotButWaveWaitsForTheirSoak() {
        Rig rig = new Rig(Rig.plan().maxConcurrent(2).soak(SOAK).build(), 4).start();
        rig.advance(Duration.ofMinutes(1)).stepAll(rig.all(ProgressStatus.DISPATCHED, Observation.Kind.HEALTHY));
        assertThat(rig.lastEffects(Effect.DispatchDesired.class)).hasSize(2);
        rig.advance(Duration.ofMinutes(1)).stepAll(rig.all(ProgressStatus.DISPATCHED, Observation.Kind.HEALTHY));
        assertThat(rig.count(ProgressStatus.HEALTHY)).isEqualTo(4);
        rig.advance(Duration.ofMinutes(9)).step();
        assertThat(rig.state.phase()).isEqualTo(Phase.RUNNING);
        rig.advance(Duration.ofMinutes(1)).step();
        assertThat(rig.state.phase()).isEqualTo(Phase.COMPLETED);
    }

    // ---- manual controls

    @Test
    void pauseHoldsDispatchedDevicesAndLetsApplyingOnesFinishAndBeJudged() {
        Rig rig = new Rig(Rig.plan().maxConcurrent(4).soak(Duration.ZERO).build(), 10).start();
        List<String> d = rig.ids(ProgressStatus.DISPATCHED);
        rig.advance(Duration.ofMinutes(1)).step(rig.obs(d.get(0), Observation.Kind.APPLYING));
        // when
        rig.command(Command.Kind.PAUSE);
        // then
        assertThat(rig.state.phase()).isEqualTo(Phase.PAUSED);
        assertThat(rig.lastEffects(Effect.Hold.class)).extracting(Effect.Hold::deviceId)
                .containsExactlyElementsOf(d.subList(1, 4));
        assertThat(rig.count(ProgressStatus.HELD)).isEqualTo(3);
        // the applying device still finishes and is judged; nothing else is dispatched while paused
        rig.advance(Duration.ofMinutes(1)).step(rig.healthy(d.get(0)));
        assertThat(rig.state.device(d.get(0)).status()).isEqualTo(ProgressStatus.SUCCEEDED);
        assertThat(rig.lastEffects(Effect.DispatchDesired.class)).isEmpty();
        // resume: held devices are pending again and go out first (they come first in the group), then the next one
        rig.command(Command.Kind.RESUME);
        assertThat(rig.state.phase()).isEqualTo(Phase.RUNNING);
        List<String> resumed = rig.lastEffects(Effect.DispatchDesired.class).stream()
                .map(Effect.DispatchDesired::deviceId).collect(java.util.stream.Collectors.toList());
        assertThat(resumed).hasSize(4).doesNotHaveDuplicates().startsWith(d.get(1), d.get(2), d.get(3));
        assertThat(rig.audit).contains("resumed by alice: 3 held devices pending again");
    }

    @Test
    void resumeAfterBreachPausesAgainWhenTheGateStillBreachesAndRetryFailedClearsIt() {
        Rig rig = new Rig(Rig.plan().soak(Duration.ZERO).perWave(Threshold.count(0)).build(), 5).start();
        List<String> d = rig.ids(ProgressStatus.DISPATCHED);
        rig.advance(Duration.ofMinutes(1)).step(rig.obs(d.get(0), Observation.Kind.FAILED), rig.healthy(d.get(1)));
        assertThat(rig.state.phase()).isEqualTo(Phase.PAUSED);
        // resume without fixing anything: the gate is checked again and pauses again, with the numbers
        rig.command(Command.Kind.RESUME);
        assertThat(rig.state.phase()).isEqualTo(Phase.PAUSED);
        assertThat(rig.last.audit()).containsExactly("resumed by alice: 3 held devices pending again",
                "wave 1: 1/5 failed = 20.00 %, count 1 > 0 → breach → pause; held 0 dispatched devices not yet applying, 0 applying left to finish");
        // retry failed then resume: the failed device is pending again and the rollout proceeds
        rig.command(Command.Kind.RETRY_FAILED);
        assertThat(rig.audit).contains("retry failed by alice: 1 failed devices of wave 1 back to pending");
        rig.command(Command.Kind.RESUME);
        assertThat(rig.state.phase()).isEqualTo(Phase.RUNNING);
        assertThat(rig.lastEffects(Effect.DispatchDesired.class)).hasSize(4);
        assertThat(rig.state.device(d.get(0)).attempts()).isEqualTo(2);
    }

    @Test
    void abortWithoutRollbackHoldsPendingDispatchesAndWaitsForApplyingDevices() {
        Rig rig = new Rig(Rig.plan().maxConcurrent(3).soak(Duration.ZERO).build(), 6).start();
        List<String> d = rig.ids(ProgressStatus.DISPATCHED);
        rig.advance(Duration.ofMinutes(1)).step(rig.obs(d.get(0), Observation.Kind.APPLYING));
        rig.command(Command.Kind.ABORT);
        assertThat(rig.state.phase()).isEqualTo(Phase.ABORTING);
        assertThat(rig.lastEffects(Effect.Hold.class)).hasSize(2);
        rig.advance(Duration.ofMinutes(1)).step(rig.healthy(d.get(0)));
        assertThat(rig.state.phase()).isEqualTo(Phase.ABORTED);
        assertThat(rig.audit).contains("abort finished: 1 succeeded, 0 failed, 5 not updated");
        assertThat(rig.effects).noneMatch(e -> e instanceof Effect.DispatchRollback);
    }

    @Test
    void rollbackSendsEveryDeviceThatMayRunTheReleaseBackWithinTheConcurrencyLimit() {
        // given 6 devices, 3 at a time; two succeeded, one soaking, one failed by the agent (old release still runs)
        Rig rig = new Rig(Rig.plan().maxConcurrent(3).soak(SOAK).build(), 6).start();
        List<String> a = rig.ids(ProgressStatus.DISPATCHED);
        rig.advance(Duration.ofMinutes(1)).step(rig.healthy(a.get(0)), rig.healthy(a.get(1)),
                rig.obs(a.get(2), Observation.Kind.FAILED));
        List<String> b = rig.ids(ProgressStatus.DISPATCHED);
        assertThat(b).hasSize(3);
        rig.advance(Duration.ofMinutes(10)).step(rig.obs(b.get(0), Observation.Kind.APPLYING));
        assertThat(rig.count(ProgressStatus.SUCCEEDED)).isEqualTo(2);
        // when
        rig.command(Command.Kind.ROLLBACK);
        // then: the 2 succeeded and the applying one go back (3 = the limit), 2 dispatched are held, the failed one
        // is told to run its previous release again (untracked: it runs it already)
        assertThat(rig.state.phase()).isEqualTo(Phase.ROLLING_BACK);
        assertThat(rig.lastEffects(Effect.Hold.class)).extracting(Effect.Hold::deviceId)
                .containsExactlyInAnyOrder(b.get(1), b.get(2), a.get(2));
        assertThat(rig.lastEffects(Effect.DispatchRollback.class)).extracting(Effect.DispatchRollback::deviceId)
                .containsExactlyInAnyOrder(a.get(0), a.get(1), b.get(0));
        assertThat(rig.lastEffects(Effect.DispatchRollback.class)).allSatisfy(e -> assertThat(e.releaseId()).isEqualTo(Rig.OLD));
        assertThat(rig.state.device(a.get(2)).status()).isEqualTo(ProgressStatus.FAILED);
        // confirmations: two back on the old release, one silent until the timeout
        rig.advance(Duration.ofMinutes(2)).step(new Observation(a.get(0), rig.now, Observation.Kind.HEALTHY, Rig.OLD, null),
                new Observation(a.get(1), rig.now, Observation.Kind.ROLLED_BACK, Rig.OLD, "restored"));
        assertThat(rig.state.phase()).isEqualTo(Phase.ROLLING_BACK);
        rig.advance(TIMEOUT).step();
        assertThat(rig.state.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(rig.state.device(b.get(0)).status()).isEqualTo(ProgressStatus.ROLLBACK_FAILED);
        assertThat(rig.audit).contains("rollback finished: 2/3 rolled back, 1 failed to roll back");
    }

    @Test
    void breachWithAbortAndRollbackRollsBackAutomatically() {
        Rig rig = new Rig(Rig.plan().soak(SOAK).perWave(Threshold.percent(10)).onBreach(BreachAction.ABORT_AND_ROLLBACK)
                .build(), 10).start();
        List<String> d = rig.ids(ProgressStatus.DISPATCHED);
        rig.advance(Duration.ofMinutes(1)).step(rig.healthy(d.get(0)), rig.healthy(d.get(1)),
                rig.obs(d.get(2), Observation.Kind.ROLLED_BACK), rig.obs(d.get(3), Observation.Kind.FAILED));
        assertThat(rig.state.phase()).isEqualTo(Phase.ROLLING_BACK);
        assertThat(rig.last.audit()).first().isEqualTo("wave 1: 2/10 failed = 20.00 % > 10 % → breach → abort and roll back");
        assertThat(rig.lastEffects(Effect.DispatchRollback.class)).extracting(Effect.DispatchRollback::deviceId)
                .containsExactlyInAnyOrder(d.get(0), d.get(1));
        assertThat(rig.lastEffects(Effect.Hold.class)).hasSize(8).extracting(Effect.Hold::deviceId)
                .contains(d.get(2), d.get(3));
    }

    static Stream<Arguments> commandsInWrongPhase() {
        return Stream.of(arguments(Command.Kind.RESUME, "RESUME #1: not possible while DRAFT"),
                arguments(Command.Kind.PAUSE, "PAUSE #1: not possible while DRAFT"),
                arguments(Command.Kind.RETRY_FAILED, "RETRY_FAILED #1: not possible while DRAFT"),
                arguments(Command.Kind.ROLLBACK, "ROLLBACK #1: not possible while DRAFT"));
    }

    @ParameterizedTest(name = "{0} in DRAFT")
    @MethodSource("commandsInWrongPhase")
    void rejectsCommandsThatDoNotFitThePhase(Command.Kind kind, String message) {
        Rig rig = new Rig(Rig.plan().build(), 3);
        rig.command(kind);
        assertThat(rig.rejected).containsExactly(message);
        assertThat(rig.state.phase()).isEqualTo(Phase.DRAFT);
        assertThat(rig.effects).isEmpty();
    }

    // ---- maintenance windows

    @Test
    void dispatchesOnlyInsideAMaintenanceWindow() {
        // T0 is 2025-03-14 10:00Z = 11:00 in Berlin; window 22:00-04:00 Berlin crosses midnight
        MaintenanceWindow night = MaintenanceWindow.daily(LocalTime.of(22, 0), LocalTime.of(4, 0), ZoneId.of("Europe/Berlin"));
        Rig rig = new Rig(Rig.plan().windows(night).build(), 3).start();
        assertThat(rig.lastEffects(Effect.DispatchDesired.class)).isEmpty();
        assertThat(rig.audit).contains("outside maintenance windows: dispatch waits until 2025-03-14T21:00:00Z");
        rig.advance(Duration.ofHours(2)).step();
        assertThat(rig.last.effects()).isEmpty();
        rig.now = java.time.Instant.parse("2025-03-14T23:30:00Z"); // 00:30 Berlin, inside
        rig.step();
        assertThat(rig.lastEffects(Effect.DispatchDesired.class)).hasSize(3);
        assertThat(rig.last.audit()).containsExactly("maintenance window open: dispatch resumes");
    }

    // ---- idempotency

    @Test
    void applyingTheSameObservationsTwiceYieldsNoNewEffects() {
        Rig rig = new Rig(Rig.plan().maxConcurrent(5).soak(Duration.ZERO).perWave(Threshold.count(0)).build(), 20).start();
        List<String> d = rig.ids(ProgressStatus.DISPATCHED);
        Observations batch = new Observations(List.of(rig.healthy(d.get(0)), rig.obs(d.get(1), Observation.Kind.APPLYING),
                rig.obs(d.get(2), Observation.Kind.FAILED)), List.of(new Command(1, Command.Kind.START, Rig.T0, "alice")));
        rig.advance(Duration.ofMinutes(1));
        Decision first = rig.step(batch);
        assertThat(first.effects()).isNotEmpty();
        Decision second = rig.step(batch);
        assertThat(second.effects()).isEmpty();
        assertThat(second.rejected()).isEmpty();
        assertThat(second.state()).isEqualTo(first.state());
    }
}
