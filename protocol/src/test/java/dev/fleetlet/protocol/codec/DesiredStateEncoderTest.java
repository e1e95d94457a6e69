package dev.fleetlet.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.Release;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ProtocolCodec#encodeDesiredState}: the release checked once and spliced in, the envelope checked by the
 * schema's rules. It must give exactly the bytes of the full-check {@code encode}, which the validating decoder
 * accepts, and refuse exactly what {@code encode} refuses.
 */
class DesiredStateEncoderTest {

    private static final ObjectMapper MAPPER = ProtocolCodec.newMapper();
    private static final Instant AT = Instant.parse("2026-11-26T02:50:00.123456789Z");

    private static Release release(String id, String spec) {
        try {
            return new Release(id, "hub", "2.0", MAPPER.readTree(spec));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final Release GOOD = release("hub-2.0", """
            {"name":"hub","services":{"web":{"image":"registry.local/fleetlet/hub@sha256:%s",
             "environment":{"MODE":"prod","GREETING":"grüß dich \\"quoted\\" \\u00e9"},"mem_limit":"64m"}}}
            """.formatted("a".repeat(64)));
    private static final Release BAD_SPEC = release("hub-bad", """
            {"services":{"web":{"image":"nginx","ports":["80:80"]}}}""");

    static Stream<Arguments> validStates() {
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 256; i++) {
            many.put("key." + i, "value-" + i);
        }
        return Stream.of(
                Arguments.of("with release", new DesiredState(1, "pi-kitchen-01", 7, AT, GOOD, Map.of("interval", "10"))),
                Arguments.of("no release", new DesiredState(1, "pi-kitchen-01", 1, AT, null, Map.of())),
                Arguments.of("largest generation", new DesiredState(1, "abc", 9007199254740991L,
                        Instant.parse("2025-01-01T00:00:00Z"), GOOD, Map.of())),
                Arguments.of("256 config entries", new DesiredState(1, "pi-01", 3, AT, GOOD, many)),
                Arguments.of("escapes and unicode in config", new DesiredState(1, "pi-01", 3, AT, GOOD,
                        Map.of("msg", "line\nbreak \"q\" \\ \u0001 ☃ 𝄞", "empty", ""))),
                Arguments.of("4096 characters value", new DesiredState(1, "pi-01", 3, AT, null,
                        Map.of("big", "𝄞".repeat(4096)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validStates")
    void writesTheSameBytesAsTheFullCheckAndTheValidatingDecoderAcceptsThem(String name, DesiredState state)
            throws Exception {
        // given
        ProtocolCodec codec = new ProtocolCodec();

        // when
        byte[] fast = codec.encodeDesiredState(state);
        byte[] again = codec.encodeDesiredState(state);

        // then
        assertThat(fast).isEqualTo(codec.encode(MessageType.DESIRED_STATE, state));
        assertThat(again).isEqualTo(fast);
        Decoded<DesiredState> decoded = new ProtocolCodec().decode(MessageType.DESIRED_STATE, fast);
        assertThat(decoded.isOk()).as("%s", decoded).isTrue();
        assertThat(decoded.orElseThrow().deviceId()).isEqualTo(state.deviceId());
        assertThat(decoded.orElseThrow().generation()).isEqualTo(state.generation());
        assertThat(decoded.orElseThrow().config()).isEqualTo(state.config());
        JsonNode tree = MAPPER.readTree(fast);
        assertThat(tree.path("release")).isEqualTo(state.release() == null ? MAPPER.missingNode()
                : MAPPER.valueToTree(state.release()));
    }

    static Stream<Arguments> invalidStates() {
        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i < 257; i++) {
            tooMany.put("k" + i, "v");
        }
        return Stream.of(
                Arguments.of("generation 0", new DesiredState(1, "pi-01", 0, AT, GOOD, Map.of()), "/generation"),
                Arguments.of("generation above 2^53-1", new DesiredState(1, "pi-01", 9007199254740992L, AT, GOOD, Map.of()),
                        "/generation"),
                Arguments.of("protocol version 2", new DesiredState(2, "pi-01", 1, AT, GOOD, Map.of()), "/v"),
                Arguments.of("device id with capitals", new DesiredState(1, "Pi-01", 1, AT, GOOD, Map.of()), "/deviceId"),
                Arguments.of("no device id", new DesiredState(1, null, 1, AT, GOOD, Map.of()), "/deviceId"),
                Arguments.of("no issuedAt", new DesiredState(1, "pi-01", 1, null, GOOD, Map.of()), "/issuedAt"),
                Arguments.of("config key with a space", new DesiredState(1, "pi-01", 1, AT, GOOD, Map.of("a b", "1")),
                        "/config"),
                Arguments.of("257 config entries", new DesiredState(1, "pi-01", 1, AT, GOOD, tooMany), "/config"),
                Arguments.of("config value of 4097 characters", new DesiredState(1, "pi-01", 1, AT, GOOD,
                        Map.of("big", "x".repeat(4097))), "/config/big"),
                Arguments.of("unsupported spec key", new DesiredState(1, "pi-01", 1, AT, BAD_SPEC, Map.of()),
                        "/release/spec/services/web/ports"),
                Arguments.of("release id with a slash", new DesiredState(1, "pi-01", 1, AT,
                        new Release("a/b", "hub", "1", GOOD.spec()), Map.of()), "/release/id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidStates")
    void refusesWhatTheFullCheckRefusesNamingTheField(String name, DesiredState state, String field) {
        // given
        ProtocolCodec codec = new ProtocolCodec();

        // when
        Throwable fast = catchThrowable(() -> codec.encodeDesiredState(state));
        Throwable full = catchThrowable(() -> codec.encode(MessageType.DESIRED_STATE, state));

        // then
        assertThat(full).as("the full check refuses it too").isInstanceOf(IllegalArgumentException.class);
        assertThat(fast).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("refusing to send invalid desired-state")
                .hasMessageContaining("at '" + field);
    }

    @Test
    void refusesAPayloadOverTheSizeLimit() {
        // given 256 values of 4,096 characters: each value is valid, together they exceed the topic's limit
        Map<String, String> big = new HashMap<>();
        for (int i = 0; i < 256; i++) {
            big.put("k" + i, "x".repeat(4096));
        }
        DesiredState state = new DesiredState(1, "pi-01", 1, AT, GOOD, big);

        // then
        assertThatThrownBy(() -> new ProtocolCodec().encodeDesiredState(state))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TOO_LARGE");
        assertThatThrownBy(() -> new ProtocolCodec().encode(MessageType.DESIRED_STATE, state))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checksAnotherReleaseObjectUnderAnIdAlreadyPrepared() {
        // given a valid release already encoded once (prepared and cached)
        ProtocolCodec codec = new ProtocolCodec();
        codec.encodeDesiredState(new DesiredState(1, "pi-01", 1, AT, GOOD, Map.of()));
        Release sameIdBadSpec = new Release(GOOD.id(), GOOD.name(), GOOD.version(), BAD_SPEC.spec());

        // when / then the new object is checked, not taken from the cache
        assertThatThrownBy(() -> codec.encodeDesiredState(new DesiredState(1, "pi-01", 2, AT, sameIdBadSpec, Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/release/spec/services/web/ports");
        // and an invalid release is refused every time, never cached as good
        assertThatThrownBy(() -> codec.encodeDesiredState(new DesiredState(1, "pi-01", 3, AT, sameIdBadSpec, Map.of())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void checksTheReleaseInFullEvenInAStructuralCodec() {
        ProtocolCodec structural = new ProtocolCodec(ProtocolCodec.SenderCheck.STRUCTURAL);
        assertThatThrownBy(() -> structural.encodeDesiredState(new DesiredState(1, "pi-01", 1, AT, BAD_SPEC, Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/release/spec/services/web/ports");
    }

    @Test
    void agreesWithTheFullCheckOnRandomConfigs() {
        // given random keys and values from an alphabet mixing valid and invalid key characters
        ProtocolCodec codec = new ProtocolCodec();
        Random random = new Random(42);
        String alphabet = "aZ09_.-  /ü\"\\\n";
        for (int round = 0; round < 300; round++) {
            Map<String, String> config = new HashMap<>();
            int entries = random.nextInt(4);
            for (int i = 0; i < entries; i++) {
                config.put(randomString(random, alphabet, 1 + random.nextInt(6)), randomString(random, alphabet,
                        random.nextInt(8)));
            }
            DesiredState state = new DesiredState(1, "pi-" + round, 1 + random.nextInt(3) - 1, AT,
                    random.nextBoolean() ? GOOD : null, config);

            // when
            byte[] full = null;
            byte[] fast = null;
            try {
                full = codec.encode(MessageType.DESIRED_STATE, state);
            } catch (IllegalArgumentException refused) {
                // compared below
            }
            try {
                fast = codec.encodeDesiredState(state);
            } catch (IllegalArgumentException refused) {
                // compared below
            }

            // then
            assertThat(fast).as("round %d: %s", round, state).isEqualTo(full);
        }
    }

    private static String randomString(Random random, String alphabet, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
