package dev.fleetlet.protocol.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.Release;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The fast path of {@link ProtocolCodec#encodeDesiredState}: a release is checked against the full schema and
 * the app spec parser once and serialised once ({@link Prepared}); every desired state naming it is written as
 * an envelope with those bytes spliced in, and the envelope's own fields are checked by the same rules the
 * schema states for them (no schema run, no decode). A release that is not the very object prepared before
 * (compared by identity, under its id) is prepared again, so a changed release is never sent unchecked.
 */
final class DesiredStateEncoder {

    /** Releases kept prepared; beyond this the cache starts over (releases are few, this is a leak guard). */
    static final int MAX_PREPARED = 256;

    /** The schema's {@code config} rules. */
    static final int MAX_CONFIG_ENTRIES = 256;
    static final int MAX_CONFIG_VALUE_LENGTH = 4096;
    private static final Pattern CONFIG_KEY = Pattern.compile("^[A-Za-z0-9_.-]{1,128}$");
    /** The schema's {@code generation} maximum (2^53 - 1, the largest integer JSON readers agree on). */
    static final long MAX_GENERATION = 9007199254740991L;
    /** RFC 3339 years: an instant outside them has no valid {@code date-time} string. */
    private static final Instant MIN_ISSUED_AT = Instant.parse("0000-01-01T00:00:00Z");
    private static final Instant MAX_ISSUED_AT = Instant.parse("9999-12-31T23:59:59.999999999Z");
    /** A device id for the one full check of a release (any valid id does: the check is about the release). */
    private static final String CHECK_DEVICE = "release-check";

    /** A release that passed the full check, and its JSON. */
    record Prepared(Release release, String json) {
    }

    private final ProtocolCodec codec;
    private final ObjectMapper mapper;
    private final Map<String, Prepared> prepared = new ConcurrentHashMap<>();

    DesiredStateEncoder(ProtocolCodec codec, ObjectMapper mapper) {
        this.codec = codec;
        this.mapper = mapper;
    }

    byte[] encode(DesiredState state) {
        if (state == null) {
            throw new IllegalArgumentException("refusing to send invalid " + MessageType.DESIRED_STATE
                    + ": state is null");
        }
        if (!plainStrings(state.config())) {
            // unpaired surrogates: leave the verdict to the full check rather than guess how they are written
            return codec.encode(MessageType.DESIRED_STATE, state);
        }
        checkEnvelope(state);
        Prepared release = state.release() == null ? null : prepared(state.release());
        byte[] bytes = write(state, release);
        if (bytes.length > MessageType.DESIRED_STATE.maxBytes()) {
            throw refusal(Rejection.Reason.TOO_LARGE, "", MessageType.DESIRED_STATE + " payload is " + bytes.length
                    + " bytes, limit is " + MessageType.DESIRED_STATE.maxBytes());
        }
        return bytes;
    }

    /** The prepared form of {@code release}: from the cache when it is the same object, else checked now. */
    Prepared prepared(Release release) {
        String key = String.valueOf(release.id());
        Prepared p = prepared.get(key);
        if (p != null && p.release() == release) {
            return p;
        }
        p = prepare(release);
        if (prepared.size() >= MAX_PREPARED) {
            prepared.clear();
        }
        prepared.put(key, p);
        return p;
    }

    /** Runs the full check (schema, app spec) on a desired state carrying {@code release}; serialises it once. */
    private Prepared prepare(Release release) {
        String json;
        byte[] check;
        try {
            json = mapper.writeValueAsString(release);
            check = mapper.writeValueAsBytes(new DesiredState(Topics.VERSION, CHECK_DEVICE, 1, Instant.EPOCH, release,
                    Map.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + MessageType.DESIRED_STATE + ": "
                    + e.getOriginalMessage(), e);
        }
        // the full check whatever the codec's sender check; the envelope around the release is valid, so a
        // rejection names a field of the release
        if (codec.decode(MessageType.DESIRED_STATE, check) instanceof Decoded.Rejected<DesiredState> rejected) {
            throw new IllegalArgumentException("refusing to send invalid " + MessageType.DESIRED_STATE + ": "
                    + rejected.rejection());
        }
        return new Prepared(release, json);
    }

    private static void checkEnvelope(DesiredState s) {
        if (s.v() != Topics.VERSION) {
            throw refusal(Rejection.Reason.UNSUPPORTED_VERSION, "/v",
                    "v: unsupported protocol version " + s.v() + ", expected " + Topics.VERSION);
        }
        if (s.deviceId() == null) {
            throw refusal(Rejection.Reason.SCHEMA_VIOLATION, "/deviceId", "deviceId: required property is missing");
        }
        if (!Topics.isValidDeviceId(s.deviceId())) {
            throw refusal(Rejection.Reason.SCHEMA_VIOLATION, "/deviceId",
                    "deviceId: not a valid device id: '" + s.deviceId() + "'");
        }
        if (s.generation() < 1 || s.generation() > MAX_GENERATION) {
            throw refusal(Rejection.Reason.SCHEMA_VIOLATION, "/generation",
                    "generation: must be between 1 and " + MAX_GENERATION + ", was " + s.generation());
        }
        if (s.issuedAt() == null) {
            throw refusal(Rejection.Reason.SCHEMA_VIOLATION, "/issuedAt", "issuedAt: required property is missing");
        }
        if (s.issuedAt().isBefore(MIN_ISSUED_AT) || s.issuedAt().isAfter(MAX_ISSUED_AT)) {
            throw refusal(Rejection.Reason.SCHEMA_VIOLATION, "/issuedAt",
                    "issuedAt: not a date-time with a four-digit year: " + s.issuedAt());
        }
        Map<String, String> config = s.config();
        if (config.size() > MAX_CONFIG_ENTRIES) {
            throw refusal(Rejection.Reason.SCHEMA_VIOLATION, "/config",
                    "config: at most " + MAX_CONFIG_ENTRIES + " entries, has " + config.size());
        }
        for (Map.Entry<String, String> e : config.entrySet()) {
            if (!CONFIG_KEY.matcher(e.getKey()).matches()) {
                throw refusal(Rejection.Reason.SCHEMA_VIOLATION, "/config",
                        "config: key '" + e.getKey() + "' must match " + CONFIG_KEY.pattern());
            }
            String v = e.getValue();
            if (v.length() > MAX_CONFIG_VALUE_LENGTH && v.codePointCount(0, v.length()) > MAX_CONFIG_VALUE_LENGTH) {
                throw refusal(Rejection.Reason.SCHEMA_VIOLATION, "/config/" + e.getKey(),
                        "config." + e.getKey() + ": at most " + MAX_CONFIG_VALUE_LENGTH + " characters");
            }
        }
    }

    /** Whether every config string is free of surrogates (the common case; keys are ASCII by rule anyway). */
    private static boolean plainStrings(Map<String, String> config) {
        for (Map.Entry<String, String> e : config.entrySet()) {
            if (hasSurrogate(e.getKey()) || hasSurrogate(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Writes the envelope in the record's field order, as the mapper writes a {@link DesiredState}. */
    private byte[] write(DesiredState s, Prepared release) {
        int size = 160 + (release == null ? 0 : release.json().length()) + 48 * s.config().size();
        try (ByteArrayBuilder out = new ByteArrayBuilder(size);
             JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", s.v());
            g.writeStringField("deviceId", s.deviceId());
            g.writeNumberField("generation", s.generation());
            g.writeFieldName("issuedAt");
            mapper.writeValue(g, s.issuedAt());
            if (release != null) {
                g.writeFieldName("release");
                g.writeRawValue(release.json());
            }
            g.writeObjectFieldStart("config");
            for (Map.Entry<String, String> e : s.config().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode " + MessageType.DESIRED_STATE + ": " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException refusal(Rejection.Reason reason, String field, String message) {
        return new IllegalArgumentException("refusing to send invalid " + MessageType.DESIRED_STATE + ": "
                + new Rejection(reason, field, message));
    }
}
