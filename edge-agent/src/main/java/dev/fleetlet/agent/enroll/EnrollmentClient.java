package dev.fleetlet.agent.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.Decoded;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.EnrollmentRequest;
import dev.fleetlet.protocol.message.EnrollmentResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * One {@code POST /api/v1/enroll} call with the JDK HTTP client, mapped to an {@link EnrollOutcome}.
 * Never throws for server or network trouble; only interruption propagates.
 */
public final class EnrollmentClient {

    private final HttpClient http;
    private final URI endpoint;
    private final Duration requestTimeout;
    private final ProtocolCodec codec;

    /**
     * @param serverUrl      the server's base URL ({@code https://fleet.example:8443})
     * @param sslContext     trust for HTTPS (the provisioning CA), or empty for the JDK defaults
     * @param requestTimeout timeout of the whole request
     */
    public EnrollmentClient(URI serverUrl, Optional<SSLContext> sslContext, Duration requestTimeout,
                            ProtocolCodec codec) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        sslContext.ifPresent(b::sslContext);
        this.http = b.build();
        String base = serverUrl.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base + "/api/v1/enroll");
        this.requestTimeout = requestTimeout;
        this.codec = codec;
    }

    public EnrollOutcome enroll(EnrollmentRequest request) throws InterruptedException {
        byte[] body = codec.encode(MessageType.ENROLLMENT_REQUEST, request);
        HttpRequest httpRequest = HttpRequest.newBuilder(endpoint).timeout(requestTimeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return new EnrollOutcome.Unavailable("cannot reach " + endpoint + ": " + e);
        }
        int status = response.statusCode();
        return switch (status) {
            case 200, 202 -> accepted(status, request, response.body());
            case 400 -> new EnrollOutcome.Refused(400, "the server rejected the enrollment request as invalid (a bug "
                    + "in agent or server): " + problem(response.body()));
            case 401 -> new EnrollOutcome.Refused(401, "the provisioning token is unknown, expired, revoked or used "
                    + "up; put a valid token in the provisioning file: " + problem(response.body()));
            case 403 -> new EnrollOutcome.Refused(403, "serial " + request.serial() + " is not on the fleet's "
                    + "allowlist; an operator must add it: " + problem(response.body()));
            default -> new EnrollOutcome.Unavailable("HTTP " + status + " from " + endpoint);
        };
    }

    private EnrollOutcome accepted(int status, EnrollmentRequest request, byte[] body) {
        Decoded<EnrollmentResponse> decoded = codec.decode(MessageType.ENROLLMENT_RESPONSE, body);
        if (!decoded.isOk()) {
            return new EnrollOutcome.Unavailable("unreadable enrollment answer: " + decoded.rejection());
        }
        EnrollmentResponse r = decoded.orElseThrow();
        if (r.status() == EnrollmentResponse.Status.PENDING || status == 202) {
            int seconds = r.retryAfterSeconds() == null ? 60 : r.retryAfterSeconds();
            return new EnrollOutcome.Pending(Duration.ofSeconds(seconds));
        }
        if (!Topics.isValidDeviceId(r.deviceId()) || r.mqttUri() == null) {
            return new EnrollOutcome.Unavailable("accepted enrollment without a valid deviceId and mqttUri");
        }
        return new EnrollOutcome.Accepted(new DeviceCredentials(r.deviceId(), request.deviceSecret(),
                URI.create(r.mqttUri()), request.serial(), r.serverTime()), r.certificateChain());
    }

    private String problem(byte[] body) {
        try {
            JsonNode node = codec.mapper().readTree(body);
            if (node != null && node.hasNonNull("detail")) {
                return node.get("detail").asText();
            }
            if (node != null && node.hasNonNull("title")) {
                return node.get("title").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not problem+json: fall through
        }
        return "(no detail)";
    }
}
