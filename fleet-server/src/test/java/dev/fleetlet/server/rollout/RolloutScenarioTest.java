package dev.fleetlet.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.server.rollout.plan.BreachAction;
import dev.fleetlet.server.rollout.plan.Threshold;
import dev.fleetlet.server.rollout.plan.WaveSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Long scripted runs: a whole fleet through canary and waves, and the cost of one step at 10,000 devices. */
class RolloutScenarioTest {

    /**
     * Fleet behaviour by position in the spread order: index % 200 == 27 and == 127 fail to apply (1 %),
     * index % 200 == 77 never answers, neither to the release nor to a rollback (0.5 %); everything else is
     * healthy and stays so. Groups of the 2 %/10/20/30/40 % plan: [0,20) [20,120) [120,320) [320,620) [620,1000).
     */
    private static Observation.Kind behaviour(int index) {
        int m = index % 200;
        if (m == 27 || m == 127) {
            return Observation.Kind.FAILED;
        }
        return m == 77 ? null : Observation.Kind.HEALTHY;
    }

    private static void drive(Rig rig, int steps) {
        for (int i = 0; i < steps && (rig.state.phase() == Phase.RUNNING); i++) {
            List<Observation> obs = new ArrayList<>();
            List<DeviceProgress> devices = rig.state.devices();
            for (int k = 0; k < devices.size(); k++) {
                DeviceProgress d = devices.get(k);
                Observation.Kind b = behaviour(k);
                if (d.status() == ProgressStatus.DISPATCHED && b != null) {
                    obs.add(rig.obs(d.deviceId(), b));
                }
            }
            rig.advance(Duration.ofMinutes(5)).stepAll(obs);
        }
    }

    @Test
    void thousandDevicesFourWavesWithOnePercentFailingAndHalfAPercentSilent() {
        // given 1,000 devices, a 2 % canary then 4 waves; 1.5 % of devices fail or stay silent.
        // per wave ≤ 2 % tolerated, cumulative ≤ 2 % and ≤ 20 failures
        Rig rig = new Rig(Rig.plan().canary(WaveSize.percent(2))
                .waves(WaveSize.percent(10), WaveSize.percent(20), WaveSize.percent(30), WaveSize.percent(40))
                .maxConcurrent(100).soak(Duration.ofMinutes(30)).timeout(Duration.ofMinutes(20))
                .perWave(Threshold.percent(2)).cumulative(Threshold.of(2, 20)).onBreach(BreachAction.PAUSE).build(), 1000);
        assertThat(rig.state.groupSizes()).containsExactly(20, 100, 200, 300, 380);
        // when it runs
        rig.start();
        drive(rig, 200);
        // then every gate passes with its numbers: 15 of 1,000 fail (1.5 %) and every wave stays at or below 2 %
        assertThat(rig.state.phase()).isEqualTo(Phase.COMPLETED);
        assertThat(rig.count(ProgressStatus.FAILED)).isEqualTo(10);
        assertThat(rig.count(ProgressStatus.SILENT)).isEqualTo(5);
        assertThat(rig.count(ProgressStatus.SUCCEEDED)).isEqualTo(985);
        assertThat(rig.audit).containsSubsequence(
                "started by alice: 1000 devices in canary 20, wave 1 100, wave 2 200, wave 3 300, wave 4 380",
                "canary: 0/20 failed = 0.00 % < 2 %; cumulative: 0/20 failed = 0.00 % < 2 %, count 0 < 20 → next wave (wave 1: 100 devices)",
                "wave 1: 2/100 failed = 2.00 % ≤ 2 %; cumulative: 2/120 failed = 1.67 % < 2 %, count 2 < 20 → next wave (wave 2: 200 devices)",
                "wave 2: 3/200 failed = 1.50 % < 2 %; cumulative: 5/320 failed = 1.56 % < 2 %, count 5 < 20 → next wave (wave 3: 300 devices)",
                "wave 3: 4/300 failed = 1.33 % < 2 %; cumulative: 9/620 failed = 1.45 % < 2 %, count 9 < 20 → next wave (wave 4: 380 devices)",
                "wave 4: 6/380 failed = 1.58 % < 2 %; cumulative: 15/1000 failed = 1.50 % < 2 %, count 15 < 20 → rollout completed: 985/1000 devices succeeded");
        assertThat(rig.effects.stream().filter(e -> e instanceof Effect.DispatchDesired).count()).isEqualTo(1000);
    }

    @Test
    void thousandDevicesTighterCumulativeCountBreachesInWaveThreeAndRollsBack() {
        // given the same fleet, but at most 6 failures in total, abort and roll back on breach
        Rig rig = new Rig(Rig.plan().canary(WaveSize.percent(2))
                .waves(WaveSize.percent(10), WaveSize.percent(20), WaveSize.percent(30), WaveSize.percent(40))
                .maxConcurrent(100).soak(Duration.ofMinutes(30)).timeout(Duration.ofMinutes(20))
                .perWave(Threshold.percent(2)).cumulative(Threshold.count(6))
                .onBreach(BreachAction.ABORT_AND_ROLLBACK).build(), 1000).start();
        // when it runs until the breach
        drive(rig, 200);
        // then the 7th failure (the second of wave 3, in its second batch of 100) breaches the cumulative count mid-wave, and updated devices go back
        assertThat(rig.state.phase()).isEqualTo(Phase.ROLLING_BACK);
        assertThat(rig.audit).anySatisfy(l -> assertThat(l).startsWith("wave 3: 2/300 failed = 0.67 % < 2 %; cumulative: 7/620 failed = 1.13 %, count 7 > 6 → breach → abort and roll back"));
        assertThat(rig.lastEffects(Effect.DispatchRollback.class)).hasSize(100);
        // the devices confirm the old release; silent ones time out; the rollback finishes
        for (int i = 0; i < 60 && rig.state.phase() == Phase.ROLLING_BACK; i++) {
            List<Observation> obs = new ArrayList<>();
            List<DeviceProgress> devices = rig.state.devices();
            for (int k = 0; k < devices.size(); k++) {
                DeviceProgress d = devices.get(k);
                if (d.status() == ProgressStatus.ROLLING_BACK && behaviour(k) != null) {
                    obs.add(new Observation(d.deviceId(), rig.now.plus(Duration.ofMinutes(1)), Observation.Kind.HEALTHY,
                            d.previousRelease(), null));
                }
            }
            rig.advance(Duration.ofMinutes(2)).stepAll(obs);
        }
        assertThat(rig.state.phase()).isEqualTo(Phase.ROLLED_BACK);
        assertThat(rig.count(ProgressStatus.ROLLED_BACK) + rig.count(ProgressStatus.ROLLBACK_FAILED))
                .isEqualTo(rig.effects.stream().filter(e -> e instanceof Effect.DispatchRollback).count());
        // the silent devices (77, 277: earlier waves; 477 not yet dispatched in wave 3) could not confirm
        assertThat(rig.count(ProgressStatus.ROLLBACK_FAILED)).isEqualTo(2);
        // canary 20 + wave 1 99 + wave 2 198 + wave 3 first batch 99 + second batch 98 (427 failed, 477 silent → held)
        assertThat(rig.audit.get(rig.audit.size() - 1)).isEqualTo("rollback finished: 512/514 rolled back, 2 failed to roll back");
    }

    @Test
    void oneStepOverTenThousandDevicesIsFast() {
        // given 10,000 devices with 2,000 in flight and 1,000 soaking
        Rig rig = new Rig(Rig.plan().maxConcurrent(2000).soak(Duration.ofMinutes(30)).timeout(Duration.ofHours(1))
                .perWave(Threshold.percent(5)).cumulative(Threshold.percent(5)).build(), 10_000).start();
        List<String> inFlight = rig.ids(ProgressStatus.DISPATCHED);
        List<Observation> obs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            obs.add(rig.healthy(inFlight.get(i)));
        }
        rig.advance(Duration.ofMinutes(1)).stepAll(obs);
        // when one step applies 2,000 observations (warm-up first, then measured)
        List<Observation> batch = new ArrayList<>();
        for (int i = 1000; i < 2000; i++) {
            batch.add(rig.obs(inFlight.get(i), Observation.Kind.APPLYING));
        }
        for (int i = 0; i < 1000; i++) {
            batch.add(rig.obs(inFlight.get(i), Observation.Kind.ONLINE));
        }
        RolloutState before = rig.state;
        java.time.Instant at = rig.now.plus(Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            RolloutController.step(before, new Observations(batch, List.of()), at);
        }
        long t0 = System.nanoTime();
        Decision d = RolloutController.step(before, new Observations(batch, List.of()), at);
        long micros = (System.nanoTime() - t0) / 1000;
        System.out.println("rollout step over 10000 devices with 2000 observations: " + micros + " us");
        // then
        assertThat(d.state().count(ProgressStatus.APPLYING)).isEqualTo(1000);
        assertThat(micros).isLessThan(2_000_000);
    }
}
