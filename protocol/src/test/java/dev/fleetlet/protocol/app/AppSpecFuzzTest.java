package dev.fleetlet.protocol.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Random mutations of a valid document never make the parser throw: it parses or lists problems. */
class AppSpecFuzzTest {

    private static final String[] INSERTS = {":", "- ", "{", "}", "[", "]", "\"", "'", "&a ", "*a", "!!int ", "\n",
            "  ", "\t", "${X}", "-1", "0x10", "~", "null", "? ", "<<: ", "#", "%YAML 1.2\n", "\\", "\u0000", "é", "1e999"};

    @Test
    void randomMutationsOfAValidDocumentNeverThrow() {
        AppSpecParser parser = new AppSpecParser();
        Random random = new Random(20261125L);
        int ok = 0;
        int refused = 0;
        for (int i = 0; i < 1500; i++) {
            StringBuilder doc = new StringBuilder(Specs.WEATHER);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(doc.length());
                switch (random.nextInt(3)) {
                    case 0 -> doc.insert(at, INSERTS[random.nextInt(INSERTS.length)]);
                    case 1 -> doc.delete(at, Math.min(doc.length(), at + 1 + random.nextInt(8)));
                    default -> doc.setCharAt(at, (char) (32 + random.nextInt(95)));
                }
            }

            ParseResult result = parser.parseYaml(doc.toString(), "fallback");

            assertThat(result.isOk() ? result.problems() : result.problems()).isNotNull();
            if (result.isOk()) {
                ok++;
                assertThat(AppSpecJson.fromJson(AppSpecJson.toJson(result.spec()))).isEqualTo(result.spec());
            } else {
                refused++;
                assertThat(result.problems()).allSatisfy(p -> assertThat(p.message()).isNotBlank()
                        .doesNotContain("cannot read app spec"));
            }
        }
        assertThat(ok).as("some mutations stay valid").isPositive();
        assertThat(refused).as("some mutations are refused").isPositive();
    }
}
