package dev.fleetlet.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.EnrollmentResponse;
import dev.fleetlet.protocol.message.Presence;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.TelemetryBatch;
import dev.fleetlet.protocol.message.WireEnum;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The schemas and the Java records describe the same wire format. */
class SchemaConsistencyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode schema(MessageType<?> type) throws Exception {
        try (InputStream in = SchemaConsistencyTest.class.getResourceAsStream(type.schemaResource())) {
            assertThat(in).as(type.schemaResource()).isNotNull();
            return MAPPER.readTree(in);
        }
    }

    @Test
    void everySchemaIsDraft202012WithAnIdNamedAfterItsType() throws Exception {
        for (MessageType<?> type : MessageType.ALL) {
            JsonNode s = schema(type);
            assertThat(s.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
            assertThat(s.path("$id").asText()).endsWith("/v1/" + type.name() + ".schema.json");
            assertThat(s.path("type").asText()).isEqualTo("object");
            assertThat(s.has("additionalProperties")).as("%s keeps additionalProperties open", type).isFalse();
            boolean hasV = s.path("properties").has("v");
            assertThat(hasV).as("%s has v iff versioned", type).isEqualTo(type.versioned());
            if (hasV) {
                assertThat(s.at("/properties/v/const").asInt()).isEqualTo(Topics.VERSION);
            }
        }
    }

    @Test
    void deviceIdPatternMatchesTopics() throws Exception {
        for (MessageType<?> type : MessageType.ALL) {
            JsonNode pattern = schema(type).at("/$defs/deviceId/pattern");
            if (!pattern.isMissingNode()) {
                assertThat(pattern.asText()).as(type.name()).isEqualTo("^[a-z0-9][a-z0-9-]{2,63}$");
            }
        }
    }

    @Test
    void hardwareFactsAreTheSameInPresenceAndEnrollment() throws Exception {
        assertThat(schema(MessageType.PRESENCE).at("/$defs/hardware"))
                .isEqualTo(schema(MessageType.ENROLLMENT_REQUEST).at("/$defs/hardware"));
    }

    @Test
    void telemetryMaxItemsMatchesTheRecordConstant() throws Exception {
        assertThat(schema(MessageType.TELEMETRY).at("/properties/readings/maxItems").asInt())
                .isEqualTo(TelemetryBatch.MAX_READINGS);
    }

    static Stream<Arguments> enums() {
        return Stream.of(
                Arguments.of(MessageType.PRESENCE, "/properties/state/enum", Presence.State.class),
                Arguments.of(MessageType.TELEMETRY, "/$defs/reading/properties/quality/enum", Reading.Quality.class),
                Arguments.of(MessageType.REPORTED_STATE, "/properties/status/enum", ReportedState.Status.class),
                Arguments.of(MessageType.EVENT, "/properties/type/enum", DeviceEvent.Type.class),
                Arguments.of(MessageType.COMMAND_RESPONSE, "/properties/status/enum", CommandResponse.Status.class),
                Arguments.of(MessageType.ENROLLMENT_RESPONSE, "/properties/status/enum", EnrollmentResponse.Status.class));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("enums")
    void schemaEnumListsExactlyTheWireNamesOfTheJavaEnum(MessageType<?> type, String pointer,
                                                         Class<? extends WireEnum> enumType) throws Exception {
        List<String> inSchema = new ArrayList<>();
        schema(type).at(pointer).forEach(n -> inSchema.add(n.asText()));
        List<String> inJava = Arrays.stream(enumType.getEnumConstants()).map(WireEnum::wire).toList();

        assertThat(inSchema).containsExactlyInAnyOrderElementsOf(inJava);
    }
}
