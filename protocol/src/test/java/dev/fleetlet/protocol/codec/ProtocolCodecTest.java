package dev.fleetlet.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.protocol.golden.GoldenPayloads;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.Presence;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProtocolCodecTest {

    private static final ProtocolCodec CODEC = new ProtocolCodec();
    private static final ObjectMapper MAPPER = ProtocolCodec.newMapper();

    private static ObjectNode goldenTelemetry() throws Exception {
        return (ObjectNode) MAPPER.readTree(GoldenPayloads.get(MessageType.TELEMETRY, "basic").json());
    }

    private static Rejection rejectionOfTelemetry(Consumer<ObjectNode> mutation) throws Exception {
        ObjectNode tree = goldenTelemetry();
        mutation.accept(tree);
        Decoded<TelemetryBatch> decoded = CODEC.decode(MessageType.TELEMETRY, MAPPER.writeValueAsBytes(tree));
        assertThat(decoded.isOk()).as("expected a rejection for %s", tree).isFalse();
        return decoded.rejection();
    }

    private static ObjectNode firstReading(ObjectNode batch) {
        return (ObjectNode) batch.get("readings").get(0);
    }

    @Test
    void rejectsBadJsonAsMalformed() {
        Decoded<TelemetryBatch> decoded = CODEC.decode(MessageType.TELEMETRY, "{\"v\": 1, \"deviceId\": ");

        assertThat(decoded.rejection().reason()).isEqualTo(Rejection.Reason.MALFORMED_JSON);
        assertThat(decoded.rejection().field()).isEmpty();
        assertThat(decoded.rejection().message()).startsWith("not valid JSON");
    }

    @Test
    void rejectsATopLevelArrayAsNotAnObject() {
        Rejection r = CODEC.decode(MessageType.PRESENCE, "[{\"v\": 1}]").rejection();

        assertThat(r.reason()).isEqualTo(Rejection.Reason.MALFORMED_JSON);
        assertThat(r.message()).isEqualTo("presence payload must be a JSON object");
    }

    @Test
    void rejectsTrailingContentAfterTheObject() {
        Rejection r = CODEC.decode(MessageType.EVENT, GoldenPayloads.get(MessageType.EVENT, "update-failed").json() + " {}")
                .rejection();

        assertThat(r.reason()).isEqualTo(Rejection.Reason.MALFORMED_JSON);
    }

    @Test
    void rejectsDuplicateKeysInsteadOfSilentlyTakingTheLastOne() throws Exception {
        String json = GoldenPayloads.get(MessageType.TELEMETRY, "basic").json().replaceFirst("\"seq\": 1842,", "\"seq\": 1842, \"seq\": 1,");

        Rejection r = CODEC.decode(MessageType.TELEMETRY, json).rejection();

        assertThat(r.reason()).isEqualTo(Rejection.Reason.MALFORMED_JSON);
        assertThat(r.message()).contains("seq");
    }

    @Test
    void rejectsSeqAsAStringNamingTheField() throws Exception {
        Rejection r = rejectionOfTelemetry(t -> t.put("seq", "1842"));

        assertThat(r.reason()).isEqualTo(Rejection.Reason.SCHEMA_VIOLATION);
        assertThat(r.field()).isEqualTo("/seq");
        assertThat(r.message()).startsWith("seq: ").contains("string").contains("integer");
    }

    @Test
    void rejectsAReadingValueAsAStringNamingTheNestedField() throws Exception {
        Rejection r = rejectionOfTelemetry(t -> firstReading(t).put("value", "21.47"));

        assertThat(r.reason()).isEqualTo(Rejection.Reason.SCHEMA_VIOLATION);
        assertThat(r.field()).isEqualTo("/readings/0/value");
        assertThat(r.message()).startsWith("readings.0.value: ").contains("string");
    }

    @ParameterizedTest(name = "missing {0}")
    @CsvSource({"deviceId", "stream", "seq", "sentAt", "clockSynced", "readings"})
    void rejectsAMissingRequiredTopLevelFieldNamingIt(String field) throws Exception {
        Rejection r = rejectionOfTelemetry(t -> t.remove(field));

        assertThat(r.reason()).isEqualTo(Rejection.Reason.SCHEMA_VIOLATION);
        assertThat(r.field()).isEqualTo("/" + field);
        assertThat(r.message()).startsWith(field + ": ").contains(field);
    }

    @ParameterizedTest(name = "missing reading {0}")
    @CsvSource({"sensor", "quantity", "unit", "ts", "quality", "value"})
    void rejectsAMissingReadingFieldNamingItsPath(String field) throws Exception {
        Rejection r = rejectionOfTelemetry(t -> firstReading(t).remove(field));

        assertThat(r.field()).isEqualTo("/readings/0/" + field);
        assertThat(r.message()).startsWith("readings.0." + field + ": ");
    }

    @Test
    void rejectsAReadingOfQualityOkWithANullValue() throws Exception {
        Rejection r = rejectionOfTelemetry(t -> firstReading(t).putNull("value"));

        assertThat(r.reason()).isEqualTo(Rejection.Reason.SCHEMA_VIOLATION);
        assertThat(r.field()).isEqualTo("/readings/0/value");
        assertThat(r.message()).contains("null").contains("number");
    }

    @Test
    void rejectsAFailedReadingWithoutAReason() throws Exception {
        Rejection r = rejectionOfTelemetry(t -> firstReading(t).put("quality", "failed").remove("value"));

        assertThat(r.field()).isEqualTo("/readings/0/reason");
    }

    @Test
    void rejectsAnUnknownQualityListingNothingButTheField() throws Exception {
        Rejection r = rejectionOfTelemetry(t -> firstReading(t).put("quality", "great"));

        assertThat(r.field()).isEqualTo("/readings/0/quality");
        assertThat(r.message()).startsWith("readings.0.quality: ");
    }

    @Test
    void rejects501Readings() throws Exception {
        Rejection r = rejectionOfTelemetry(t -> {
            ArrayNode readings = (ArrayNode) t.get("readings");
            JsonNode template = readings.get(0);
            readings.removeAll();
            for (int i = 0; i < TelemetryBatch.MAX_READINGS + 1; i++) {
                readings.add(template.deepCopy());
            }
        });

        assertThat(r.reason()).isEqualTo(Rejection.Reason.SCHEMA_VIOLATION);
        assertThat(r.field()).isEqualTo("/readings");
        assertThat(r.message()).contains("500");
    }

    @Test
    void accepts500ReadingsUnderTheSizeLimit() throws Exception {
        ObjectNode t = goldenTelemetry();
        ArrayNode readings = (ArrayNode) t.get("readings");
        ObjectNode compact = MAPPER.createObjectNode().put("sensor", "s").put("quantity", "t").put("unit", "Cel")
                .put("value", 1.5).put("ts", "2025-03-14T09:29:50Z").put("quality", "ok");
        readings.removeAll();
        for (int i = 0; i < TelemetryBatch.MAX_READINGS; i++) {
            readings.add(compact.deepCopy());
        }

        Decoded<TelemetryBatch> decoded = CODEC.decode(MessageType.TELEMETRY, MAPPER.writeValueAsBytes(t));

        assertThat(decoded.orElseThrow().readings()).hasSize(500);
    }

    @Test
    void rejectsAnEmptyReadingsArray() throws Exception {
        Rejection r = rejectionOfTelemetry(t -> ((ArrayNode) t.get("readings")).removeAll());

        assertThat(r.field()).isEqualTo("/readings");
    }

    @ParameterizedTest(name = "deviceId \"{0}\"")
    @CsvSource({"Pi-Kitchen", "pi_kitchen", "ab", "-leading-dash", "pi/01", "pi+01", "''"})
    void rejectsAnInvalidDeviceIdPattern(String deviceId) throws Exception {
        Rejection r = rejectionOfTelemetry(t -> t.put("deviceId", deviceId));

        assertThat(r.reason()).isEqualTo(Rejection.Reason.SCHEMA_VIOLATION);
        assertThat(r.field()).isEqualTo("/deviceId");
        assertThat(r.message()).startsWith("deviceId: ");
    }

    @Test
    void rejectsAnInvalidTimestampNamingTheField() throws Exception {
        Rejection r = rejectionOfTelemetry(t -> t.put("sentAt", "yesterday"));

        assertThat(r.field()).isEqualTo("/sentAt");
        assertThat(r.message()).startsWith("sentAt: ");
    }

    @Test
    void rejectsAnOversizePayloadBeforeParsingIt() {
        byte[] payload = new byte[MessageType.TELEMETRY.maxBytes() + 1];
        java.util.Arrays.fill(payload, (byte) '[');

        Rejection r = CODEC.decode(MessageType.TELEMETRY, payload).rejection();

        assertThat(r.reason()).isEqualTo(Rejection.Reason.TOO_LARGE);
        assertThat(r.field()).isEmpty();
        assertThat(r.message()).contains("65537 bytes").contains("limit is 65536");
    }

    @ParameterizedTest(name = "v={0}")
    @CsvSource({"2", "0", "'\"1\"'", "1.5"})
    void rejectsAnUnknownOrMalformedVersion(String v) throws Exception {
        Rejection r = rejectionOfTelemetry(t -> t.set("v", readJson(v)));

        assertThat(r.reason()).isEqualTo(Rejection.Reason.UNSUPPORTED_VERSION);
        assertThat(r.field()).isEqualTo("/v");
        assertThat(r.message()).startsWith("v: ").contains("expected 1");
    }

    @Test
    void rejectsVersion2NamingIt() throws Exception {
        Rejection r = rejectionOfTelemetry(t -> t.put("v", 2));

        assertThat(r.message()).isEqualTo("v: unsupported protocol version 2, expected 1");
    }

    @Test
    void rejectsAMissingVersion() throws Exception {
        Rejection r = rejectionOfTelemetry(t -> t.remove("v"));

        assertThat(r.reason()).isEqualTo(Rejection.Reason.UNSUPPORTED_VERSION);
        assertThat(r.field()).isEqualTo("/v");
    }

    @Test
    void restPayloadsNeedNoVersion() {
        Decoded<?> decoded = CODEC.decode(MessageType.ENROLLMENT_RESPONSE,
                GoldenPayloads.get(MessageType.ENROLLMENT_RESPONSE, "accepted").bytes());

        assertThat(decoded.isOk()).isTrue();
    }

    @Test
    void rejectsDeeplyNestedJsonWithoutOverflowingTheStack() {
        String nested = "{\"v\":1,\"args\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

        Rejection r = CODEC.decode(MessageType.COMMAND_REQUEST, nested).rejection();

        assertThat(r.reason()).isEqualTo(Rejection.Reason.MALFORMED_JSON);
        assertThat(r.message()).contains("nesting depth");
    }

    @Test
    void rejectsNonUtf8BytesNamingTheOffset() {
        byte[] latin1 = "{\"v\":1,\"deviceId\":\"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

        Rejection r = CODEC.decode(MessageType.PRESENCE, latin1).rejection();

        assertThat(r.reason()).isEqualTo(Rejection.Reason.MALFORMED_JSON);
        assertThat(r.message()).contains("not valid UTF-8").contains("offset 22");
    }

    @Test
    void rejectsUtf16EvenThoughJsonParsersCouldDetectIt() {
        byte[] utf16 = GoldenPayloads.get(MessageType.PRESENCE, "will").json().getBytes(StandardCharsets.UTF_16BE);

        Rejection r = CODEC.decode(MessageType.PRESENCE, utf16).rejection();

        assertThat(r.reason()).isEqualTo(Rejection.Reason.MALFORMED_JSON);
    }

    @Test
    void rejectsAnEmptyAndANullPayload() {
        Rejection empty = CODEC.decode(MessageType.DESIRED_STATE, new byte[0]).rejection();
        Rejection nullBytes = CODEC.decode(MessageType.DESIRED_STATE, (byte[]) null).rejection();
        Rejection nullString = CODEC.decode(MessageType.DESIRED_STATE, (String) null).rejection();

        for (Rejection r : List.of(empty, nullBytes, nullString)) {
            assertThat(r.reason()).isEqualTo(Rejection.Reason.MALFORMED_JSON);
            assertThat(r.message()).isEqualTo("desired-state payload is empty");
        }
    }

    @Test
    void rejectsJsonNullAndScalars() {
        for (String payload : List.of("null", "42", "\"text\"", "true")) {
            assertThat(CODEC.decode(MessageType.EVENT, payload).rejection().reason())
                    .as(payload).isEqualTo(Rejection.Reason.MALFORMED_JSON);
        }
    }

    @Test
    void requiresHardwareInABirthAndAReasonInADeath() throws Exception {
        ObjectNode birth = (ObjectNode) MAPPER.readTree(GoldenPayloads.get(MessageType.PRESENCE, "birth").json());
        birth.remove("hardware");
        ObjectNode death = (ObjectNode) MAPPER.readTree(GoldenPayloads.get(MessageType.PRESENCE, "will").json());
        death.remove("reason");

        assertThat(CODEC.decode(MessageType.PRESENCE, MAPPER.writeValueAsBytes(birth)).rejection().field())
                .isEqualTo("/hardware");
        assertThat(CODEC.decode(MessageType.PRESENCE, MAPPER.writeValueAsBytes(death)).rejection().field())
                .isEqualTo("/reason");
    }

    @Test
    void namesAMissingStateRatherThanTheConditionalFieldsItWouldImply() throws Exception {
        ObjectNode birth = (ObjectNode) MAPPER.readTree(GoldenPayloads.get(MessageType.PRESENCE, "birth").json());
        birth.remove("state");
        birth.remove("hardware");

        Rejection r = CODEC.decode(MessageType.PRESENCE, MAPPER.writeValueAsBytes(birth)).rejection();

        assertThat(r.field()).isEqualTo("/state");
    }

    @Test
    void requiresAnErrorOnARejectedCommandResponse() throws Exception {
        ObjectNode rejected = (ObjectNode) MAPPER.readTree(GoldenPayloads.get(MessageType.COMMAND_RESPONSE, "rejected").json());
        rejected.remove("error");

        Rejection r = CODEC.decode(MessageType.COMMAND_RESPONSE, MAPPER.writeValueAsBytes(rejected)).rejection();

        assertThat(r.field()).isEqualTo("/error");
    }

    @Test
    void ignoresUnknownFieldsForForwardCompatibility() throws Exception {
        ObjectNode t = goldenTelemetry();
        t.put("batteryPercent", 87);
        firstReading(t).put("accuracy", 0.5);

        Decoded<TelemetryBatch> decoded = CODEC.decode(MessageType.TELEMETRY, MAPPER.writeValueAsBytes(t));

        assertThat(decoded.orElseThrow().seq()).isEqualTo(1842);
    }

    @Test
    void rejectsAPayloadThatSpeaksForAnotherDevice() {
        byte[] payload = GoldenPayloads.get(MessageType.TELEMETRY, "basic").bytes();

        Decoded<TelemetryBatch> own = CODEC.decode(MessageType.TELEMETRY, "pi-kitchen-01", payload);
        Decoded<TelemetryBatch> other = CODEC.decode(MessageType.TELEMETRY, "pi-garage-02", payload);

        assertThat(own.isOk()).isTrue();
        assertThat(other.rejection().field()).isEqualTo("/deviceId");
        assertThat(other.rejection().message()).contains("pi-kitchen-01").contains("pi-garage-02");
    }

    @Test
    void encodesAValidRecordThatDecodesToAnEqualRecord() {
        Instant now = Instant.parse("2025-03-14T09:30:00Z");
        TelemetryBatch batch = new TelemetryBatch(1, "pi-kitchen-01", "s-7f3a9c21", 1, now, true, 0,
                List.of(Reading.ok("bme280", "temperature", "Cel", 21.5, now)));

        byte[] bytes = CODEC.encode(MessageType.TELEMETRY, batch);

        assertThat(CODEC.decode(MessageType.TELEMETRY, bytes).orElseThrow()).isEqualTo(batch);
    }

    @Test
    void encodeRefusesAnInvalidRecordNamingTheField() {
        Instant now = Instant.parse("2025-03-14T09:30:00Z");
        TelemetryBatch noReadings = new TelemetryBatch(1, "pi-kitchen-01", "s-7f3a9c21", 1, now, true, 0, List.of());
        Presence badId = Presence.death("Not An Id", now, true, "b00t", "shutdown");
        CommandResponse errorWithoutInfo = new CommandResponse(1, "cmd-1", CommandResponse.Status.ERROR, now, null, null);

        assertThatThrownBy(() -> CODEC.encode(MessageType.TELEMETRY, noReadings))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/readings");
        assertThatThrownBy(() -> CODEC.encode(MessageType.PRESENCE, badId))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/deviceId");
        assertThatThrownBy(() -> CODEC.encode(MessageType.COMMAND_RESPONSE, errorWithoutInfo))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/error");
    }

    @Test
    void structuralSenderCheckEncodesWhatTheSchemaCheckingDecoderAccepts() {
        ProtocolCodec structural = new ProtocolCodec(ProtocolCodec.SenderCheck.STRUCTURAL);
        Instant now = Instant.parse("2025-03-14T09:30:00Z");
        TelemetryBatch batch = new TelemetryBatch(1, "pi-kitchen-01", "s-7f3a9c21", 1, now, true, 0,
                List.of(Reading.ok("bme280", "temperature", "Cel", 21.5, now)));
        Presence birth = Presence.death("pi-kitchen-01", now, true, "b00t", "shutdown");

        byte[] telemetry = structural.encode(MessageType.TELEMETRY, batch);
        byte[] presence = structural.encode(MessageType.PRESENCE, birth);

        assertThat(telemetry).isEqualTo(CODEC.encode(MessageType.TELEMETRY, batch));
        assertThat(CODEC.decode(MessageType.TELEMETRY, telemetry).orElseThrow()).isEqualTo(batch);
        assertThat(CODEC.decode(MessageType.PRESENCE, presence).orElseThrow()).isEqualTo(birth);
    }

    @Test
    void structuralSenderCheckRefusesEmptyBatchesForeignIdsWrongVersionsAndOversizedPayloads() {
        ProtocolCodec structural = new ProtocolCodec(ProtocolCodec.SenderCheck.STRUCTURAL);
        Instant now = Instant.parse("2025-03-14T09:30:00Z");
        TelemetryBatch noReadings = new TelemetryBatch(1, "pi-kitchen-01", "s-7f3a9c21", 1, now, true, 0, List.of());
        Presence badId = Presence.death("Not An Id", now, true, "b00t", "shutdown");
        Presence v2 = new Presence(2, "pi-kitchen-01", Presence.State.OFFLINE, now, true, "b00t", "shutdown", null);
        Presence huge = Presence.death("pi-kitchen-01", now, true, "b00t", "x".repeat(MessageType.PRESENCE.maxBytes()));

        assertThatThrownBy(() -> structural.encode(MessageType.TELEMETRY, noReadings))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/readings");
        assertThatThrownBy(() -> structural.encode(MessageType.PRESENCE, badId))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/deviceId");
        assertThatThrownBy(() -> structural.encode(MessageType.PRESENCE, v2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UNSUPPORTED_VERSION");
        assertThatThrownBy(() -> structural.encode(MessageType.PRESENCE, huge))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TOO_LARGE");
    }

    @Test
    void structuralSenderCheckStillDecodesWithTheSchema() {
        ProtocolCodec structural = new ProtocolCodec(ProtocolCodec.SenderCheck.STRUCTURAL);

        Decoded<TelemetryBatch> decoded = structural.decode(MessageType.TELEMETRY, "{\"v\":1,\"deviceId\":\"pi-kitchen-01\"}");

        assertThat(decoded.rejection().reason()).isEqualTo(Rejection.Reason.SCHEMA_VIOLATION);
    }

    @Test
    void encodeRefusesAWrongVersion() {
        Instant now = Instant.parse("2025-03-14T09:30:00Z");
        Presence v2 = new Presence(2, "pi-kitchen-01", Presence.State.OFFLINE, now, true, "b00t", "shutdown", null);

        assertThatThrownBy(() -> CODEC.encode(MessageType.PRESENCE, v2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UNSUPPORTED_VERSION");
    }

    private static JsonNode readJson(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
