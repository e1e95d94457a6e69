package dev.fleetlet.protocol.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import java.util.ArrayList;
import java.util.List;
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
        for (int i = 0; i < 1000; i++) {
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

    @Test
    void randomValueReplacementsInTheCanonicalJsonNeverThrow() throws Exception {
        // given: the canonical JSON of the full example, read back as the codec reads it (doubles, not decimals)
        AppSpecParser parser = new AppSpecParser();
        String canonical = AppSpecJson.toJson(parser.parseYaml(Specs.WEATHER, null).orElseThrow()).toString();
        var mapper = ProtocolCodec.newMapper();
        JsonNode[] values = {JsonNodeFactory.instance.nullNode(), JsonNodeFactory.instance.numberNode(-1),
                JsonNodeFactory.instance.numberNode(Double.POSITIVE_INFINITY), JsonNodeFactory.instance.numberNode(1e300),
                JsonNodeFactory.instance.textNode(""), JsonNodeFactory.instance.textNode("${X}"),
                JsonNodeFactory.instance.booleanNode(true), JsonNodeFactory.instance.arrayNode(),
                JsonNodeFactory.instance.arrayNode().add(JsonNodeFactory.instance.nullNode()),
                JsonNodeFactory.instance.objectNode(), mapper.readTree("{\"a\":{\"b\":[1]}}")};
        Random random = new Random(7L);
        int refused = 0;
        for (int i = 0; i < 1000; i++) {
            JsonNode tree = mapper.readTree(canonical);
            List<JsonNode> containers = new ArrayList<>();
            collect(tree, containers);
            JsonNode target = containers.get(random.nextInt(containers.size()));
            JsonNode value = values[random.nextInt(values.length)];
            if (target instanceof ObjectNode o && o.size() > 0) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                o.set(names.get(random.nextInt(names.size())), value.deepCopy());
            } else if (target instanceof ArrayNode a && a.size() > 0) {
                a.set(random.nextInt(a.size()), value.deepCopy());
            }

            ParseResult result = parser.parseJson(tree, null);

            if (!result.isOk()) {
                refused++;
                assertThat(result.problems()).allSatisfy(p -> assertThat(p.message())
                        .doesNotContain("cannot read app spec"));
            }
        }
        assertThat(refused).isPositive();
    }

    private static void collect(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            node.elements().forEachRemaining(child -> collect(child, out));
        }
    }
}
