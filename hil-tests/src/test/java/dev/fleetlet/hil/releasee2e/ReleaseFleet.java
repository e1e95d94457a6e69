package dev.fleetlet.hil.releasee2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.hil.agent.AgentLaunch;
import dev.fleetlet.hil.agent.AgentProcess;
import dev.fleetlet.hil.agent.AgentSpec;
import dev.fleetlet.hil.agent.FleetServerProcess;
import dev.fleetlet.hil.server.FleetAdminClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;

/**
 * The fleet of {@link RolloutEndToEndIT}: the fleet server child process, its operator client, and the agents by
 * device id; reads of reported and desired state, of each agent's runc containers and volume folder; waits that
 * attach the agents' logs, the server log and a rollout's audit when they time out; and the clean-up that leaves no
 * container or mount behind.
 */
final class ReleaseFleet implements AutoCloseable {

    static final String ADMIN_PASSWORD = "release-e2e-admin-password-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FleetServerProcess server;
    private final FleetAdminClient admin;
    private final Map<String, AgentProcess> agents = new LinkedHashMap<>();
    /** Every agent started, enrolled or not: {@link #close()} stops them all even when start-up failed. */
    private final List<AgentProcess> started = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private String rolloutForDiagnostics;

    private ReleaseFleet(FleetServerProcess server) {
        this.server = server;
        this.admin = new FleetAdminClient(server.httpUri(), "admin", ADMIN_PASSWORD);
    }

    /** Starts the server in {@code work/server}; agents are added with {@link #startAgents}. */
    static ReleaseFleet start(Path work) {
        FleetServerProcess server = FleetServerProcess.create(work.resolve("server"), Map.of(
                "fleetlet.admin.initial-password", ADMIN_PASSWORD,
                "fleetlet.security.pbkdf2-iterations", "1000"));
        ReleaseFleet fleet = new ReleaseFleet(server);
        try {
            server.start(Duration.ofMinutes(3));
        } catch (RuntimeException e) {
            server.kill(); // not healthy in time: leave no server behind
            throw e;
        }
        return fleet;
    }

    /**
     * Starts {@code count} agents (serials {@code roe2e-<i>}) with a {@code releases:} section that reaches
     * {@code registryHost} over plain HTTP, then waits until each has enrolled, is online and has its container
     * runtime ready.
     */
    void startAgents(Path work, int count, String registryHost) {
        String token = admin.createProvisioningToken("roe2e", "RolloutEndToEndIT", null).secret();
        AgentLaunch launch = AgentLaunch.fromSystemProperties();
        String releases = """
                releases:
                  soak: 1m
                  settle: 2s
                  healthMargin: 15s
                  stopGrace: 2s
                  plainHttpRegistries: ["%s"]
                """.formatted(registryHost);
        for (int i = 1; i <= count; i++) {
            AgentSpec spec = AgentSpec.of(server.httpUri(), token, "roe2e-" + i).withSampleInterval(Duration.ofSeconds(30));
            AgentProcess agent = AgentProcess.create(work.resolve("agents"), "agent-" + i, spec, launch, releases);
            linkHostProc(agent.workDir().resolve("root").resolve("proc"));
            started.add(agent.start());
        }
        AgentProcess[] all = started.toArray(AgentProcess[]::new);
        until("every agent enrolled with container releases ready", Duration.ofMinutes(3), () ->
                started.stream().allMatch(a -> a.deviceId().isPresent() && a.count("container releases ready") > 0), all);
        started.forEach(a -> agents.put(a.deviceId().orElseThrow(), a));
        until("every agent online", Duration.ofMinutes(2), () -> agents.keySet().stream()
                .allMatch(id -> "online".equalsIgnoreCase(admin.device(id).path("status").asText())), all);
    }

    /**
     * The container runtime reads {@code proc/self/mountinfo}, {@code proc/cgroups} and {@code proc/filesystems}
     * under the agent's {@code fsRoot}; the fixture's fake root has only the board facts, so these point at the
     * host's.
     */
    private static void linkHostProc(Path fakeProc) {
        try {
            for (String name : List.of("self", "cgroups", "filesystems")) {
                Files.createSymbolicLink(fakeProc.resolve(name), Path.of("/proc", name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot link the host's /proc files into " + fakeProc, e);
        }
    }

    FleetAdminClient admin() {
        return admin;
    }

    FleetServerProcess server() {
        return server;
    }

    List<String> deviceIds() {
        return List.copyOf(agents.keySet());
    }

    AgentProcess agent(String deviceId) {
        return agents.get(deviceId);
    }

    /** Failure messages of waits also carry this rollout's state and audit. */
    void diagnoseRollout(String rolloutId) {
        this.rolloutForDiagnostics = rolloutId;
    }

    /** PUT {@code /api/v1/devices/{id}/pin}: pins the device and assigns the release at once. */
    void pin(String deviceId, String releaseId) {
        call("PUT", "/api/v1/devices/" + deviceId + "/pin", "{\"releaseId\":\"" + releaseId + "\"}");
    }

    /** DELETE of the pin; the device keeps what it runs. */
    void unpin(String deviceId) {
        call("DELETE", "/api/v1/devices/" + deviceId + "/pin", null);
    }

    /** The device's last reported state as the server stored it ({@code available} false before any). */
    JsonNode reported(String deviceId) {
        return admin.get("/ui/api/devices/" + deviceId + "/reported-state");
    }

    /** The reported service {@code app} (state, health, ...) or a missing node. */
    JsonNode reportedApp(String deviceId) throws IOException {
        String services = reported(deviceId).path("services").asText("[]");
        for (JsonNode s : JSON.readTree(services)) {
            if ("app".equals(s.path("name").asText())) {
                return s;
            }
        }
        return JSON.missingNode();
    }

    /** Whether the device reported {@code release} applied with the app running and healthy. */
    boolean runsHealthy(String deviceId, String release) throws IOException {
        JsonNode r = reported(deviceId);
        JsonNode app = reportedApp(deviceId);
        return "applied".equals(r.path("status").asText()) && release.equals(r.path("releaseId").asText())
                && "running".equals(app.path("state").asText()) && "healthy".equals(app.path("health").asText());
    }

    /** {@code runc list} under the agent's own state root: container id → status. */
    Map<String, String> runcContainers(String deviceId) {
        return runcContainers(agents.get(deviceId));
    }

    static Map<String, String> runcContainers(AgentProcess agent) {
        Path root = runcRoot(agent);
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        String text = exec(List.of("runc", "--root", root.toString(), "list", "--format", "json"));
        try {
            JsonNode list = JSON.readTree(text.isBlank() ? "[]" : text);
            list.forEach(c -> out.put(c.path("id").asText(), c.path("status").asText()));
        } catch (IOException e) {
            throw new IllegalStateException("runc list gave no JSON: " + text, e);
        }
        return out;
    }

    /** The agent's folder of the app's named volume {@code beat} ({@code <dataDir>/containers/volumes/roe2e_beat}). */
    Path volume(String deviceId) {
        return agents.get(deviceId).dataDir().resolve("containers").resolve("volumes").resolve("roe2e_beat");
    }

    String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code condition} holds; on timeout fails with the fleet's diagnostics. */
    void until(String what, Duration atMost, Callable<Boolean> condition) {
        until(what, atMost, condition, agents.values().toArray(AgentProcess[]::new));
    }

    /** Waits until {@code assertion} passes; on timeout fails with its last failure and the fleet's diagnostics. */
    void untilAsserted(String what, Duration atMost, ThrowingRunnable assertion) {
        try {
            await(what).atMost(atMost).pollInterval(Duration.ofMillis(500)).untilAsserted(assertion);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnostics(), e);
        }
    }

    private void until(String what, Duration atMost, Callable<Boolean> condition, AgentProcess... all) {
        try {
            await(what).atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + diagnostics(all), e);
        }
    }

    /** Agents' log tails, runc containers, reported states, the rollout and its audit, the server log tail. */
    String diagnostics() {
        return diagnostics(agents.values().toArray(AgentProcess[]::new));
    }

    private String diagnostics(AgentProcess... all) {
        StringBuilder sb = new StringBuilder();
        for (AgentProcess a : all) {
            sb.append(a.describe()).append('\n');
            sb.append("runc: ").append(safe(() -> runcContainers(a).toString())).append('\n');
            a.deviceId().ifPresent(id -> sb.append("reported: ").append(safe(() -> reported(id).toString()))
                    .append("\ndesired: ").append(safe(() -> admin.desiredState(id).toString())).append('\n'));
        }
        if (rolloutForDiagnostics != null) {
            sb.append("rollout: ").append(safe(() -> admin.rollout(rolloutForDiagnostics).toString())).append('\n');
            sb.append("devices: ").append(safe(() -> admin.rolloutDevices(rolloutForDiagnostics, null).toString()))
                    .append('\n');
            sb.append("audit:\n").append(safe(() -> String.join("\n", admin.rolloutAudit(rolloutForDiagnostics))))
                    .append('\n');
        }
        sb.append("server log ").append(server.logFile()).append(":\n").append(server.logTail(60));
        return sb.toString();
    }

    /**
     * Stops the agents (SIGTERM), deletes the containers they leave running by design (each agent's own runc state
     * root), unmounts whatever is still mounted under the agents' folders, stops the server.
     */
    @Override
    public void close() {
        for (AgentProcess a : started) {
            a.stop();
        }
        for (AgentProcess a : started) {
            for (String id : runcContainers(a).keySet()) {
                exec(List.of("runc", "--root", runcRoot(a).toString(), "delete", "--force", id));
            }
            unmountUnder(a.workDir());
        }
        server.kill();
    }

    /** For assertions on clean-up: mount points under {@code dir}. */
    static List<String> mountsUnder(Path dir) {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            String prefix = dir.toAbsolutePath().toString();
            return lines.map(l -> l.split(" ")[4]).filter(m -> m.startsWith(prefix)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void unmountUnder(Path dir) {
        List<String> mounts = new ArrayList<>(mountsUnder(dir));
        java.util.Collections.reverse(mounts);
        for (String m : mounts) {
            exec(List.of("umount", "-l", m));
        }
    }

    private static Path runcRoot(AgentProcess agent) {
        return agent.dataDir().resolve("containers").resolve("runc-state");
    }

    private void call(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.httpUri().resolve(URI.create(path)))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String safe(Callable<String> what) {
        try {
            return what.call();
        } catch (Exception e) {
            return "(unavailable: " + e + ")";
        }
    }
}
