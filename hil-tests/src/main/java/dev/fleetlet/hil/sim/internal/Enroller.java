package dev.fleetlet.hil.sim.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.hil.sim.SimulatorConfig;
import dev.fleetlet.hil.sim.SimulatorCounters;
import dev.fleetlet.protocol.message.EnrollmentRequest;
import dev.fleetlet.protocol.message.EnrollmentResponse;
import dev.fleetlet.protocol.message.HardwareFacts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enrolls simulated devices over {@code POST /api/v1/enroll}, at most {@code enrollConcurrency} requests
 * at once. A 202 (pending approval) is asked again after the server's {@code retryAfterSeconds} (capped
 * by {@code pendingRetryMax}); 5xx answers and I/O errors are retried with jittered back-off; any other
 * 4xx ends that device's enrollment with an {@link EnrollmentFailedException} carrying the status and
 * the server's problem detail.
 */
public final class Enroller {

    private static final Logger log = LoggerFactory.getLogger(Enroller.class);

    private final SimulatorConfig config;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final AsyncLimiter limiter;
    private final ScheduledExecutorService scheduler;
    private final SimulatorCounters counters;
    private final Backoff backoff;
    private volatile boolean stopped;

    public Enroller(SimulatorConfig config, HttpClient http, ObjectMapper mapper, ScheduledExecutorService scheduler,
                    SimulatorCounters counters) {
        this.config = config;
        this.http = http;
        this.mapper = mapper;
        this.limiter = new AsyncLimiter(config.enrollConcurrency());
        this.scheduler = scheduler;
        this.counters = counters;
        this.backoff = new Backoff(config.reconnectInitial(), config.reconnectMax());
    }

    /** Enrolls one device; the future completes with its credentials or fails for good. */
    public CompletableFuture<DeviceCredentials> enroll(String serial, String secret, HardwareFacts hardware) {
        EnrollmentRequest body = new EnrollmentRequest(config.provisioningToken(), serial, secret, hardware);
        CompletableFuture<DeviceCredentials> result = new CompletableFuture<>();
        attempt(body, 0, result);
        return result;
    }

    /** Stops retrying; enrollments still waiting fail. */
    public void stop() {
        stopped = true;
    }

    private void attempt(EnrollmentRequest body, int attempt, CompletableFuture<DeviceCredentials> result) {
        if (stopped) {
            result.completeExceptionally(new EnrollmentFailedException(body.serial(), 0, "simulator stopped"));
            return;
        }
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            result.completeExceptionally(e);
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(config.serverUri().resolve("/api/v1/enroll"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        limiter.submit(() -> http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()))
                .whenComplete((response, error) -> {
                    if (error != null) {
                        counters.onEnrollFailure();
                        retryLater(body, attempt, result, backoff.delayMillis(attempt), "I/O: " + error.getMessage());
                        return;
                    }
                    handle(body, attempt, response, result);
                });
    }

    private void handle(EnrollmentRequest body, int attempt, HttpResponse<byte[]> response,
                        CompletableFuture<DeviceCredentials> result) {
        int status = response.statusCode();
        if (status == 200 || status == 201) {
            EnrollmentResponse answer;
            try {
                answer = mapper.readValue(response.body(), EnrollmentResponse.class);
            } catch (IOException | RuntimeException e) {
                counters.onEnrollFailure();
                result.completeExceptionally(new EnrollmentFailedException(body.serial(), status,
                        "unreadable enrollment response: " + e.getMessage()));
                return;
            }
            if (answer.status() == EnrollmentResponse.Status.PENDING) {
                pending(body, attempt, answer.retryAfterSeconds(), result);
                return;
            }
            try {
                result.complete(credentials(answer, body.deviceSecret()));
                counters.onEnrolled();
            } catch (IllegalArgumentException e) {
                counters.onEnrollFailure();
                result.completeExceptionally(new EnrollmentFailedException(body.serial(), status, e.getMessage()));
            }
        } else if (status == 202) {
            Integer retryAfter = null;
            try {
                retryAfter = mapper.readValue(response.body(), EnrollmentResponse.class).retryAfterSeconds();
            } catch (IOException | RuntimeException e) {
                log.debug("202 without a readable body serial={}", body.serial());
            }
            pending(body, attempt, retryAfter, result);
        } else if (status >= 500 || status == 429) {
            counters.onEnrollFailure();
            retryLater(body, attempt, result, backoff.delayMillis(attempt), "HTTP " + status);
        } else {
            counters.onEnrollFailure();
            String detail = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
            result.completeExceptionally(new EnrollmentFailedException(body.serial(), status,
                    detail.length() > 300 ? detail.substring(0, 300) : detail));
        }
    }

    private void pending(EnrollmentRequest body, int attempt, Integer retryAfterSeconds,
                         CompletableFuture<DeviceCredentials> result) {
        counters.onEnrollPending();
        long waitMs = retryAfterSeconds == null ? config.pendingRetryMax().toMillis()
                : Math.min(retryAfterSeconds * 1000L, config.pendingRetryMax().toMillis());
        log.debug("enrollment pending serial={} retryInMs={}", body.serial(), waitMs);
        retryLater(body, attempt, result, Math.max(waitMs, 10), "pending");
    }

    private void retryLater(EnrollmentRequest body, int attempt, CompletableFuture<DeviceCredentials> result,
                            long delayMs, String why) {
        log.debug("enrollment retry serial={} attempt={} delayMs={} reason={}", body.serial(), attempt + 1, delayMs, why);
        try {
            scheduler.schedule(() -> attempt(body, attempt + 1, result), delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new EnrollmentFailedException(body.serial(), 0, "simulator stopped"));
        }
    }

    private DeviceCredentials credentials(EnrollmentResponse answer, String secret) {
        if (answer.deviceId() == null || answer.deviceId().isBlank()) {
            throw new IllegalArgumentException("deviceId: missing in enrollment response");
        }
        String host = config.mqttHost();
        int port = config.mqttPort();
        if (host == null || port == 0) {
            if (answer.mqttUri() == null) {
                throw new IllegalArgumentException("mqttUri: missing in enrollment response and no mqttHost/mqttPort configured");
            }
            URI uri = URI.create(answer.mqttUri());
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("mqttUri: no host in " + answer.mqttUri());
            }
            host = host == null ? uri.getHost() : host;
            port = port == 0 ? (uri.getPort() > 0 ? uri.getPort() : 1883) : port;
        }
        return new DeviceCredentials(answer.deviceId(), secret, host, port);
    }

    /** An enrollment the server refused for good, or that could not be completed. */
    public static final class EnrollmentFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public EnrollmentFailedException(String serial, int status, String detail) {
            super("enrollment of " + serial + " failed" + (status > 0 ? " with HTTP " + status : "") + ": " + detail);
            this.status = status;
        }

        /** The HTTP status, or 0 when there was none. */
        public int status() {
            return status;
        }
    }
}
