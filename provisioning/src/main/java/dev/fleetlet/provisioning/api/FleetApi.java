package dev.fleetlet.provisioning.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The fleet server's admin REST API ({@code /api/v1}) over {@code java.net.http}, answers as Jackson trees.
 * List endpoints are paged by the server; the {@code all*} methods follow every page.
 *
 * <p>Failures: {@link ApiProblemException} when the server answers 4xx/5xx (with the problem document's title
 * and detail), {@link ServerUnreachableException} when there is no answer. Credentials never appear in messages.
 */
public final class FleetApi {

    /** How requests authenticate. */
    public sealed interface Auth permits Bearer, Basic {
        String header();
    }

    /** An API token {@code fat_<id>_<secret>}. */
    public record Bearer(String token) implements Auth {
        @Override
        public String header() {
            return "Bearer " + token;
        }

        @Override
        public String toString() {
            return "Bearer[***]";
        }
    }

    /** A user and password (used only by {@code login} to create an API token). */
    public record Basic(String user, String password) implements Auth {
        @Override
        public String header() {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Basic[" + user + ", ***]";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 500;

    private final URI base;
    private final Auth auth;
    private final HttpClient http;

    /**
     * @param base          server base URL, e.g. {@code https://fleet.example:8443}
     * @param auth          credentials
     * @param caCertificate PEM of the CA to trust for HTTPS; empty uses the JDK trust store
     * @throws IllegalArgumentException naming {@code --ca-cert} when the PEM does not parse
     */
    public FleetApi(URI base, Auth auth, Optional<String> caCertificate) {
        this.base = base;
        this.auth = auth;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        caCertificate.ifPresent(pem -> b.sslContext(sslContext(pem)));
        this.http = b.build();
    }

    public URI base() {
        return base;
    }

    // --- API tokens (the caller's own) ---

    public JsonNode createApiToken(String name, Integer expiresInDays) {
        ObjectNode body = JSON.createObjectNode().put("name", name);
        if (expiresInDays != null) {
            body.put("expiresInDays", expiresInDays);
        }
        return send("POST", "/api/v1/api-tokens", body);
    }

    public JsonNode listApiTokens() {
        return send("GET", "/api/v1/api-tokens", null);
    }

    // --- provisioning tokens ---

    public JsonNode createProvisioningToken(String fleet, String description, Integer expiresInHours, Integer maxUses) {
        ObjectNode body = JSON.createObjectNode().put("fleet", fleet);
        if (description != null) {
            body.put("description", description);
        }
        if (expiresInHours != null) {
            body.put("expiresInHours", expiresInHours);
        }
        if (maxUses != null) {
            body.put("maxUses", maxUses);
        }
        return send("POST", "/api/v1/provisioning-tokens", body);
    }

    public List<JsonNode> allProvisioningTokens() {
        return allPages("/api/v1/provisioning-tokens?");
    }

    /** The token's metadata by id (the server has no single-token GET, so this scans the list). */
    public Optional<JsonNode> findProvisioningToken(String id) {
        return allProvisioningTokens().stream().filter(t -> id.equals(t.path("id").asText())).findFirst();
    }

    public JsonNode revokeProvisioningToken(String id) {
        return send("POST", "/api/v1/provisioning-tokens/" + enc(id) + "/revoke", null);
    }

    // --- allowlist, approvals ---

    public JsonNode addToAllowlist(List<String> serials, String note) {
        ObjectNode body = JSON.createObjectNode();
        serials.forEach(body.putArray("serials")::add);
        if (note != null) {
            body.put("note", note);
        }
        return send("POST", "/api/v1/enrollments/allowlist", body);
    }

    public List<JsonNode> allAllowlist() {
        return allPages("/api/v1/enrollments/allowlist?");
    }

    public void removeFromAllowlist(String serial) {
        send("DELETE", "/api/v1/enrollments/allowlist/" + enc(serial), null);
    }

    public List<JsonNode> allPending() {
        return allPages("/api/v1/enrollments/pending?");
    }

    public JsonNode approve(String id) {
        return send("POST", "/api/v1/enrollments/" + enc(id) + "/approve", null);
    }

    public JsonNode reject(String id) {
        return send("POST", "/api/v1/enrollments/" + enc(id) + "/reject", null);
    }

    // --- devices ---

    public List<JsonNode> allDevices(String selector) {
        return allPages("/api/v1/devices?" + (selector == null ? "" : "selector=" + enc(selector) + "&"));
    }

    private List<JsonNode> allPages(String pathWithQuery) {
        List<JsonNode> items = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode answer = send("GET", pathWithQuery + "page=" + page + "&size=" + PAGE, null);
            answer.path("items").forEach(items::add);
            if (answer.path("items").size() < PAGE || items.size() >= answer.path("total").asLong()) {
                return items;
            }
        }
    }

    private JsonNode send(String method, String path, JsonNode body) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("Authorization", auth.header());
        if (body != null) {
            rb.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            rb.method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
            if (method.equals("POST")) {
                rb.header("Content-Type", "application/json");
            }
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (javax.net.ssl.SSLException e) {
            throw new ServerUnreachableException("TLS handshake with the fleet server at " + base + " failed ("
                    + e.getMessage() + "); if its certificate is signed by your own CA, pass it with --ca-cert", e);
        } catch (IOException e) {
            throw new ServerUnreachableException("cannot reach the fleet server at " + base + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerUnreachableException("interrupted while calling " + base, e);
        }
        byte[] bytes = response.body();
        if (response.statusCode() >= 400) {
            throw problem(response.statusCode(), bytes);
        }
        if (bytes.length == 0) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new ApiProblemException(response.statusCode(), "Unexpected answer",
                    method + " " + path + " did not answer JSON; is " + base + " a Fleetlet server?", null);
        }
    }

    private static ApiProblemException problem(int status, byte[] bytes) {
        try {
            JsonNode p = JSON.readTree(bytes);
            if (p != null && p.isObject() && p.has("title")) {
                StringBuilder detail = new StringBuilder(p.path("detail").asText(""));
                for (JsonNode e : p.path("errors")) {
                    detail.append(detail.length() == 0 ? "" : "; ").append(e.path("field").asText()).append(": ")
                            .append(e.path("message").asText());
                }
                return new ApiProblemException(status, p.path("title").asText(), detail.toString(),
                        p.path("code").asText(null));
            }
        } catch (IOException e) {
            // not a problem document: fall through to the bare status
        }
        return new ApiProblemException(status, "HTTP " + status, "", null);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static SSLContext sslContext(String pem) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("--ca-cert: expected at least one PEM certificate, found none");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("--ca-cert: cannot use the certificate: " + e.getMessage(), e);
        }
    }
}
