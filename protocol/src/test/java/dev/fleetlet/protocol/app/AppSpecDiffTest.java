package dev.fleetlet.protocol.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppSpecDiffTest {

    private final AppSpecParser parser = new AppSpecParser();

    private AppSpec web(String body) {
        return parser.parseYaml(Specs.web(body), null).orElseThrow();
    }

    @Test
    void equalSpecsHaveNoChangesEvenWhenWrittenDifferently() {
        assertThat(AppSpecDiff.between(web("environment: [A=1]\ncommand: a b"),
                web("command: [a, b]\nenvironment: {A: 1}"))).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            mem_limit: 64m         | mem_limit: 128m        | services.web.mem_limit: 64m -> 128m
            environment: {A: 1}    | environment: {A: 2}    | services.web.environment.A: 1 -> 2
            environment: {A: 1}    | environment: {}        | services.web.environment: removed (was {"A":"1"})
            environment: {A: 1}    | environment: {A: 1, B: 2} | services.web.environment.B: added 2
            cpus: 0.5              | cpus: 1                | services.web.cpus: 0.5 -> 1
            restart: always        | restart: 'no'          | services.web.restart: removed (was always)
            command: [a]           | command: [a, b]        | services.web.command: ["a"] -> ["a","b"]
            network_mode: host     | user: '1000'           | services.web.user: added 1000
            """)
    void namesTheChangedKeyWithOldAndNewValues(String before, String after, String expected) {
        var changes = AppSpecDiff.between(web(before), web(after));
        assertThat(changes.stream().map(Object::toString)).contains(expected);
    }

    @Test
    void reportsImageStrategyAndServiceChanges() {
        // given
        AppSpec a = parser.parseYaml("""
                name: d
                services:
                  web: {image: 'nginx:1'}
                  old: {image: 'busybox:1'}
                """, null).orElseThrow();
        AppSpec b = parser.parseYaml("""
                name: d
                services:
                  web: {image: 'nginx:2'}
                  new: {image: 'alpine:3'}
                x-fleetlet: {update_strategy: hand-over}
                """, null).orElseThrow();

        // when
        var changes = AppSpecDiff.between(a, b);

        // then
        assertThat(changes).containsExactly(
                new AppSpecDiff.Change("services.web.image", AppSpecDiff.Kind.CHANGED, "nginx:1", "nginx:2"),
                new AppSpecDiff.Change("services.old", AppSpecDiff.Kind.REMOVED, "{\"image\":\"busybox:1\"}", null),
                new AppSpecDiff.Change("services.new", AppSpecDiff.Kind.ADDED, null, "{\"image\":\"alpine:3\"}"),
                new AppSpecDiff.Change("x-fleetlet.update_strategy", AppSpecDiff.Kind.CHANGED,
                        "download-then-kill", "hand-over"));
    }
}
