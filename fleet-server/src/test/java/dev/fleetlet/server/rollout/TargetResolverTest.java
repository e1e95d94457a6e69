package dev.fleetlet.server.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.fleetlet.server.device.selector.Selector;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TargetResolverTest {

    static final Target TARGET = new Target("cam-2.0", Selector.parse("env=prod,site in (north,south),!beta"),
            new RequiredCapabilities(Set.of("arm64"), Selector.parse("camera=present"), 1024L));

    static DeviceSnapshot device(Map<String, String> labels, String arch, Long memoryMb, String pinned, String current,
                                 boolean decommissioned) {
        return new DeviceSnapshot("pi-1", labels, arch, memoryMb, pinned, current, true, null, decommissioned);
    }

    static final Map<String, String> GOOD = Map.of("env", "prod", "site", "north", "camera", "present");

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("everything matches", device(GOOD, "arm64", 2048L, null, "cam-1.9", false), true,
                        Explanation.Code.INCLUDED, "matches selector env=prod,site in (north,south),!beta"),
                arguments("pinned to this very release is fine", device(GOOD, "arm64", 2048L, "cam-2.0", "cam-1.9", false),
                        true, Explanation.Code.INCLUDED, "pinned to this release"),
                arguments("pinned to another release", device(GOOD, "arm64", 2048L, "cam-1.9", "cam-1.9", false), false,
                        Explanation.Code.PINNED_TO_OTHER_RELEASE, "pinned to release cam-1.9 (pins override rollouts)"),
                arguments("arch mismatch", device(GOOD, "armhf", 2048L, null, null, false), false,
                        Explanation.Code.ARCH_MISMATCH, "release needs arch arm64; device is armhf"),
                arguments("arch unknown", device(GOOD, null, 2048L, null, null, false), false,
                        Explanation.Code.ARCH_UNKNOWN, "device arch unknown"),
                arguments("memory too small", device(GOOD, "arm64", 512L, null, null, false), false,
                        Explanation.Code.MEMORY_TOO_SMALL, "release needs ≥ 1024 MiB memory; device has 512 MiB"),
                arguments("memory unknown", device(GOOD, "arm64", null, null, null, false), false,
                        Explanation.Code.MEMORY_UNKNOWN, "device memory unknown"),
                arguments("required label missing", device(Map.of("env", "prod", "site", "south"), "arm64", 4096L, null,
                        null, false), false, Explanation.Code.LABEL_REQUIREMENT_MISMATCH,
                        "release requires label 'camera=present' (camera absent)"),
                arguments("selector term names the label", device(Map.of("env", "staging", "site", "north", "camera",
                        "present"), "arm64", 4096L, null, null, false), false, Explanation.Code.SELECTOR_MISMATCH,
                        "selector term 'env=prod' does not match (env=staging)"),
                arguments("selector set term", device(Map.of("env", "prod", "site", "east", "camera", "present"),
                        "arm64", 4096L, null, null, false), false, Explanation.Code.SELECTOR_MISMATCH,
                        "selector term 'site in (north,south)' does not match (site=east)"),
                arguments("selector negation", device(Map.of("env", "prod", "site", "north", "camera", "present",
                        "beta", ""), "arm64", 4096L, null, null, false), false, Explanation.Code.SELECTOR_MISMATCH,
                        "selector term '!beta' does not match (beta=)"),
                arguments("already on the release", device(GOOD, "arm64", 2048L, null, "cam-2.0", false), false,
                        Explanation.Code.ALREADY_ON_RELEASE, "already runs release cam-2.0"),
                arguments("decommissioned", device(GOOD, "arm64", 2048L, null, null, true), false,
                        Explanation.Code.DECOMMISSIONED, "device is decommissioned"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void explainsWhyADeviceIsOrIsNotTargeted(String name, DeviceSnapshot d, boolean included, Explanation.Code code,
                                            String text) {
        Explanation e = TargetResolver.explain(TARGET, d);
        assertThat(e.included()).isEqualTo(included);
        assertThat(e.has(code)).isTrue();
        assertThat(e.text()).contains(text);
    }

    @Test
    void listsEveryReasonNotJustTheFirst() {
        Explanation e = TargetResolver.explain(TARGET, device(Map.of("env", "dev"), "armhf", 256L, "x-1", null, true));
        assertThat(e.reasons()).extracting(Explanation.Reason::code).containsExactly(Explanation.Code.DECOMMISSIONED,
                Explanation.Code.SELECTOR_MISMATCH, Explanation.Code.SELECTOR_MISMATCH,
                Explanation.Code.PINNED_TO_OTHER_RELEASE, Explanation.Code.ARCH_MISMATCH,
                Explanation.Code.LABEL_REQUIREMENT_MISMATCH, Explanation.Code.MEMORY_TOO_SMALL);
    }

    @Test
    void resolvesAFleetKeepingOrderAndExplainingEachDevice() {
        List<DeviceSnapshot> fleet = List.of(
                new DeviceSnapshot("a", GOOD, "arm64", 2048L, null, null, true, null, false),
                new DeviceSnapshot("b", GOOD, "arm64", 2048L, "cam-1.0", null, false, null, false),
                new DeviceSnapshot("c", GOOD, "arm64", 512L, null, null, true, null, false),
                new DeviceSnapshot("d", GOOD, "arm64", 8192L, null, null, false, null, false));
        TargetResolver.Resolution r = TargetResolver.resolve(TARGET, fleet);
        assertThat(r.included()).extracting(DeviceSnapshot::id).containsExactly("a", "d");
        assertThat(r.excluded()).extracting(Explanation::deviceId).containsExactly("b", "c");
        assertThat(r.explanations()).containsOnlyKeys("a", "b", "c", "d");
    }

    @Test
    void emptySelectorAndNoRequirementsTargetEveryActiveDevice() {
        Target all = new Target("x-1", Selector.ALL, RequiredCapabilities.NONE);
        Explanation e = TargetResolver.explain(all, new DeviceSnapshot("z", Map.of(), null, null, null, null, false,
                null, false));
        assertThat(e.included()).isTrue();
        assertThat(e.text()).isEqualTo("matches selector (everything) and the release's requirements");
    }
}
