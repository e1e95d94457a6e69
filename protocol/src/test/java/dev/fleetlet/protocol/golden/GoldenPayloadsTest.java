package dev.fleetlet.protocol.golden;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.fleetlet.protocol.codec.Decoded;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.golden.GoldenPayloads.Golden;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GoldenPayloadsTest {

    private static final ProtocolCodec CODEC = new ProtocolCodec();
    private static final ObjectMapper MAPPER = ProtocolCodec.newMapper();

    /** JSON equality: numbers compare by value (21 equals 21.0), everything else structurally. */
    private static final Comparator<JsonNode> JSON_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    static Stream<Golden> goldens() {
        return GoldenPayloads.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void goldenDecodesReEncodesToTheSameJsonAndValidatesAgainstItsSchema(Golden golden) throws Exception {
        // given
        JsonNode original = MAPPER.readTree(golden.json());

        // when
        Decoded<?> decoded = CODEC.decode(golden.type(), golden.bytes());

        // then
        assertThat(decoded.isOk()).as("decode %s (docs/protocol.md line %d): %s", golden, golden.line(), decoded).isTrue();
        byte[] reEncoded = encodeUnchecked(golden.type(), decoded.orElseThrow());
        JsonNode roundTripped = MAPPER.readTree(reEncoded);
        assertThat(original.equals(JSON_VALUE, roundTripped))
                .as("round trip of %s:%n  doc:     %s%n  encoded: %s", golden, original, roundTripped).isTrue();
        Set<ValidationMessage> errors = schemaOf(golden.type()).validate(original);
        assertThat(errors).as("schema errors of %s", golden).isEmpty();
    }

    @Test
    void everyMessageTypeHasAtLeastOneGoldenExample() {
        for (MessageType<?> type : MessageType.ALL) {
            assertThat(GoldenPayloads.of(type)).as("golden examples of %s", type).isNotEmpty();
        }
    }

    @Test
    void telemetryGoldensIncludeAFailedReadingAndAnUnsynchronisedClock() {
        List<Golden> telemetry = GoldenPayloads.of(MessageType.TELEMETRY);
        assertThat(telemetry).hasSizeGreaterThanOrEqualTo(2);

        TelemetryBatch unsynced = GoldenPayloads.message(MessageType.TELEMETRY, "failed-reading-unsynced-clock");

        assertThat(unsynced.clockSynced()).isFalse();
        assertThat(unsynced.readings()).anySatisfy(r -> {
            assertThat(r.quality()).isEqualTo(Reading.Quality.FAILED);
            assertThat(r.value()).isNull();
            assertThat(r.reason()).isNotBlank();
        });
    }

    @Test
    void desiredStateGoldensCoverWithAndWithoutARelease() {
        DesiredState with = GoldenPayloads.message(MessageType.DESIRED_STATE, "with-release");
        DesiredState without = GoldenPayloads.message(MessageType.DESIRED_STATE, "no-release");

        assertThat(with.release()).isNotNull();
        assertThat(with.release().spec().isObject()).isTrue();
        assertThat(without.release()).isNull();
        assertThat(without.generation()).isGreaterThan(with.generation());
    }

    @Test
    void commandGoldensCoverOkAndRejected() {
        assertThat(GoldenPayloads.of(MessageType.COMMAND_REQUEST)).hasSizeGreaterThanOrEqualTo(2);

        CommandResponse ok = GoldenPayloads.message(MessageType.COMMAND_RESPONSE, "ok");
        CommandResponse rejected = GoldenPayloads.message(MessageType.COMMAND_RESPONSE, "rejected");

        assertThat(ok.status()).isEqualTo(CommandResponse.Status.OK);
        assertThat(rejected.status()).isEqualTo(CommandResponse.Status.REJECTED);
        assertThat(rejected.error().code()).isEqualTo("unknown-command");
    }

    @Test
    void extractorReadsMarkerAndBlockWithItsLineNumber() {
        String doc = "# t\n\n<!-- golden: presence will -->\n```json\n{\"a\": 1}\n```\ntext\n";

        List<Golden> goldens = GoldenPayloads.parse(doc);

        assertThat(goldens).singleElement().satisfies(g -> {
            assertThat(g.type()).isEqualTo(MessageType.PRESENCE);
            assertThat(g.name()).isEqualTo("will");
            assertThat(g.json()).isEqualTo("{\"a\": 1}\n");
            assertThat(g.line()).isEqualTo(3);
        });
    }

    @Test
    void extractorRefusesAMarkerWithoutAJsonBlock() {
        String doc = "<!-- golden: telemetry basic -->\nsome prose\n```json\n{}\n```\n";

        assertThatThrownBy(() -> GoldenPayloads.parse(doc))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1").hasMessageContaining("```json");
    }

    @Test
    void extractorRefusesAnUnknownMessageTypeAndDuplicates() {
        assertThatThrownBy(() -> GoldenPayloads.parse("<!-- golden: telemetri basic -->\n```json\n{}\n```\n"))
                .hasMessageContaining("unknown message type 'telemetri'");
        String twice = "<!-- golden: event a -->\n```json\n{}\n```\n<!-- golden: event a -->\n```json\n{}\n```\n";
        assertThatThrownBy(() -> GoldenPayloads.parse(twice))
                .hasMessageContaining("line 5").hasMessageContaining("duplicate");
    }

    @SuppressWarnings("unchecked")
    private static <T> byte[] encodeUnchecked(MessageType<T> type, Object value) {
        return CODEC.encode(type, (T) value);
    }

    private static JsonSchema schemaOf(MessageType<?> type) throws Exception {
        try (InputStream in = GoldenPayloadsTest.class.getResourceAsStream(type.schemaResource())) {
            assertThat(in).as("schema %s", type.schemaResource()).isNotNull();
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }
}
