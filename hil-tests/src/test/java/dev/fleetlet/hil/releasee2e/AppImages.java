package dev.fleetlet.hil.releasee2e;

import dev.fleetlet.oci.testing.TestImageBuilder;
import dev.fleetlet.oci.testing.TestRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The test app's images, pushed to {@code <registry>/roe2e/app}: {@code v1} and {@code v2} append their version to
 * {@code /data/versions} (a named volume) at start, create {@code /tmp/ok} (what the health check tests) and write
 * {@code /data/heartbeat} every second; {@code v3-broken} does the same but never creates {@code /tmp/ok}, so its
 * health check fails.
 */
final class AppImages {

    static final String REPOSITORY = "roe2e/app";

    private AppImages() {
    }

    /** Builds and pushes the three tags; a few seconds of umoci and skopeo. */
    static void buildAndPush(Path workDir, TestRegistry registry) throws IOException {
        TestImageBuilder b = new TestImageBuilder(workDir);
        b.busybox("v1", hostArch(), Map.of("app/run.sh", script("v1", true)));
        b.derive("v1", "v2", Map.of("app/run.sh", script("v2", true)), List.of());
        b.derive("v1", "v3-broken", Map.of("app/run.sh", script("v3-broken", false)), List.of());
        for (String tag : List.of("v1", "v2", "v3-broken")) {
            b.push(tag, registry, REPOSITORY, tag, false);
        }
    }

    /**
     * The compose text of the app at {@code tag}: host network, the volume, the health check every 500 ms (failures
     * in the first 5 s do not count: on a loaded machine the shell may not have created {@code /tmp/ok} yet).
     */
    static String compose(TestRegistry registry, String tag) {
        return """
                services:
                  app:
                    image: %s/%s:%s
                    network_mode: host
                    command: ["/bin/sh", "/app/run.sh"]
                    stop_grace_period: 2s
                    volumes: ["beat:/data"]
                    healthcheck:
                      test: ["CMD-SHELL", "test -f /tmp/ok"]
                      interval: 500ms
                      timeout: 5s
                      retries: 2
                      start_period: 5s
                volumes:
                  beat: {}
                """.formatted(registry.host(), REPOSITORY, tag);
    }

    /** The digest the registry names for {@code tag} (the OCI manifest skopeo pushed). */
    static String registryDigest(TestRegistry registry, String tag) throws IOException, InterruptedException {
        HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(registry.baseUrl() + "/v2/" + REPOSITORY + "/manifests/" + tag))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept", "application/vnd.oci.image.manifest.v1+json")
                .build(), HttpResponse.BodyHandlers.discarding());
        return r.headers().firstValue("Docker-Content-Digest")
                .orElseThrow(() -> new IllegalStateException("registry gave no digest for " + tag + ": " + r));
    }

    private static String script(String version, boolean healthy) {
        return """
                #!/bin/sh
                trap 'exit 0' TERM
                echo %s >> /data/versions
                %s
                while true; do echo %s > /data/heartbeat; sleep 1; done
                """.formatted(version, healthy ? "touch /tmp/ok" : "# never healthy: no /tmp/ok", version);
    }

    private static String hostArch() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm" -> "arm";
            default -> throw new IllegalStateException("unsupported host arch " + arch);
        };
    }
}
