package dev.fleetlet.hil.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.EnrollmentRequest;
import dev.fleetlet.protocol.message.EnrollmentResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the fleet server's {@code POST /api/v1/enroll}: accepts one token, answers 202 pending
 * the first time for the serials listed as "manual", 401 for any other token, 400 for a short secret,
 * and records each device's secret. The device id is the serial in lower case.
 */
public final class FakeEnrollmentServer implements AutoCloseable {

    private final HttpServer server;
    private final ObjectMapper mapper = ProtocolCodec.newMapper();
    private final String token;
    private final String mqttUri;
    private final Set<String> pendingOnce;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Set<String> pendingAnswered = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requests = new AtomicInteger();

    public FakeEnrollmentServer(String token, String mqttUri, Set<String> pendingOnce) throws IOException {
        this.token = token;
        this.mqttUri = mqttUri;
        this.pendingOnce = pendingOnce;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/enroll", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Secrets registered so far, by device id. */
    public Map<String, String> secrets() {
        return secrets;
    }

    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                reply(exchange, 405, "{}");
                return;
            }
            EnrollmentRequest request;
            try {
                request = mapper.readValue(exchange.getRequestBody().readAllBytes(), EnrollmentRequest.class);
            } catch (IOException e) {
                reply(exchange, 400, "{\"title\":\"bad body\"}");
                return;
            }
            if (!token.equals(request.token())) {
                reply(exchange, 401, "{\"title\":\"bad token\"}");
                return;
            }
            if (request.deviceSecret() == null || request.deviceSecret().length() < 32
                    || request.hardware() == null || !request.serial().equals(request.hardware().serial())) {
                reply(exchange, 400, "{\"title\":\"invalid\"}");
                return;
            }
            String deviceId = request.serial().toLowerCase(Locale.ROOT);
            if (pendingOnce.contains(request.serial()) && pendingAnswered.add(request.serial())) {
                reply(exchange, 202, mapper.writeValueAsString(new EnrollmentResponse(
                        EnrollmentResponse.Status.PENDING, deviceId, null, Instant.now(), 1)));
                return;
            }
            secrets.put(deviceId, request.deviceSecret());
            reply(exchange, 200, mapper.writeValueAsString(new EnrollmentResponse(
                    EnrollmentResponse.Status.ACCEPTED, deviceId, mqttUri, Instant.now(), null)));
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
