package dev.fleetlet.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.fleetlet.server.rollout.plan.Threshold;
import dev.fleetlet.server.rollout.plan.WaveSize;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Gate decisions as a table: thresholds per wave and cumulative, % and count, at and around the boundaries. */
class GateThresholdTest {

    static Stream<Arguments> gates() {
        Threshold none = Threshold.NONE;
        List<WaveSize> one = List.of(WaveSize.percent(100));
        List<WaveSize> halves = List.of(WaveSize.percent(50), WaveSize.percent(50));
        return Stream.of(
                // name, perWave, cumulative, waves, devices, failures per group, final phase, audit line expected
                arguments("percent below", Threshold.percent(2), none, one, 400, new int[] {3}, Phase.COMPLETED,
                        "wave 1: 3/400 failed = 0.75 % < 2 % → rollout completed: 397/400 devices succeeded"),
                arguments("percent exactly at the limit passes", Threshold.percent(2), none, one, 100, new int[] {2},
                        Phase.COMPLETED, "wave 1: 2/100 failed = 2.00 % ≤ 2 % → rollout completed"),
                arguments("percent one above breaches", Threshold.percent(2), none, one, 100, new int[] {3},
                        Phase.PAUSED, "wave 1: 3/100 failed = 3.00 % > 2 % → breach → pause"),
                arguments("fractional percent at the limit", Threshold.percent(0.5), none, one, 1000, new int[] {5},
                        Phase.COMPLETED, "wave 1: 5/1000 failed = 0.50 % ≤ 0.5 %"),
                arguments("fractional percent above", Threshold.percent(0.5), none, one, 1000, new int[] {6},
                        Phase.PAUSED, "wave 1: 6/1000 failed = 0.60 % > 0.5 % → breach → pause"),
                arguments("count zero tolerates none", Threshold.count(0), none, one, 10, new int[] {1},
                        Phase.PAUSED, "wave 1: 1/10 failed = 10.00 %, count 1 > 0 → breach"),
                arguments("count zero with no failure passes", Threshold.count(0), none, one, 10, new int[] {0},
                        Phase.COMPLETED, "wave 1: 0/10 failed = 0.00 %, count 0 ≤ 0 → rollout completed"),
                arguments("count breaches while percent passes", Threshold.of(90, 5), none, one, 10, new int[] {6},
                        Phase.PAUSED, "wave 1: 6/10 failed = 60.00 % < 90 %, count 6 > 5 → breach"),
                arguments("percent breaches while count passes", Threshold.of(10, 100), none, one, 10, new int[] {2},
                        Phase.PAUSED, "wave 1: 2/10 failed = 20.00 % > 10 %, count 2 < 100 → breach"),
                arguments("no threshold never breaches", none, none, one, 10, new int[] {10}, Phase.COMPLETED,
                        "wave 1: 10/10 failed = 100.00 % → rollout completed: 0/10"),
                arguments("each wave passes, cumulative percent breaches", none, Threshold.percent(1), halves, 200,
                        new int[] {1, 2}, Phase.PAUSED,
                        "wave 2: 2/100 failed = 2.00 %; cumulative: 3/200 failed = 1.50 % > 1 % → breach → pause"),
                arguments("cumulative percent passes for wave 1 on its own", none, Threshold.percent(1), halves, 200,
                        new int[] {1, 2}, Phase.PAUSED,
                        "wave 1: 1/100 failed = 1.00 %; cumulative: 1/100 failed = 1.00 % ≤ 1 % → next wave (wave 2: 100 devices)"),
                arguments("cumulative count breaches across waves", Threshold.count(3), Threshold.count(4), halves, 200,
                        new int[] {3, 2}, Phase.PAUSED,
                        "wave 2: 2/100 failed = 2.00 %, count 2 < 3; cumulative: 5/200 failed = 2.50 %, count 5 > 4 → breach"),
                arguments("per-wave count breach in the second wave", Threshold.count(1), none, halves, 200,
                        new int[] {1, 2}, Phase.PAUSED, "wave 2: 2/100 failed = 2.00 %, count 2 > 1 → breach → pause"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gates")
    void gateDecidesFromTheNumbers(String name, Threshold perWave, Threshold cumulative, List<WaveSize> waves, int devices,
                                   int[] failuresPerGroup, Phase expectedPhase, String expectedAudit) {
        // given
        Rig rig = new Rig(Rig.plan().waves(waves.toArray(new WaveSize[0])).soak(Duration.ZERO).perWave(perWave)
                .cumulative(cumulative).build(), devices).start();
        // when every group's dispatched devices report: the first k fail, the rest are healthy
        int guard = 0;
        while (rig.state.phase() == Phase.RUNNING && guard++ < 10) {
            int g = rig.state.currentGroup();
            List<Observation> obs = new ArrayList<>();
            List<String> dispatched = rig.ids(ProgressStatus.DISPATCHED);
            for (int i = 0; i < dispatched.size(); i++) {
                obs.add(rig.obs(dispatched.get(i), i < failuresPerGroup[g] ? Observation.Kind.FAILED
                        : Observation.Kind.HEALTHY));
            }
            rig.advance(Duration.ofMinutes(1)).stepAll(obs);
        }
        // then
        assertThat(rig.state.phase()).isEqualTo(expectedPhase);
        assertThat(rig.audit).anySatisfy(line -> assertThat(line).startsWith(expectedAudit));
    }

    @Test
    void auditNumbersIgnoreTheDefaultLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            Rig rig = new Rig(Rig.plan().soak(Duration.ZERO).perWave(Threshold.percent(2.5)).build(), 400).start();
            List<String> d = rig.ids(ProgressStatus.DISPATCHED);
            List<Observation> obs = new ArrayList<>();
            for (int i = 0; i < d.size(); i++) {
                obs.add(rig.obs(d.get(i), i < 3 ? Observation.Kind.FAILED : Observation.Kind.HEALTHY));
            }
            rig.advance(Duration.ofMinutes(1)).stepAll(obs);
            assertThat(rig.audit).contains("wave 1: 3/400 failed = 0.75 % < 2.5 % → rollout completed: 397/400 devices succeeded");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void breachInTheMiddleOfAWaveStopsDispatchAndHoldsDispatchedDevices() {
        // given 100 devices, 10 at a time, no failure tolerated
        Rig rig = new Rig(Rig.plan().maxConcurrent(10).perWave(Threshold.count(0)).build(), 100).start();
        List<String> first = rig.ids(ProgressStatus.DISPATCHED);
        assertThat(first).hasSize(10);
        // when one device fails and two are applying
        rig.advance(Duration.ofMinutes(1)).step(rig.obs(first.get(0), Observation.Kind.FAILED),
                rig.obs(first.get(1), Observation.Kind.APPLYING), rig.obs(first.get(2), Observation.Kind.APPLYING));
        // then the rollout pauses, the 7 not yet applying are held, the applying ones continue, nothing new goes out
        assertThat(rig.state.phase()).isEqualTo(Phase.PAUSED);
        assertThat(rig.state.pauseCause()).isEqualTo(RolloutState.PauseCause.BREACH);
        assertThat(rig.lastEffects(Effect.Hold.class)).hasSize(7)
                .allSatisfy(h -> assertThat(h.releaseId()).isEqualTo(Rig.OLD));
        assertThat(rig.lastEffects(Effect.DispatchDesired.class)).isEmpty();
        assertThat(rig.count(ProgressStatus.APPLYING)).isEqualTo(2);
        assertThat(rig.last.audit()).containsExactly(
                "wave 1: 1/100 failed = 1.00 %, count 1 > 0 → breach → pause; held 7 dispatched devices not yet applying, 2 applying left to finish");
    }
}
