package dev.fleetlet.server.device.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.server.device.selector.Requirement.Equals;
import dev.fleetlet.server.device.selector.Requirement.Exists;
import dev.fleetlet.server.device.selector.Requirement.In;
import dev.fleetlet.server.device.selector.Requirement.NotEquals;
import dev.fleetlet.server.device.selector.Requirement.NotExists;
import dev.fleetlet.server.device.selector.Requirement.NotIn;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SelectorParserTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("", List.of()),
                Arguments.of("   ", List.of()),
                Arguments.of("env=prod", List.of(new Equals("env", "prod"))),
                Arguments.of("env==prod", List.of(new Equals("env", "prod"))),
                Arguments.of("env=", List.of(new Equals("env", ""))),
                Arguments.of("tier!=db", List.of(new NotEquals("tier", "db"))),
                Arguments.of("gpu", List.of(new Exists("gpu"))),
                Arguments.of("!beta", List.of(new NotExists("beta"))),
                Arguments.of("site in (a,b)", List.of(new In("site", List.of("a", "b")))),
                Arguments.of("site notin ( a , b )", List.of(new NotIn("site", List.of("a", "b")))),
                Arguments.of("fleetlet.dev/role=edge", List.of(new Equals("fleetlet.dev/role", "edge"))),
                Arguments.of("env=prod,site in (a,b),!beta,tier!=db,gpu", List.of(new Equals("env", "prod"),
                        new In("site", List.of("a", "b")), new NotExists("beta"), new NotEquals("tier", "db"), new Exists("gpu"))),
                Arguments.of(" env = prod , gpu ", List.of(new Equals("env", "prod"), new Exists("gpu"))));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @MethodSource("valid")
    void parsesValidSelectors(String text, List<Requirement> expected) {
        assertThat(Selector.parse(text).requirements()).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("env=prod,", 9, "expected a label key"),
                Arguments.of(",env", 0, "expected a label key"),
                Arguments.of("env=prod site=a", 9, "expected ',' or end"),
                Arguments.of("site in a,b", 8, "expected '('"),
                Arguments.of("site in (a,b", 12, "expected ',' or ')'"),
                Arguments.of("site in ()", 9, "expected a value"),
                Arguments.of("site within (a)", 5, "unknown operator 'within'"),
                Arguments.of("env!prod", 3, "expected '!='"),
                Arguments.of("-env=prod", 0, "label key name '-env'"),
                Arguments.of("env=-prod", 4, "label value '-prod'"),
                Arguments.of("Bad_Prefix.io/x=1", 0, "prefix 'Bad_Prefix.io'"),
                Arguments.of("env=prod;drop", 8, "expected ',' or end"),
                Arguments.of("!", 1, "expected a label key, found end"),
                Arguments.of("a".repeat(64), 0, "1-63 characters"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" at {1}")
    @MethodSource("invalid")
    void rejectsInvalidSelectorsNamingThePosition(String text, int position, String reason) {
        assertThatThrownBy(() -> Selector.parse(text))
                .isInstanceOfSatisfying(SelectorSyntaxException.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.getMessage()).startsWith("at position " + position + ": ").contains(reason);
                });
    }

    @Test
    void negativeTermsMatchDevicesWithoutTheKeyLikeKubernetes() {
        Map<String, String> none = Map.of();
        assertThat(Selector.parse("tier!=db").matches(none)).isTrue();
        assertThat(Selector.parse("site notin (a)").matches(none)).isTrue();
        assertThat(Selector.parse("!beta").matches(none)).isTrue();
        assertThat(Selector.parse("gpu").matches(none)).isFalse();
        assertThat(Selector.parse("site in (a)").matches(none)).isFalse();
        assertThat(Selector.parse("env=prod,gpu").matches(Map.of("env", "prod", "gpu", ""))).isTrue();
        assertThat(Selector.parse("env=prod,gpu").matches(Map.of("env", "prod"))).isFalse();
    }
}
