package dev.fleetlet.agent.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.Release;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlannerTest {

    private static final Release A = release("app-1.0.0", "sampler:1");
    private static final Release B = release("app-1.1.0", "sampler:2");
    private static final Map<String, String> CFG = Map.of("telemetry.interval", "10s");

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("nothing to nothing", new CurrentState(0, null, Map.of()), desired(1, null, Map.of()),
                        List.of()),
                Arguments.of("nothing to release", new CurrentState(0, null, Map.of()), desired(1, A, Map.of()),
                        List.of(new Step.InstallRelease(A, null))),
                Arguments.of("release A to release B", new CurrentState(3, A, Map.of()), desired(4, B, Map.of()),
                        List.of(new Step.InstallRelease(B, A.id()), new Step.RemoveRelease(A.id()))),
                Arguments.of("config change only", new CurrentState(3, A, Map.of()), desired(4, A, CFG),
                        List.of(new Step.ApplyConfig(CFG))),
                Arguments.of("config and release change, config first", new CurrentState(3, A, Map.of()),
                        desired(4, B, CFG),
                        List.of(new Step.ApplyConfig(CFG), new Step.InstallRelease(B, A.id()),
                                new Step.RemoveRelease(A.id()))),
                Arguments.of("same generation, same content", new CurrentState(4, A, CFG), desired(4, A, CFG),
                        List.of()),
                Arguments.of("new generation, same content", new CurrentState(4, A, CFG), desired(5, A, CFG),
                        List.of()),
                Arguments.of("release removal", new CurrentState(4, A, CFG), desired(5, null, CFG),
                        List.of(new Step.RemoveRelease(A.id()))),
                Arguments.of("config cleared", new CurrentState(4, null, CFG), desired(5, null, Map.of()),
                        List.of(new Step.ApplyConfig(Map.of()))),
                Arguments.of("same release id with a changed spec is reinstalled", new CurrentState(4, A, Map.of()),
                        desired(5, release(A.id(), "sampler:1-fixed"), Map.of()),
                        List.of(new Step.InstallRelease(release(A.id(), "sampler:1-fixed"), A.id()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void plansTheStepsFromCurrentToDesired(String name, CurrentState current, DesiredState desired, List<Step> expected) {
        // when
        List<Step> plan = Planner.plan(current, desired);
        // then
        assertThat(plan).containsExactlyElementsOf(expected);
        assertThat(Planner.plan(current, desired)).as("pure: same input, same plan").isEqualTo(plan);
    }

    private static DesiredState desired(long generation, Release release, Map<String, String> config) {
        return new DesiredState(1, "pi-test-01", generation, Instant.parse("2025-03-14T10:00:00Z"), release, config);
    }

    static Release release(String id, String image) {
        var spec = JsonNodeFactory.instance.objectNode();
        spec.putObject("services").putObject("sampler").put("image", image);
        return new Release(id, "app", id.substring(id.indexOf('-') + 1), spec);
    }
}
