package dev.fleetlet.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.fleetlet.protocol.golden.GoldenPayloads;
import dev.fleetlet.protocol.golden.GoldenPayloads.Golden;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Byte-wise mutation of the golden payloads with a fixed seed: decode must never throw. */
class CodecFuzzTest {

    private static final ProtocolCodec CODEC = new ProtocolCodec();
    private static final byte[] INTERESTING = "{}[]\":,0-.eE\\ \u0000nultrfas".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    @Test
    void decodeNeverThrowsOnMutatedGoldenPayloads() {
        // given
        Random random = new Random(20250314L);
        List<Golden> goldens = GoldenPayloads.all();
        int rejected = 0;
        int iterations = 5000;

        // when
        for (int i = 0; i < iterations; i++) {
            Golden golden = goldens.get(random.nextInt(goldens.size()));
            byte[] mutated = mutate(golden.bytes(), random);
            Decoded<?>[] result = new Decoded<?>[1];
            assertThatCode(() -> result[0] = CODEC.decode(golden.type(), mutated))
                    .as("iteration %d on %s: %s", i, golden, new String(mutated, java.nio.charset.StandardCharsets.UTF_8))
                    .doesNotThrowAnyException();
            // then
            assertThat(result[0]).isNotNull();
            if (!result[0].isOk()) {
                rejected++;
                assertThat(result[0].rejection().message()).isNotBlank();
            }
        }
        System.out.println("fuzz iterations=" + iterations + " rejected=" + rejected);
        assertThat(rejected).as("mutations must mostly produce rejections").isGreaterThan(iterations / 2);
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int kind = random.nextInt(4);
            int at = random.nextInt(bytes.length);
            switch (kind) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                case 2 -> bytes = java.util.Arrays.copyOf(bytes, Math.max(0, at));
                default -> {
                    byte[] grown = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, grown, 0, at);
                    grown[at] = INTERESTING[random.nextInt(INTERESTING.length)];
                    System.arraycopy(bytes, at, grown, at + 1, bytes.length - at);
                    bytes = grown;
                }
            }
            if (bytes.length == 0) {
                return bytes;
            }
        }
        return bytes;
    }
}
