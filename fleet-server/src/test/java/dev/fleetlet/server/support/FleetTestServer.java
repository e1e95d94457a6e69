package dev.fleetlet.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A fleet server on a random HTTP port with a temp data dir, no embedded broker, cheap PBKDF2 and a known
 * admin password, plus a small JDK HTTP client to talk to it.
 */
public final class FleetTestServer implements AutoCloseable {

    public static final String ADMIN_PASSWORD = "admin-password-for-tests";
    public static final ObjectMapper JSON = new ObjectMapper();

    private final EmbeddedServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FleetTestServer(EmbeddedServer server) {
        this.server = server;
    }

    public static FleetTestServer start(Path dataDir, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("fleetlet.data-dir", dataDir.toString());
        props.put("micronaut.server.port", -1);
        props.put("fleetlet.mqtt.enabled", "false");
        props.put("fleetlet.mqtt.public-uri", "tcp://fleet.test:1883");
        props.put("fleetlet.security.pbkdf2-iterations", 1000);
        props.put("fleetlet.security.machine-secret-pbkdf2-iterations", 1000);
        props.put("fleetlet.admin.initial-password", ADMIN_PASSWORD);
        props.putAll(extra);
        return new FleetTestServer(ApplicationContext.run(EmbeddedServer.class, props));
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public <T> T bean(Class<T> type) {
        return context().getBean(type);
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + server.getPort() + path);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String admin() {
        return basic("admin", ADMIN_PASSWORD);
    }

    /** Sends a request; {@code auth} is the Authorization header value or null, {@code body} JSON or null. */
    public HttpResponse<String> send(String method, String path, String auth, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (auth != null) {
            b.header("Authorization", auth);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path, String auth) {
        return send("GET", path, auth, null);
    }

    public HttpResponse<String> post(String path, String auth, String body) {
        return send("POST", path, auth, body);
    }

    public HttpClient http() {
        return http;
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a provisioning token through the API and returns the token string. */
    public String createToken(String fleet, Integer maxUses) {
        Map<String, Object> body = new HashMap<>();
        body.put("fleet", fleet);
        if (maxUses != null) {
            body.put("maxUses", maxUses);
        }
        HttpResponse<String> r = post("/api/v1/provisioning-tokens", admin(), toJson(body));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("token creation failed: " + r.statusCode() + " " + r.body());
        }
        return json(r).get("token").asText();
    }

    /** An enrollment body as a device sends it. */
    public static String enrollment(String token, String serial, String secret) {
        Map<String, Object> hw = new HashMap<>();
        hw.put("serial", serial);
        hw.put("model", "Raspberry Pi 4 Model B Rev 1.4");
        hw.put("arch", "arm64");
        hw.put("memoryMb", 4096);
        hw.put("kernel", "6.6.31-v8+");
        hw.put("os", "Debian GNU/Linux 12 (bookworm)");
        hw.put("agentVersion", "0.1.0");
        return toJson(Map.of("token", token, "serial", serial, "deviceSecret", secret, "hardware", hw));
    }

    @Override
    public void close() {
        server.close();
    }
}
