package dev.fleetlet.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.message.EnrollmentRequest;
import dev.fleetlet.protocol.message.EnrollmentResponse;
import dev.fleetlet.protocol.message.HardwareFacts;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optional certificate fields of enrollment: additive, validated, and absent from password-only messages. */
class EnrollmentCertificateFieldsTest {

    private static final ProtocolCodec CODEC = new ProtocolCodec();
    private static final HardwareFacts HW = new HardwareFacts("SER-1", "Raspberry Pi 4", "arm64", "v8", 4096, "6.6",
            "Debian 12", "1.0.0", List.of());
    private static final String CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";

    @Test
    void aRequestWithACsrRoundTrips() {
        // given a request carrying a CSR
        EnrollmentRequest request = new EnrollmentRequest("t".repeat(20), "SER-1", "s".repeat(40), HW, CSR);
        // when encoded and decoded
        Decoded<EnrollmentRequest> back = CODEC.decode(MessageType.ENROLLMENT_REQUEST,
                CODEC.encode(MessageType.ENROLLMENT_REQUEST, request));
        // then the CSR survives
        assertThat(back.orElseThrow().csr()).isEqualTo(CSR);
    }

    @Test
    void aPasswordOnlyRequestHasNoCsrOnTheWire() {
        // given the four-argument (password-only) request
        EnrollmentRequest request = new EnrollmentRequest("t".repeat(20), "SER-1", "s".repeat(40), HW);
        // when encoded
        String json = new String(CODEC.encode(MessageType.ENROLLMENT_REQUEST, request), StandardCharsets.UTF_8);
        // then the field is left out, as older servers expect
        assertThat(json).doesNotContain("csr");
    }

    @Test
    void aCsrThatIsNotPemIsRejectedNamingTheField() {
        // given a body whose csr is not PEM
        String body = "{\"token\":\"tttttttttttttttttttt\",\"serial\":\"SER-1\",\"deviceSecret\":\"" + "s".repeat(40)
                + "\",\"hardware\":{\"serial\":\"SER-1\",\"model\":\"m\",\"arch\":\"arm64\",\"memoryMb\":1,\"kernel\":\"k\","
                + "\"os\":\"o\",\"agentVersion\":\"1\"},\"csr\":\"garbage\"}";
        // when decoded
        Decoded<EnrollmentRequest> decoded = CODEC.decode(MessageType.ENROLLMENT_REQUEST, body.getBytes(StandardCharsets.UTF_8));
        // then it is rejected at /csr
        assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
        assertThat(((Decoded.Rejected<EnrollmentRequest>) decoded).rejection().field()).isEqualTo("/csr");
    }

    @Test
    void anAcceptedAnswerCarriesTheChain() {
        // given an accepted answer with a certificate chain
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        EnrollmentResponse response = new EnrollmentResponse(EnrollmentResponse.Status.ACCEPTED, "dev-abc123", "ssl://h:8883",
                Instant.parse("2026-01-01T00:00:00Z"), null, List.of(pem, pem));
        // when encoded and decoded
        Decoded<EnrollmentResponse> back = CODEC.decode(MessageType.ENROLLMENT_RESPONSE,
                CODEC.encode(MessageType.ENROLLMENT_RESPONSE, response));
        // then the chain is intact
        assertThat(back.orElseThrow().certificateChain()).containsExactly(pem, pem);
    }
}
