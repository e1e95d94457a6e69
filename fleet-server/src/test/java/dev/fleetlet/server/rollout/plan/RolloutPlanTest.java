package dev.fleetlet.server.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RolloutPlanTest {

    static final RolloutPlan VALID = new RolloutPlan(WaveSize.percent(1), List.of(WaveSize.percent(25), WaveSize.count(100)),
            50, Duration.ofMinutes(30), Duration.ofMinutes(20), Threshold.of(2, 10), Threshold.percent(1),
            BreachAction.PAUSE, List.of());

    static RolloutPlan with(UnaryOperator<Object[]> change) {
        Object[] f = {VALID.canary(), VALID.waves(), VALID.maxConcurrent(), VALID.soak(), VALID.deviceTimeout(),
                VALID.perWave(), VALID.cumulative(), VALID.onBreach(), VALID.maintenanceWindows()};
        f = change.apply(f);
        @SuppressWarnings("unchecked")
        RolloutPlan p = new RolloutPlan((WaveSize) f[0], (List<WaveSize>) f[1], (Integer) f[2], (Duration) f[3],
                (Duration) f[4], (Threshold) f[5], (Threshold) f[6], (BreachAction) f[7], (List<MaintenanceWindow>) f[8]);
        return p;
    }

    static UnaryOperator<Object[]> set(int i, Object v) {
        return f -> {
            f[i] = v;
            return f;
        };
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                arguments(set(0, WaveSize.percent(0)), "canary", "percent must be > 0 and ≤ 100, was 0"),
                arguments(set(0, WaveSize.percent(120)), "canary", "was 120"),
                arguments(set(0, new WaveSize(WaveSize.Kind.COUNT, 2.5)), "canary", "whole number ≥ 1, was 2.5"),
                arguments(set(1, List.of()), "waves", "at least one wave"),
                arguments(set(1, List.of(WaveSize.count(5), WaveSize.count(0))), "waves[1]", "was 0"),
                arguments(set(2, 0), "maxConcurrent", "must be ≥ 1, was 0"),
                arguments(set(3, Duration.ofSeconds(-1)), "soak", "must not be negative"),
                arguments(set(3, null), "soak", "is required"),
                arguments(set(4, Duration.ZERO), "deviceTimeout", "must be positive"),
                arguments(set(5, Threshold.percent(101)), "thresholds.perWave.percent", "between 0 and 100, was 101"),
                arguments(set(6, Threshold.count(-1)), "thresholds.cumulative.count", "must be ≥ 0, was -1"),
                arguments(set(7, null), "onBreach", "PAUSE or ABORT_AND_ROLLBACK"),
                arguments(set(8, List.of(new MaintenanceWindow(Set.of(), LocalTime.NOON, LocalTime.MIDNIGHT,
                        ZoneOffset.UTC))), "maintenanceWindows[0].days", "at least one day"),
                arguments(set(8, List.of(MaintenanceWindow.daily(LocalTime.NOON, LocalTime.MIDNIGHT, null))),
                        "maintenanceWindows[0].zone", "is required"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void namesTheFieldOfEveryProblem(UnaryOperator<Object[]> change, String field, String message) {
        RolloutPlan p = with(change);
        assertThat(p.problems()).singleElement().satisfies(pp -> {
            assertThat(pp.field()).isEqualTo(field);
            assertThat(pp.message()).contains(message);
        });
        assertThatThrownBy(p::requireValid).isInstanceOf(InvalidPlanException.class).hasMessageContaining(field);
    }

    @Test
    void acceptsAValidPlanAndNamesGroups() {
        assertThat(VALID.problems()).isEmpty();
        assertThat(VALID.groupCount()).isEqualTo(3);
        assertThat(List.of(VALID.groupName(0), VALID.groupName(1), VALID.groupName(2)))
                .containsExactly("canary", "wave 1", "wave 2");
        assertThat(with(set(0, null)).groupName(0)).isEqualTo("wave 1");
    }

    @Test
    void reportsSeveralProblemsAtOnce() {
        RolloutPlan p = with(f -> {
            f[2] = -3;
            f[4] = null;
            return f;
        });
        assertThat(p.problems()).extracting(PlanProblem::field).containsExactly("maxConcurrent", "deviceTimeout");
    }
}
