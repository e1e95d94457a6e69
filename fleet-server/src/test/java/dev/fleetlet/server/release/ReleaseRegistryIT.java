package dev.fleetlet.server.release;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.basic;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static dev.fleetlet.server.support.FleetTestServer.toJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.oci.testing.TestImageBuilder;
import dev.fleetlet.oci.testing.TestRegistry;
import dev.fleetlet.server.support.FleetTestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Releases against a real registry ({@code docker-registry} with htpasswd auth, via oci's {@link TestRegistry}),
 * a real image pushed with skopeo, and the real server over HTTP.
 */
class ReleaseRegistryIT {

    private static final String REG_USER = "ci";
    private static final String REG_PASSWORD = "registry-pass-42";

    @RegisterExtension
    static final TestRegistry REGISTRY = TestRegistry.withBasicAuth(REG_USER, REG_PASSWORD);

    @TempDir
    static Path work;
    static FleetTestServer server;
    static TestImageBuilder images;
    static final String OPERATOR = basic("otto", "operator-password-1");
    static final String VIEWER = basic("vera", "viewer-password-1");

    @BeforeAll
    static void start() throws IOException {
        images = new TestImageBuilder(work.resolve("images"));
        images.busybox("v1", "arm64", Map.of("etc/app-version", "1\n"));
        images.push("v1", REGISTRY, "app", "v1", false);
        server = FleetTestServer.start(work.resolve("data"), Map.of());
        server.post("/api/v1/users", admin(), "{\"username\":\"otto\",\"password\":\"operator-password-1\",\"role\":\"OPERATOR\"}");
        server.post("/api/v1/users", admin(), "{\"username\":\"vera\",\"password\":\"viewer-password-1\",\"role\":\"VIEWER\"}");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String compose(String image) {
        return """
                services:
                  app:
                    image: %s
                    environment:
                      MODE: fast
                x-fleetlet:
                  requires:
                    arch: [arm64]
                """.formatted(image);
    }

    private static HttpResponse<String> createRelease(String name, String version, String compose) {
        return server.post("/api/v1/releases", OPERATOR, toJson(Map.of("name", name, "version", version, "compose", compose)));
    }

    /** The digest the registry serves for a tag right now (HEAD with the manifest Accept list). */
    private static String registryDigest(String repository, String tag) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(REGISTRY.baseUrl() + "/v2/" + repository + "/manifests/" + tag))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, "
                        + "application/vnd.docker.distribution.manifest.v2+json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (REG_USER + ":" + REG_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<Void> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private static String storeCredentials(String password) {
        HttpResponse<String> r = server.post("/api/v1/registries", admin(),
                toJson(Map.of("host", REGISTRY.host(), "username", REG_USER, "password", password)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).get("id").asText();
    }

    @Test
    void pinsTheTagToTheRegistrysDigestAndKeepsItWhenTheTagMoves() throws Exception {
        String credentials = storeCredentials(REG_PASSWORD);
        try {
            String image = REGISTRY.host() + "/app:v1";
            String expected = registryDigest("app", "v1");

            // when
            HttpResponse<String> created = createRelease("app", "1.0.0", compose(image));

            // then
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            JsonNode release = json(created);
            assertThat(release.get("id").asText()).isEqualTo("app-1.0.0");
            JsonNode pinned = release.get("images").get(0);
            assertThat(pinned.get("service").asText()).isEqualTo("app");
            assertThat(pinned.get("digest").asText()).isEqualTo(expected);
            assertThat(pinned.get("pinned").asText()).isEqualTo(image + "@" + expected);
            assertThat(release.get("spec").get("services").get("app").get("image").asText()).isEqualTo(image + "@" + expected);
            assertThat(release.get("requires").get("architectures").get(0).asText()).isEqualTo("arm64");
            assertThat(server.get("/api/v1/releases/app-1.0.0", VIEWER).body()).contains("@" + expected);

            // when: the tag moves to another image
            images.derive("v1", "v1b", Map.of("etc/app-version", "2\n"), List.of());
            images.push("v1b", REGISTRY, "app", "v1", false);
            String moved = registryDigest("app", "v1");
            assertThat(moved).isNotEqualTo(expected);

            // then: the release still runs what was pinned; a retry of the same create is the same release
            JsonNode again = json(server.get("/api/v1/releases/app-1.0.0", VIEWER));
            assertThat(again.get("images").get(0).get("digest").asText()).isEqualTo(expected);
            HttpResponse<String> retry = createRelease("app", "1.0.0", compose(image));
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
            assertThat(json(retry).get("images").get(0).get("digest").asText()).isEqualTo(expected);

            // and a new version picks up the moved tag
            HttpResponse<String> next = createRelease("app", "1.0.1", compose(image));
            assertThat(next.statusCode()).as(next.body()).isEqualTo(201);
            assertThat(json(next).get("images").get(0).get("digest").asText()).isEqualTo(moved);
            HttpResponse<String> diff = server.get("/api/v1/releases/app-1.0.0/diff/app-1.0.1", VIEWER);
            assertThat(diff.statusCode()).as(diff.body()).isEqualTo(200);
            assertThat(diff.body()).contains(expected.substring(7, 19)).contains(moved.substring(7, 19));
        } finally {
            server.send("DELETE", "/api/v1/registries/" + credentials, admin(), null);
        }
    }

    @Test
    void aWrongRegistryPasswordIsAClear502NamingTheImage() {
        String credentials = storeCredentials("not-the-password");
        try {
            HttpResponse<String> r = createRelease("wrongpw", "1", compose(REGISTRY.host() + "/app:v1"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
            JsonNode problem = json(r);
            assertThat(problem.get("code").asText()).isEqualTo("REGISTRY_UNAUTHORIZED");
            assertThat(problem.get("detail").asText()).contains(REGISTRY.host() + "/app:v1").contains("/api/v1/registries")
                    .doesNotContain("not-the-password");
            assertThat(server.get("/api/v1/releases/wrongpw-1", VIEWER).statusCode()).isEqualTo(404);
        } finally {
            server.send("DELETE", "/api/v1/registries/" + credentials, admin(), null);
        }
        HttpResponse<String> anonymous = createRelease("anon", "1", compose(REGISTRY.host() + "/app:v1"));
        assertThat(anonymous.statusCode()).as("no credentials stored: anonymous is refused too").isEqualTo(502);
    }

    @Test
    void anUnknownTagIs400NamingTheService() {
        String credentials = storeCredentials(REG_PASSWORD);
        try {
            String compose = """
                    services:
                      app:
                        image: %1$s/app:v1
                      sidecar:
                        image: %1$s/app:v404
                    """.formatted(REGISTRY.host());
            HttpResponse<String> r = createRelease("unknowntag", "1", compose);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            JsonNode problem = json(r);
            assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("services.sidecar.image");
            assertThat(problem.get("detail").asText()).contains("service sidecar").contains("app:v404");
        } finally {
            server.send("DELETE", "/api/v1/registries/" + credentials, admin(), null);
        }
    }

    @Test
    void aRegistryThatIsDownIs502NamingTheImage() throws IOException {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        HttpResponse<String> r = createRelease("down", "1", compose("127.0.0.1:" + closedPort + "/app:v1"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(502);
        assertThat(json(r).get("code").asText()).isEqualTo("REGISTRY_UNAVAILABLE");
        assertThat(json(r).get("detail").asText()).contains("127.0.0.1:" + closedPort + "/app:v1").contains("unreachable");
    }

    @Test
    void badYamlAndUnknownKeysAre400WithTheKeyPathAndYamlBodiesWork() {
        HttpResponse<String> r = postYaml("/api/v1/releases?name=yamlapp&version=1", """
                services:
                  app:
                    image: %s/app:v1
                    privileged: true
                    colour: blue
                """.formatted(REGISTRY.host()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("services.app.colour");

        HttpResponse<String> broken = postYaml("/api/v1/releases?name=yamlapp&version=1", "services: [\n  - {");
        assertThat(broken.statusCode()).as(broken.body()).isEqualTo(400);
        assertThat(json(broken).get("code").asText()).isEqualTo("VALIDATION_FAILED");

        String credentials = storeCredentials(REG_PASSWORD);
        try {
            HttpResponse<String> ok = postYaml("/api/v1/releases?name=yamlapp&version=2&notes=from%20yaml",
                    compose(REGISTRY.host() + "/app:v1"));
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
            assertThat(ok.headers().firstValue("location")).hasValue("/api/v1/releases/yamlapp-2");
            assertThat(json(ok).get("notes").asText()).isEqualTo("from yaml");
            assertThat(json(ok).get("compose").asText()).isEqualTo(compose(REGISTRY.host() + "/app:v1"));
        } finally {
            server.send("DELETE", "/api/v1/registries/" + credentials, admin(), null);
        }

        HttpResponse<String> viewer = server.post("/api/v1/releases", VIEWER,
                toJson(Map.of("name", "v", "version", "1", "compose", compose("nginx:1"))));
        assertThat(viewer.statusCode()).isEqualTo(403);
    }

    @Test
    void listsByNameNewestFirstAndLetsOperatorsDeleteAnUnusedRelease() {
        String credentials = storeCredentials(REG_PASSWORD);
        try {
            for (String v : List.of("1", "2", "3")) {
                assertThat(createRelease("listed", v, compose(REGISTRY.host() + "/app:v1")).statusCode()).isEqualTo(201);
            }
        } finally {
            server.send("DELETE", "/api/v1/registries/" + credentials, admin(), null);
        }
        JsonNode page = json(server.get("/api/v1/releases?name=listed&page=0&size=2", VIEWER));
        assertThat(page.get("total").asLong()).isEqualTo(3);
        assertThat(page.get("items")).hasSize(2);
        assertThat(page.get("items").get(0).get("name").asText()).isEqualTo("listed");
        assertThat(page.get("items").get(0).has("compose")).as("lists carry no spec text").isFalse();

        assertThat(server.send("DELETE", "/api/v1/releases/listed-1", VIEWER, null).statusCode()).isEqualTo(403);
        assertThat(server.send("DELETE", "/api/v1/releases/listed-1", OPERATOR, null).statusCode()).isEqualTo(204);
        assertThat(server.get("/api/v1/releases/listed-1", VIEWER).statusCode()).isEqualTo(404);
        assertThat(json(server.get("/api/v1/releases?name=listed", VIEWER)).get("total").asLong()).isEqualTo(2);
    }

    @Test
    void derivesAConfigOnlyReleaseOverHttpWithTheSameDigest() {
        // given a release pinned against the registry
        String credentials = storeCredentials(REG_PASSWORD);
        try {
            assertThat(createRelease("derived", "1", compose(REGISTRY.host() + "/app:v1")).statusCode()).isEqualTo(201);
        } finally {
            server.send("DELETE", "/api/v1/registries/" + credentials, admin(), null);
        }
        String body = "{\"version\":\"2\",\"environment\":{\"app\":{\"LEVEL\":\"3\",\"MODE\":null}},\"notes\":\"env\"}";

        // when an operator derives it (the registry credentials are gone: no registry is asked)
        HttpResponse<String> viewer = server.post("/api/v1/releases/derived-1/derive", VIEWER, body);
        HttpResponse<String> r = server.post("/api/v1/releases/derived-1/derive", OPERATOR, body);

        // then
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("location")).hasValue("/api/v1/releases/derived-2");
        JsonNode source = json(server.get("/api/v1/releases/derived-1", VIEWER));
        JsonNode derived = json(r);
        assertThat(derived.get("images")).isEqualTo(source.get("images"));
        assertThat(derived.get("requires")).isEqualTo(source.get("requires"));
        JsonNode app = derived.path("spec").path("services").path("app");
        assertThat(app.path("environment").path("LEVEL").asText()).isEqualTo("3");
        assertThat(app.path("environment").has("MODE")).isFalse();
        HttpResponse<String> unknown = server.post("/api/v1/releases/derived-1/derive", OPERATOR,
                "{\"version\":\"3\",\"environment\":{\"db\":{\"A\":\"1\"}}}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("environment.db");
    }

    private static HttpResponse<String> postYaml(String path, String yaml) {
        HttpRequest request = HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/yaml")
                .header("Authorization", OPERATOR).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(yaml)).build();
        try {
            return server.http().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
