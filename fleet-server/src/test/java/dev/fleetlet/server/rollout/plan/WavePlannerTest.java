package dev.fleetlet.server.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WavePlannerTest {

    static RolloutPlan plan(WaveSize canary, List<WaveSize> waves, int maxConcurrent) {
        return new RolloutPlan(canary, waves, maxConcurrent, Duration.ofMinutes(30), Duration.ofMinutes(20),
                Threshold.percent(2), Threshold.NONE, BreachAction.PAUSE, List.of());
    }

    static List<String> ids(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("pi-" + i);
        }
        return out;
    }

    static Stream<Arguments> sizing() {
        WaveSize p10 = WaveSize.percent(10);
        return Stream.of(
                arguments("percent canary then percent waves, last takes the rest", WaveSize.percent(1),
                        List.of(WaveSize.percent(10), WaveSize.percent(30), WaveSize.percent(30)), 1000,
                        List.of(10, 100, 300, 590)),
                arguments("percent rounds up", WaveSize.percent(1), List.of(WaveSize.percent(33), WaveSize.percent(100)),
                        10, List.of(1, 4, 5)),
                arguments("tiny percent still takes one device", WaveSize.percent(0.1), List.of(p10, p10), 7,
                        List.of(1, 1, 5)),
                arguments("count canary", WaveSize.count(5), List.of(WaveSize.count(50), WaveSize.count(1)), 100,
                        List.of(5, 50, 45)),
                arguments("devices run out: later waves are empty", WaveSize.count(3), List.of(WaveSize.count(10),
                        WaveSize.count(10)), 5, List.of(3, 2, 0)),
                arguments("no canary", null, List.of(WaveSize.percent(50), WaveSize.percent(50)), 11, List.of(6, 5)),
                arguments("no devices", WaveSize.count(1), List.of(p10), 0, List.of(0, 0)),
                arguments("single wave takes all even when smaller", null, List.of(WaveSize.count(1)), 9, List.of(9)),
                arguments("percentages over 100 leave nothing for later waves", null,
                        List.of(WaveSize.percent(80), WaveSize.percent(80), WaveSize.percent(10)), 10, List.of(8, 2, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sizing")
    void sizesGroups(String name, WaveSize canary, List<WaveSize> waves, int devices, List<Integer> expected) {
        WaveAssignment a = WavePlanner.assign("r-7", ids(devices), plan(canary, waves, 10));
        assertThat(a.sizes()).isEqualTo(expected);
        assertThat(a.deviceCount()).isEqualTo(devices);
        List<String> all = new ArrayList<>();
        a.groups().forEach(all::addAll);
        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids(devices));
    }

    @Test
    void orderIsDeterministicPerRolloutAndDiffersBetweenRollouts() {
        List<String> devices = ids(500);
        List<String> reversed = new ArrayList<>(devices);
        java.util.Collections.reverse(reversed);
        assertThat(WavePlanner.spreadOrder("r-1", devices)).isEqualTo(WavePlanner.spreadOrder("r-1", reversed));
        assertThat(WavePlanner.spreadOrder("r-1", devices)).isNotEqualTo(WavePlanner.spreadOrder("r-2", devices));
        assertThat(WavePlanner.spreadOrder("r-1", devices).subList(0, 10)).isNotEqualTo(devices.subList(0, 10));
    }

    @Test
    void spreadsEveryWaveAcrossSitesInsteadOfTakingThemAlphabetically() {
        // given 1,000 devices named by site (10 sites of 100): alphabetical order would put one site in the canary
        List<String> devices = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            for (int i = 0; i < 100; i++) {
                devices.add("site" + s + "-pi-" + String.format("%03d", i));
            }
        }
        WaveAssignment a = WavePlanner.assign("rollout-42", devices,
                plan(WaveSize.percent(5), List.of(WaveSize.percent(20), WaveSize.percent(100)), 10));
        // then the 50-device canary and the 200-device first wave each hold devices of most sites, none dominating
        for (int g = 0; g < 2; g++) {
            Map<String, Integer> perSite = new HashMap<>();
            for (String id : a.groups().get(g)) {
                perSite.merge(id.substring(0, 5), 1, Integer::sum);
            }
            int size = a.groups().get(g).size();
            assertThat(perSite.size()).as("sites in group %d", g).isGreaterThanOrEqualTo(8);
            assertThat(perSite.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(size / 4));
        }
    }

    static Stream<Arguments> forecasts() {
        // groups, maxConcurrent, typical apply → fastest, slowest (soak 30m, timeout 20m)
        return Stream.of(
                arguments(List.of(10, 100, 890), 50, Duration.ofMinutes(5),
                        // batches 1, 2, 18: fastest 5+30, 10+30, 90+30; slowest 20+30, 40+30, 360+30
                        Duration.ofMinutes(35 + 40 + 120), Duration.ofMinutes(50 + 70 + 390)),
                arguments(List.of(1), 1, Duration.ofMinutes(3), Duration.ofMinutes(33), Duration.ofMinutes(50)),
                arguments(List.of(0, 4), 4, Duration.ofHours(1), Duration.ofMinutes(20 + 30), Duration.ofMinutes(50)));
    }

    @ParameterizedTest
    @MethodSource("forecasts")
    void forecastsDurationRange(List<Integer> groups, int maxConcurrent, Duration apply, Duration fastest, Duration slowest) {
        Forecast f = WavePlanner.forecast(groups, plan(groups.size() > 1 ? WaveSize.count(1) : null,
                groups.size() > 1 ? java.util.Collections.nCopies(groups.size() - 1, WaveSize.percent(50))
                        : List.of(WaveSize.percent(100)), maxConcurrent), apply);
        assertThat(f.fastest()).isEqualTo(fastest);
        assertThat(f.slowest()).isEqualTo(slowest);
        assertThat(f.waitsForWindows()).isFalse();
    }

    @Test
    void forecastSummaryAndWindowsFlag() {
        RolloutPlan p = new RolloutPlan(null, List.of(WaveSize.percent(100)), 10, Duration.ofMinutes(30),
                Duration.ofMinutes(20), Threshold.NONE, Threshold.NONE, BreachAction.PAUSE,
                List.of(MaintenanceWindow.daily(java.time.LocalTime.of(1, 0), java.time.LocalTime.of(5, 0),
                        java.time.ZoneOffset.UTC)));
        Forecast f = WavePlanner.forecast(List.of(25), p, Duration.ofMinutes(4));
        assertThat(f.summary()).isEqualTo("42m–1h30m (1 groups, plus waiting for maintenance windows)");
        assertThatThrownBy(() -> WavePlanner.forecast(List.of(1), p, Duration.ZERO))
                .isInstanceOfSatisfying(InvalidPlanException.class,
                        e -> assertThat(e.problems()).extracting(PlanProblem::field).containsExactly("typicalApply"));
    }
}
