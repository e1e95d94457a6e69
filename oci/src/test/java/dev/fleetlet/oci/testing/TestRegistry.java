package dev.fleetlet.oci.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real registry ({@code docker-registry serve}) on a free loopback port with its own storage
 * directory, started before the test class and stopped after it. Optionally protected by
 * htpasswd basic auth (bcrypt entry generated here).
 */
public final class TestRegistry implements BeforeAllCallback, AfterAllCallback {
    private final String user;
    private final String password;
    private Process process;
    private Path dir;
    private int port;

    private TestRegistry(String user, String password) {
        this.user = user;
        this.password = password;
    }

    public static TestRegistry anonymous() {
        return new TestRegistry(null, null);
    }

    public static TestRegistry withBasicAuth(String user, String password) {
        return new TestRegistry(user, password);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        String binary = RequiredTool.path("docker-registry", "docker-registry");
        dir = Files.createTempDirectory("fleetlet-registry");
        port = freePort();
        StringBuilder config = new StringBuilder("""
                version: 0.1
                log:
                  level: warn
                  accesslog:
                    disabled: true
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port));
        if (user != null) {
            byte[] salt = new byte[16];
            new SecureRandom().nextBytes(salt);
            String hash = OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 5);
            Files.writeString(dir.resolve("htpasswd"), user + ":" + hash + "\n");
            config.append("""
                    auth:
                      htpasswd:
                        realm: fleetlet-test
                        path: %s
                    """.formatted(dir.resolve("htpasswd")));
        }
        Path configFile = dir.resolve("config.yml");
        Files.writeString(configFile, config.toString());
        process = new ProcessBuilder(binary, "serve", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            int status = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 || status == 401;
        });
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (dir != null) {
            Exec.run("rm", "-rf", dir.toString());
        }
    }

    public String host() {
        return "127.0.0.1:" + port;
    }

    public String baseUrl() {
        return "http://" + host();
    }

    /** The registry's on-disk copy of a blob (for tampering tests). */
    public Path blobData(String digest) {
        String hex = digest.substring("sha256:".length());
        return dir.resolve("storage/docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex).resolve("data");
    }

    /** {@code --dest-creds} value for skopeo, or null when anonymous. */
    public String skopeoCreds() {
        return user == null ? null : user + ":" + password;
    }

    /** PUTs a manifest or index (used for the hand-written multi-arch index). */
    public void putManifest(String repository, String tag, String mediaType, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + "/v2/" + repository + "/manifests/" + tag))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (user != null) {
            b.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("PUT manifest " + repository + ":" + tag + " -> " + r.statusCode() + " " + r.body());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
