package dev.fleetlet.agent.enroll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.EnrollmentRequest;
import dev.fleetlet.protocol.message.EnrollmentResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * One {@code POST /api/v1/enroll} call, mapped to an {@link EnrollOutcome}. Never throws for server or network
 * trouble; only interruption propagates (checked before and after the request, which is bounded by its timeout).
 *
 * <p>It uses {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: for one request on a first boot the
 * HttpClient's selector thread, executor and class loading cost ~0.27 s of CPU against ~0.01 s (measured on the dev
 * machine, docs/benchmarks.md "agent"), on the path to the device's first telemetry. Host names of HTTPS servers
 * are verified against their certificate as with any {@link HttpsURLConnection}.
 *
 * <p>The answer is read with the codec's JSON mapper and checked field by field (status, a valid device id, an
 * absolute MQTT URI, the certificate chain as a list of strings) rather than through the JSON Schema validator,
 * whose first use costs another ~0.2 s of CPU; anything else in the answer is ignored, as the schema allows.
 */
public final class EnrollmentClient {

    private final Optional<SSLContext> sslContext;
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
        this.sslContext = sslContext;
        String base = serverUrl.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base + "/api/v1/enroll");
        this.requestTimeout = requestTimeout;
        this.codec = codec;
    }

    public EnrollOutcome enroll(EnrollmentRequest request) throws InterruptedException {
        byte[] body = codec.encode(MessageType.ENROLLMENT_REQUEST, request);
        if (Thread.interrupted()) {
            throw new InterruptedException("enrollment interrupted");
        }
        int status;
        byte[] answer;
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) endpoint.toURL().openConnection();
            if (c instanceof HttpsURLConnection https && sslContext.isPresent()) {
                https.setSSLSocketFactory(sslContext.get().getSocketFactory());
            }
            int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, requestTimeout.toMillis()));
            c.setConnectTimeout(timeout);
            c.setReadTimeout(timeout);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setRequestMethod("POST");
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("Accept", "application/json");
            c.setDoOutput(true);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                answer = in == null ? new byte[0] : in.readNBytes(MessageType.ENROLLMENT_RESPONSE.maxBytes() + 1);
            }
        } catch (IOException | IllegalArgumentException e) {
            return new EnrollOutcome.Unavailable("cannot reach " + endpoint + ": " + e);
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("enrollment interrupted");
        }
        return switch (status) {
            case 200, 202 -> accepted(status, request, answer);
            case 400 -> new EnrollOutcome.Refused(400, "the server rejected the enrollment request as invalid (a bug "
                    + "in agent or server): " + problem(answer));
            case 401 -> new EnrollOutcome.Refused(401, "the provisioning token is unknown, expired, revoked or used "
                    + "up; put a valid token in the provisioning file: " + problem(answer));
            case 403 -> new EnrollOutcome.Refused(403, "serial " + request.serial() + " is not on the fleet's "
                    + "allowlist; an operator must add it: " + problem(answer));
            default -> new EnrollOutcome.Unavailable("HTTP " + status + " from " + endpoint);
        };
    }

    private EnrollOutcome accepted(int status, EnrollmentRequest request, byte[] body) {
        EnrollmentResponse r;
        try {
            r = read(body);
        } catch (IOException | IllegalArgumentException e) {
            String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            return new EnrollOutcome.Unavailable("unreadable enrollment answer: " + detail);
        }
        if (r.status() == EnrollmentResponse.Status.PENDING || status == 202) {
            int seconds = r.retryAfterSeconds() == null ? 60 : Math.max(1, r.retryAfterSeconds());
            return new EnrollOutcome.Pending(Duration.ofSeconds(seconds));
        }
        if (!Topics.isValidDeviceId(r.deviceId()) || r.mqttUri() == null) {
            return new EnrollOutcome.Unavailable("accepted enrollment without a valid deviceId and mqttUri");
        }
        URI mqtt;
        try {
            mqtt = new URI(r.mqttUri());
        } catch (java.net.URISyntaxException e) {
            return new EnrollOutcome.Unavailable("unreadable enrollment answer: mqttUri: " + e.getMessage());
        }
        if (!mqtt.isAbsolute() || mqtt.getHost() == null) {
            return new EnrollOutcome.Unavailable("unreadable enrollment answer: mqttUri: expected scheme://host:port, got "
                    + r.mqttUri());
        }
        return new EnrollOutcome.Accepted(new DeviceCredentials(r.deviceId(), request.deviceSecret(), mqtt,
                request.serial(), r.serverTime()), r.certificateChain());
    }

    /** The answer as a record; a missing or unknown {@code status} or a wrongly typed field is an error. */
    private EnrollmentResponse read(byte[] body) throws IOException {
        if (body.length > MessageType.ENROLLMENT_RESPONSE.maxBytes()) {
            throw new IllegalArgumentException("more than " + MessageType.ENROLLMENT_RESPONSE.maxBytes() + " bytes");
        }
        JsonNode tree = codec.mapper().readTree(body);
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        EnrollmentResponse r = codec.mapper().treeToValue(tree, EnrollmentResponse.class);
        if (r.status() == null) {
            throw new IllegalArgumentException("status: required, accepted or pending");
        }
        return r;
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
