package dev.fleetlet.hil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A small client of the fleet server's operator API, authenticated with HTTP Basic as one user; for the
 * demo, the end-to-end tests and the benchmark. Every call throws {@link ApiCallException} with the
 * status and the server's problem body when the answer is not a 2xx.
 */
public final class FleetAdminClient {

    private final URI base;
    private final String authorization;
    private final HttpClient http;
    private final ObjectMapper mapper = ProtocolCodec.newMapper();

    public FleetAdminClient(URI base, String username, String password) {
        this.base = base;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    /** A credential shown once at creation: a provisioning token or a service account secret. */
    public record Issued(String id, String name, String secret) {
        @Override
        public String toString() {
            return "Issued[id=" + id + ", name=" + name + ", secret=***]";
        }
    }

    /**
     * Creates a provisioning token for {@code fleet} ({@code [a-z0-9][a-z0-9-]{0,62}}); {@code maxUses} null for
     * unlimited. Returns its id and the token string (shown only now).
     */
    public Issued createProvisioningToken(String fleet, String description, Integer maxUses) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("fleet", fleet);
        body.put("description", description);
        if (maxUses != null) {
            body.put("maxUses", maxUses);
        }
        JsonNode answer = send("POST", "/api/v1/provisioning-tokens", body);
        return new Issued(text(answer.path("metadata"), "id"), fleet, firstText(answer, "token"));
    }

    /**
     * Creates a telemetry-reader service account ({@code name} must start with {@code svc-}); returns its
     * name and MQTT password (shown only now).
     */
    public Issued createServiceAccount(String name, String description) {
        JsonNode answer = send("POST", "/api/v1/service-accounts", Map.of("name", name, "description", description));
        return new Issued(null, text(answer.path("account"), "name"), firstText(answer, "secret"));
    }

    /** Deletes a service account by name; a 404 is not an error. */
    public void deleteServiceAccount(String name) {
        try {
            send("DELETE", "/api/v1/service-accounts/" + encode(name), null);
        } catch (ApiCallException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    /** The service accounts (JSON as the server returns it). */
    public JsonNode serviceAccounts() {
        return send("GET", "/api/v1/service-accounts", null);
    }

    /** One page of devices, optionally filtered by status ({@code online}, ...). */
    public JsonNode devices(String status, int page, int size) {
        String q = "?page=" + page + "&size=" + size + (status == null ? "" : "&status=" + encode(status));
        return send("GET", "/api/v1/devices" + q, null);
    }

    public JsonNode device(String id) {
        return send("GET", "/api/v1/devices/" + encode(id), null);
    }

    /** Raw telemetry of one device, newest first as the server orders it. */
    public JsonNode telemetry(String deviceId, String quantity, int limit) {
        String q = "?bucket=raw&limit=" + limit + (quantity == null ? "" : "&quantity=" + encode(quantity));
        return send("GET", "/api/v1/devices/" + encode(deviceId) + "/telemetry" + q, null);
    }

    /**
     * Creates a release from a compose text ({@code POST /api/v1/releases}); the server pins every image to its
     * digest. Returns the release as the server answers it (201, or 200 for an identical existing one).
     */
    public JsonNode createRelease(String name, String version, String compose) {
        return send("POST", "/api/v1/releases", Map.of("name", name, "version", version, "compose", compose));
    }

    /**
     * Creates a DRAFT rollout of {@code releaseId} to the devices matching {@code selector} (empty: all) with
     * {@code plan} (the plan JSON of docs/rollouts.md as maps and lists). Returns the planned answer: id,
     * devices, excluded, groupSizes, forecast.
     */
    public JsonNode createRollout(String releaseId, String selector, Map<String, Object> plan) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("releaseId", releaseId);
        body.put("selector", selector);
        body.put("plan", plan);
        return send("POST", "/api/v1/rollouts", body);
    }

    /**
     * Sends a rollout command: {@code start}, {@code pause}, {@code resume}, {@code abort}, {@code rollback} or
     * {@code retry-failed}. Returns {@code {rolloutId, seq, command}}; a 409 (not allowed in the current phase)
     * throws {@link ApiCallException}.
     */
    public JsonNode rolloutCommand(String rolloutId, String command) {
        return send("POST", "/api/v1/rollouts/" + encode(rolloutId) + "/" + command, null);
    }

    /** A rollout with phase, current group and counts in total and per group. */
    public JsonNode rollout(String rolloutId) {
        return send("GET", "/api/v1/rollouts/" + encode(rolloutId), null);
    }

    /** Every audit line of a rollout's log, oldest first (all pages). */
    public java.util.List<String> rolloutAudit(String rolloutId) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode answer = send("GET", "/api/v1/rollouts/" + encode(rolloutId) + "/audit?page=" + page
                    + "&size=100", null);
            answer.path("items").forEach(item -> lines.add(item.path("text").asText()));
            if (answer.path("items").size() < 100) {
                return lines;
            }
        }
    }

    /**
     * Every member device of a rollout in dispatch order (all pages), each with group, status, targetRelease,
     * previousRelease, reason; {@code status} null for all.
     */
    public java.util.List<JsonNode> rolloutDevices(String rolloutId, String status) {
        java.util.List<JsonNode> rows = new java.util.ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode answer = send("GET", "/api/v1/rollouts/" + encode(rolloutId) + "/devices?page=" + page
                    + "&size=100" + (status == null ? "" : "&status=" + encode(status)), null);
            answer.path("items").forEach(rows::add);
            if (answer.path("items").size() < 100) {
                return rows;
            }
        }
    }

    /** A device's stored desired state: generation, releaseId, config, cause. */
    public JsonNode desiredState(String deviceId) {
        return send("GET", "/api/v1/devices/" + encode(deviceId) + "/desired-state", null);
    }

    /** GET of any API path, for checks the typed methods do not cover. */
    public JsonNode get(String pathAndQuery) {
        return send("GET", pathAndQuery, null);
    }

    /** POST of any API path with a JSON body. */
    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    /** GET of a non-JSON path (e.g. {@code /prometheus}), as text. */
    public String getText(String path) {
        return sendText("GET", path, null, "text/plain");
    }

    private JsonNode send(String method, String path, Object body) {
        String text = sendText(method, path, body, "application/json");
        try {
            return text.isBlank() ? mapper.nullNode() : mapper.readTree(text);
        } catch (IOException e) {
            throw new ApiCallException(method + " " + path, 200, "not JSON: " + e.getMessage());
        }
    }

    private String sendText(String method, String path, Object body, String accept) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", authorization)
                    .header("Accept", accept);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            String text = new String(response.body(), StandardCharsets.UTF_8);
            if (response.statusCode() / 100 != 2) {
                throw new ApiCallException(method + " " + path, response.statusCode(), text);
            }
            return text;
        } catch (IOException e) {
            throw new ApiCallException(method + " " + path, 0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiCallException(method + " " + path, 0, "interrupted");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = text(node, f);
            if (v != null) {
                return v;
            }
        }
        java.util.List<String> present = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(present::add);
        throw new ApiCallException("reading answer", 200, "none of the fields " + String.join(", ", fields)
                + " among " + present);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A non-2xx answer or a failed call. */
    public static final class ApiCallException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public ApiCallException(String call, int status, String detail) {
            super(call + " failed" + (status > 0 ? " with HTTP " + status : "") + ": "
                    + (detail.length() > 500 ? detail.substring(0, 500) : detail));
            this.status = status;
        }

        /** The HTTP status, 0 when there was no answer. */
        public int status() {
            return status;
        }
    }
}
