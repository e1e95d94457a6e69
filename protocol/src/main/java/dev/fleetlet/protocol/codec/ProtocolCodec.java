package dev.fleetlet.protocol.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.app.AppSpecParser;
import dev.fleetlet.protocol.app.ParseResult;
import dev.fleetlet.protocol.app.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encodes protocol records to JSON and decodes untrusted payloads back, in that order of checks:
 * size limit, UTF-8, JSON syntax (one object, no duplicate keys, nesting at most 32 deep), protocol
 * version, JSON Schema, the app spec of a desired state's release ({@link AppSpecParser}, field
 * {@code /release/spec/...}), record binding. Every failure becomes a {@link Rejection} naming the field;
 * {@link #decode} never throws.
 *
 * <p>Unknown fields are ignored so that a newer minor revision of v1 can add optional fields; a
 * different {@code v} is refused. When several schema rules fail, the rejection names the first
 * field in document order, preferring unconditional rules ({@code required}, {@code type}) over
 * the conditional ones they trigger. Instances are immutable and thread-safe; create one per
 * process. A message type's JSON Schema is compiled on its first schema check (tens of milliseconds
 * for the first one, which also loads the validator library), so a process that never checks a type
 * never pays for its schema.
 *
 * <p>Two sender checks exist. {@link #ProtocolCodec()} checks every encoded payload against its
 * schema by decoding it again ({@link SenderCheck#SCHEMA}): the strictest, for servers and tests.
 * {@link #ProtocolCodec(SenderCheck)} with {@link SenderCheck#STRUCTURAL} checks only what a sender
 * building its messages from its own records can get wrong at run time (size limit, protocol version,
 * device id, reading count) and never loads the schema validator for encoding: for the edge agent,
 * whose memory budget is tight. Decoding always checks the schema.
 */
public final class ProtocolCodec {

    private static final int MAX_NESTING = 32;
    private static final AppSpecParser APP_SPECS = new AppSpecParser();

    /** How {@link #encode} checks a payload before it is sent. */
    public enum SenderCheck {
        /** Decode the encoded bytes again, JSON Schema included; refuses anything a receiver would reject. */
        SCHEMA,
        /**
         * Size limit, {@code v} equal to the protocol version, a valid {@code deviceId} when present, and
         * 1 to {@link dev.fleetlet.protocol.message.TelemetryBatch#MAX_READINGS} readings in a telemetry
         * batch; no schema. The receiver still validates everything.
         */
        STRUCTURAL
    }

    private final ObjectMapper mapper;
    private final SenderCheck senderCheck;
    private final Map<MessageType<?>, JsonSchema> schemas = new ConcurrentHashMap<>();
    private final DesiredStateEncoder desiredStates;

    /** A codec whose {@link #encode} checks the full schema ({@link SenderCheck#SCHEMA}). */
    public ProtocolCodec() {
        this(SenderCheck.SCHEMA);
    }

    /** A codec whose {@link #encode} checks payloads as {@code senderCheck} says; decoding is the same. */
    public ProtocolCodec(SenderCheck senderCheck) {
        this.mapper = newMapper();
        this.senderCheck = java.util.Objects.requireNonNull(senderCheck, "senderCheck");
        this.desiredStates = new DesiredStateEncoder(this, mapper);
    }

    private JsonSchema schema(MessageType<?> type) {
        return schemas.computeIfAbsent(type, ProtocolCodec::loadSchema);
    }

    private static JsonSchema loadSchema(MessageType<?> type) {
        try (InputStream in = ProtocolCodec.class.getResourceAsStream(type.schemaResource())) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing: " + type.schemaResource());
            }
            return SchemaHolder.FACTORY.getSchema(in, SchemaHolder.CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + type.schemaResource(), e);
        }
    }

    /** The validator library is loaded with this class, on the first schema check. */
    private static final class SchemaHolder {
        static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        static final SchemaValidatorsConfig CONFIG =
                SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    }

    /** The Jackson mapper configured for the protocol: ISO-8601 instants, nulls omitted, unknown fields ignored. */
    public static ObjectMapper newMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING).maxStringLength(256 * 1024).build());
        return mapper;
    }

    /** The mapper this codec uses, for callers that embed protocol records in other JSON. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Encodes a message. Throws {@link IllegalArgumentException} when the result breaks the message's
     * schema or size limit ({@link SenderCheck#SCHEMA}), or only its structural rules
     * ({@link SenderCheck#STRUCTURAL}): a sender must never put an invalid payload on the wire.
     */
    public <T> byte[] encode(MessageType<T> type, T message) {
        if (senderCheck == SenderCheck.STRUCTURAL) {
            return encodeStructural(type, message);
        }
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + type + ": " + e.getOriginalMessage(), e);
        }
        Decoded<T> check = decode(type, bytes);
        if (check instanceof Decoded.Rejected<T> rejected) {
            throw new IllegalArgumentException("refusing to send invalid " + type + ": " + rejected.rejection());
        }
        return bytes;
    }

    /**
     * Encodes a desired state for publishing to many devices: the same bytes and the same refusals as
     * {@code encode(MessageType.DESIRED_STATE, state)} with {@link SenderCheck#SCHEMA}, at a fraction of the
     * cost. The release is checked in full (JSON Schema and app spec) and serialised once per release object;
     * each state's own fields (v, deviceId, generation, issuedAt, config) are checked by the schema's rules
     * for them, and the release's JSON is spliced into the envelope. A release must therefore not be changed
     * after it was first encoded (releases are immutable); another object under the same id is checked again.
     * Applies whatever this codec's {@link SenderCheck} is.
     *
     * @throws IllegalArgumentException naming the field when the state or its release breaks the schema, the
     *     app spec rules or the size limit
     */
    public byte[] encodeDesiredState(dev.fleetlet.protocol.message.DesiredState state) {
        return desiredStates.encode(state);
    }

    private <T> byte[] encodeStructural(MessageType<T> type, T message) {
        JsonNode tree = mapper.valueToTree(message);
        if (type.versioned()) {
            JsonNode v = tree.get("v");
            if (v == null || !v.isInt() || v.intValue() != Topics.VERSION) {
                throw refusal(type, Rejection.Reason.UNSUPPORTED_VERSION, "/v",
                        "v: expected protocol version " + Topics.VERSION + ", got " + v);
            }
        }
        JsonNode deviceId = tree.get("deviceId");
        if (deviceId != null && !(deviceId.isTextual() && Topics.isValidDeviceId(deviceId.textValue()))) {
            throw refusal(type, Rejection.Reason.SCHEMA_VIOLATION, "/deviceId",
                    "deviceId: not a valid device id: " + deviceId);
        }
        if (type == MessageType.TELEMETRY) {
            JsonNode readings = tree.get("readings");
            int n = readings == null ? 0 : readings.size();
            if (n < 1 || n > dev.fleetlet.protocol.message.TelemetryBatch.MAX_READINGS) {
                throw refusal(type, Rejection.Reason.SCHEMA_VIOLATION, "/readings",
                        "readings: expected 1 to " + dev.fleetlet.protocol.message.TelemetryBatch.MAX_READINGS
                                + " readings, got " + n);
            }
        }
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + type + ": " + e.getOriginalMessage(), e);
        }
        if (bytes.length > type.maxBytes()) {
            throw refusal(type, Rejection.Reason.TOO_LARGE, "",
                    type + " payload is " + bytes.length + " bytes, limit is " + type.maxBytes());
        }
        return bytes;
    }

    private static IllegalArgumentException refusal(MessageType<?> type, Rejection.Reason reason, String field,
                                                    String message) {
        return new IllegalArgumentException("refusing to send invalid " + type + ": "
                + new Rejection(reason, field, message));
    }

    /**
     * Decodes an untrusted payload. Never throws.
     *
     * @return {@link Decoded.Ok} with the record, or {@link Decoded.Rejected} with the reason, a JSON
     *     Pointer to the offending field ({@code ""} for the whole payload) and a message naming it
     */
    public <T> Decoded<T> decode(MessageType<T> type, byte[] payload) {
        if (payload == null || payload.length == 0) {
            return rejected(Rejection.Reason.MALFORMED_JSON, "", type + " payload is empty");
        }
        if (payload.length > type.maxBytes()) {
            return rejected(Rejection.Reason.TOO_LARGE, "",
                    type + " payload is " + payload.length + " bytes, limit is " + type.maxBytes());
        }
        ByteBuffer bytes = ByteBuffer.wrap(payload);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            return rejected(Rejection.Reason.MALFORMED_JSON, "",
                    type + " payload is not valid UTF-8: bad byte sequence at offset " + bytes.position());
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(text);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            return rejected(Rejection.Reason.MALFORMED_JSON, "", "not valid JSON: " + detail);
        }
        if (tree == null || tree.isMissingNode() || !tree.isObject()) {
            return rejected(Rejection.Reason.MALFORMED_JSON, "", type + " payload must be a JSON object");
        }
        if (type.versioned()) {
            JsonNode v = tree.get("v");
            if (v == null || !v.isInt()) {
                return rejected(Rejection.Reason.UNSUPPORTED_VERSION, "/v",
                        "v: required integer protocol version, expected " + Topics.VERSION);
            }
            if (v.intValue() != Topics.VERSION) {
                return rejected(Rejection.Reason.UNSUPPORTED_VERSION, "/v",
                        "v: unsupported protocol version " + v.intValue() + ", expected " + Topics.VERSION);
            }
        }
        Set<ValidationMessage> errors;
        try {
            errors = schema(type).validate(tree);
        } catch (RuntimeException e) {
            return rejected(Rejection.Reason.SCHEMA_VIOLATION, "", "schema validation failed: " + e.getMessage());
        }
        if (!errors.isEmpty()) {
            ValidationMessage first = errors.stream()
                    .min(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                            .thenComparing(ProtocolCodec::isConditional)
                            .thenComparing(ValidationMessage::getMessage))
                    .orElseThrow();
            return rejected(Rejection.Reason.SCHEMA_VIOLATION, pointer(first), describe(first));
        }
        if (type == MessageType.DESIRED_STATE) {
            Rejection bad = checkAppSpec(tree.get("release"));
            if (bad != null) {
                return new Decoded.Rejected<>(bad);
            }
        }
        try {
            return new Decoded.Ok<>(mapper.treeToValue(tree, type.type()));
        } catch (JsonMappingException e) {
            String field = bindingPointer(e);
            String name = field.isEmpty() ? "(payload)" : field.substring(1).replace('/', '.');
            return rejected(Rejection.Reason.SCHEMA_VIOLATION, field, name + ": " + bindingDetail(e));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            return rejected(Rejection.Reason.SCHEMA_VIOLATION, "", type + ": " + detail);
        }
    }

    /**
     * Validates {@code release.spec} with the app spec parser (the schema only says it is an object);
     * the release name stands in for a missing spec name. Returns the first problem, or null.
     */
    private static Rejection checkAppSpec(JsonNode release) {
        if (release == null || !release.isObject() || !release.has("spec")) {
            return null;
        }
        ParseResult parsed = APP_SPECS.parseJson(release.get("spec"), release.path("name").asText(null));
        if (parsed.isOk()) {
            return null;
        }
        Problem first = parsed.problems().get(0);
        String more = parsed.problems().size() > 1 ? " (and " + (parsed.problems().size() - 1) + " more)" : "";
        String dotted = first.path().isEmpty() ? "release.spec" : "release.spec." + first.path();
        String field = "/release/spec" + (first.path().isEmpty() ? ""
                : "/" + escape(first.path()).replace(".", "/").replace("[", "/").replace("]", ""));
        return new Rejection(Rejection.Reason.SCHEMA_VIOLATION, field, dotted + ": " + first.message() + more);
    }

    /**
     * Decodes a payload that arrived on a device's own topic and checks that its {@code deviceId}
     * field, when the message type has one, names that device: a device must not speak for another.
     * Never throws.
     *
     * @param expectedDeviceId the device id taken from the topic or the authenticated client
     * @return as {@link #decode(MessageType, byte[])}; additionally rejected with field
     *     {@code /deviceId} when the payload names a different device
     */
    public <T> Decoded<T> decode(MessageType<T> type, String expectedDeviceId, byte[] payload) {
        Decoded<T> decoded = decode(type, payload);
        if (!(decoded instanceof Decoded.Ok<T> ok)) {
            return decoded;
        }
        JsonNode id = mapper.valueToTree(ok.value()).get("deviceId");
        if (id != null && !id.asText().equals(expectedDeviceId)) {
            return rejected(Rejection.Reason.SCHEMA_VIOLATION, "/deviceId", "deviceId: '" + id.asText()
                    + "' does not match the sending device '" + expectedDeviceId + "'");
        }
        return decoded;
    }

    /** Decodes a UTF-8 string; see {@link #decode(MessageType, byte[])}. */
    public <T> Decoded<T> decode(MessageType<T> type, String payload) {
        return decode(type, payload == null ? null : payload.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a schema error comes from an if/then/else branch, which is reported after direct errors. */
    private static boolean isConditional(ValidationMessage m) {
        String path = String.valueOf(m.getEvaluationPath());
        return path.contains(".then") || path.contains(".else") || path.contains("/then") || path.contains("/else");
    }

    private static String bindingPointer(JsonMappingException e) {
        StringBuilder p = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            p.append('/');
            if (ref.getFieldName() != null) {
                p.append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else if (ref.getIndex() >= 0) {
                p.append(ref.getIndex());
            }
        }
        return p.toString();
    }

    private static String bindingDetail(JsonMappingException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
            return cause.getMessage();
        }
        String detail = e.getOriginalMessage();
        int nl = detail == null ? -1 : detail.indexOf('\n');
        return nl >= 0 ? detail.substring(0, nl) : String.valueOf(detail);
    }

    /** The JSON Pointer of the offending field; for a missing required property, the property itself. */
    private static String pointer(ValidationMessage m) {
        StringBuilder p = new StringBuilder();
        JsonNodePath location = m.getInstanceLocation();
        for (int i = 0; i < location.getNameCount(); i++) {
            p.append('/').append(escape(String.valueOf(location.getElement(i))));
        }
        if (m.getProperty() != null && "required".equals(m.getType())) {
            p.append('/').append(escape(m.getProperty()));
        }
        return p.toString();
    }

    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    /** "readings.0.value: string found, number expected": the field in dotted form, then the validator's words. */
    private static String describe(ValidationMessage m) {
        String at = pointer(m);
        String name = at.isEmpty() ? "(payload)" : at.substring(1).replace('/', '.');
        String msg = m.getMessage();
        String location = m.getInstanceLocation().toString();
        String detail = msg.startsWith(location + ": ") ? msg.substring(location.length() + 2) : msg;
        return name + ": " + detail;
    }

    private static <T> Decoded<T> rejected(Rejection.Reason reason, String field, String message) {
        return new Decoded.Rejected<>(new Rejection(reason, field, message));
    }
}
