package dev.fleetlet.server.device.selector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LabelRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"env", "Env.Name_1-x", "fleetlet.dev/role", "a.b-c.d/x", "a"})
    void acceptsKubernetesStyleKeys(String key) {
        assertThat(LabelRules.keyProblem(key)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-env", "env-", "has space", "/x", "Upper.io/x", "a/b/c", "x/", "ünïcode"})
    void rejectsMalformedKeys(String key) {
        assertThat(LabelRules.keyProblem(key)).isPresent();
    }

    @Test
    void limitsNameTo63AndPrefixTo253Characters() {
        assertThat(LabelRules.keyProblem("a".repeat(63))).isEmpty();
        assertThat(LabelRules.keyProblem("a".repeat(64))).hasValueSatisfying(p -> assertThat(p).contains("1-63"));
        assertThat(LabelRules.keyProblem("a".repeat(253) + "/x")).isEmpty();
        assertThat(LabelRules.keyProblem("a".repeat(254) + "/x")).hasValueSatisfying(p -> assertThat(p).contains("253"));
    }

    @Test
    void acceptsEmptyValuesAndRejectsBadOnes() {
        assertThat(LabelRules.valueProblem("")).isEmpty();
        assertThat(LabelRules.valueProblem("prod-1.a_b")).isEmpty();
        assertThat(LabelRules.valueProblem("x".repeat(64))).isPresent();
        assertThat(LabelRules.valueProblem("a/b")).isPresent();
        assertThat(LabelRules.valueProblem("_x")).isPresent();
        assertThat(LabelRules.valueProblem(null)).isPresent();
    }

    @Test
    void namesEachBadLabelByItsKey() {
        assertThat(LabelRules.problems(Map.of("env", "prod", "bad key", "x", "site", "-a")))
                .containsOnlyKeys("labels.bad key", "labels.site");
    }
}
