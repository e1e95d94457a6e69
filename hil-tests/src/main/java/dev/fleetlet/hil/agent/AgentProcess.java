package dev.fleetlet.hil.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real edge agent ({@code dev.fleetlet.agent.AgentMain}) running as a child JVM, with its own files under
 * {@code workDir}:
 * <ul>
 *   <li>{@code root/etc/machine-id} (the hardware serial: the agent reads {@code /etc/machine-id} under its
 *       {@code agent.fsRoot} when there is no device-tree or cpuinfo serial), {@code root/proc/device-tree/model}
 *       and {@code root/proc/meminfo} (facts reported at enrollment and in the birth message);</li>
 *   <li>{@code provisioning.json} (server URL, token, optional CA certificate);</li>
 *   <li>{@code agent.yml}: the simulated board with three sensors at {@link AgentSpec#sampleInterval()}
 *       ({@value #SENSOR_BME280} bme280: temperature, humidity, pressure; {@value #SENSOR_SHT3X} sht3x:
 *       temperature, humidity; {@value #SENSOR_ADS1115} ads1115: voltage), and the spec's retry settings;</li>
 *   <li>{@code data/} (credentials, telemetry queue, state) and {@code agent.log} (standard output and error of
 *       every run, appended, each run preceded by a {@code === fixture: start #n} line).</li>
 * </ul>
 *
 * <p>Not thread-safe: one test thread drives it. {@link #close()} kills the process if it still runs.
 */
public final class AgentProcess implements AutoCloseable {

    public static final String SENSOR_BME280 = "greenhouse";
    public static final String SENSOR_SHT3X = "cellar";
    public static final String SENSOR_ADS1115 = "soil";
    /** Readings one sampling round of the three sensors produces (3 + 2 + 1 quantities). */
    public static final int READINGS_PER_ROUND = 6;
    /** The agent's log line for every successful MQTT connect. */
    public static final String CONNECTED_LINE = "mqtt connected deviceId=";

    private static final Pattern QUEUE_OPENED = Pattern.compile(
            "telemetry queue opened .* stream=(\\S+) segments=\\d+ lastSeq=(\\d+) ackedSeq=(\\d+)");

    private final String name;
    private final Path workDir;
    private final AgentSpec spec;
    private final AgentLaunch launch;
    private final Path config;
    private final Path dataDir;
    private final Path logFile;
    private final String extraConfig;
    private Process process;
    private int starts;

    private AgentProcess(String name, Path workDir, AgentSpec spec, AgentLaunch launch, String extraConfig) {
        this.extraConfig = extraConfig;
        this.name = name;
        this.workDir = workDir;
        this.spec = spec;
        this.launch = launch;
        this.config = workDir.resolve("agent.yml");
        this.dataDir = workDir.resolve("data");
        this.logFile = workDir.resolve("agent.log");
    }

    /**
     * Writes the device's files under {@code workDir/name} (created; must not hold a previous device's data
     * dir unless that is wanted) without starting anything.
     */
    public static AgentProcess create(Path workDir, String name, AgentSpec spec, AgentLaunch launch) {
        return create(workDir, name, spec, launch, "");
    }

    /**
     * As {@link #create(Path, String, AgentSpec, AgentLaunch)}, with {@code extraConfig} appended to {@code agent.yml}:
     * further top-level sections the fixture does not write itself (e.g. {@code releases:}), as YAML text.
     */
    public static AgentProcess create(Path workDir, String name, AgentSpec spec, AgentLaunch launch, String extraConfig) {
        AgentProcess p = new AgentProcess(name, workDir.resolve(name), spec, launch, extraConfig);
        p.writeFiles();
        return p;
    }

    /** Starts the agent; fails when it is already running. */
    public AgentProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("agent " + name + " is already running (pid " + process.pid() + ")");
        }
        starts++;
        List<String> command = launch.command(config);
        try {
            Files.writeString(logFile, "=== fixture: start #" + starts + " at " + Instant.now() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            pb.environment().remove("NOTIFY_SOCKET"); // never talk to a service manager of the build machine
            pb.environment().remove("FLEETLET_JVM_OPTS");
            pb.environment().remove("FLEETLET_JVM_EXTRA_OPTS");
            pb.environment().putAll(launch.environment(workDir));
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start agent " + name + ": " + command, e);
        }
        return this;
    }

    /** SIGTERM, then waits up to 30 s (SIGKILL after that); returns the exit code, or -1 when it was not running. */
    public int stop() {
        if (process == null) {
            return -1;
        }
        process.destroy();
        return waitFor(30, true);
    }

    /** SIGKILL (power cut: no shutdown hook, no final flush); returns the exit code, or -1 when it was not running. */
    public int kill() {
        if (process == null) {
            return -1;
        }
        process.destroyForcibly();
        return waitFor(30, false);
    }

    /** {@link #stop()} then {@link #start()}. */
    public AgentProcess restart() {
        stop();
        return start();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The exit code of the last run, when it has ended. */
    public Optional<Integer> exitCode() {
        return process == null || process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    public String name() {
        return name;
    }

    public AgentSpec spec() {
        return spec;
    }

    public Path workDir() {
        return workDir;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** How often {@link #start()} was called. */
    public int starts() {
        return starts;
    }

    /** The device id from the agent's stored credentials, once it has enrolled. */
    public Optional<String> deviceId() {
        Path credentials = dataDir.resolve("identity").resolve("credentials.json");
        if (!Files.isRegularFile(credentials)) {
            return Optional.empty();
        }
        try {
            JsonNode id = new ObjectMapper().readTree(credentials.toFile()).get("deviceId");
            return id == null || id.asText().isEmpty() ? Optional.empty() : Optional.of(id.asText());
        } catch (IOException e) {
            return Optional.empty(); // being written right now: not enrolled yet as far as the caller can tell
        }
    }

    /** The whole log of every run so far. */
    public String log() {
        try {
            return Files.isRegularFile(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + logFile, e);
        }
    }

    /** Lines of the log containing {@code text}, in order. */
    public List<String> logLines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : log().split("\n")) {
            if (line.contains(text)) {
                out.add(line);
            }
        }
        return out;
    }

    /** How many log lines contain {@code text}. */
    public int count(String text) {
        return logLines(text).size();
    }

    /** Successful MQTT connects over all runs so far. */
    public int connects() {
        return count(CONNECTED_LINE);
    }

    /**
     * The telemetry queue's counters as the agent logged them when it last opened its queue (at each start):
     * stream id, last appended batch seq and last acknowledged seq.
     */
    public Optional<QueueCounters> lastQueueOpened() {
        List<String> lines = logLines("telemetry queue opened");
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = QUEUE_OPENED.matcher(lines.get(lines.size() - 1));
        if (!m.find()) {
            throw new IllegalStateException("unexpected queue line in " + logFile + ": " + lines.get(lines.size() - 1));
        }
        return Optional.of(new QueueCounters(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
    }

    /** The agent's telemetry queue as logged at open: its stream, the last batch appended and the last acknowledged. */
    public record QueueCounters(String stream, long lastSeq, long ackedSeq) {
    }

    /** The last {@code lines} lines of the log. */
    public String logTail(int lines) {
        String[] all = log().split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
            sb.append(all[i]).append('\n');
        }
        return sb.toString();
    }

    /** For assertion messages: name, state, log path and the log's last 80 lines. */
    public String describe() {
        String state = process == null ? "never started"
                : process.isAlive() ? "running pid " + process.pid() : "exited " + process.exitValue();
        return "agent " + name + " (" + state + ", " + starts + " start(s)), log " + logFile + ", last lines:\n"
                + logTail(80);
    }

    @Override
    public void close() {
        if (isAlive()) {
            kill();
        }
    }

    private int waitFor(long seconds, boolean escalate) {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                if (!escalate) {
                    throw new IllegalStateException("agent " + name + " did not end " + seconds + " s after SIGKILL");
                }
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for agent " + name, e);
        }
        return process.exitValue();
    }

    private void writeFiles() {
        try {
            Path root = workDir.resolve("root");
            Files.createDirectories(root.resolve("etc"));
            Files.createDirectories(root.resolve("proc/device-tree"));
            Files.createDirectories(dataDir);
            Files.writeString(root.resolve("etc/machine-id"), spec.serial() + "\n");
            Files.writeString(root.resolve("proc/device-tree/model"), "Fleetlet end-to-end simulated board\u0000");
            Files.writeString(root.resolve("proc/meminfo"), "MemTotal:        1024000 kB\n");
            ObjectMapper json = new ObjectMapper();
            ObjectNode prov = json.createObjectNode();
            prov.put("serverUrl", spec.serverUrl().toString());
            prov.put("token", spec.token());
            spec.caCertificatePem().ifPresent(pem -> prov.put("caCertificatePem", pem));
            Path provisioning = workDir.resolve("provisioning.json");
            Files.write(provisioning, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(prov));
            String interval = spec.sampleInterval().toMillis() + "ms";
            Files.writeString(config, """
                    agent:
                      dataDir: %1$s
                      provisioningFile: %2$s
                      fsRoot: %3$s
                    server:
                      retryMaxDelay: %4$s
                    mqtt:
                      reconnectInitial: %5$s
                      reconnectMax: %6$s
                      stableAfter: %7$s
                    telemetry:
                      batchInterval: %8$s
                    hardware:
                      board:
                        type: simulated
                        dataDir: %1$s
                      sensors:
                        - { type: bme280, name: %9$s, bus: 1, address: 0x76, interval: %12$s }
                        - { type: sht3x, name: %10$s, bus: 1, address: 0x44, interval: %12$s }
                        - { type: ads1115, name: %11$s, bus: 1, address: 0x48, interval: %12$s }
                    """.formatted(dataDir, provisioning, root, ms(spec.enrollRetryMax()), ms(spec.reconnectInitial()),
                    ms(spec.reconnectMax()), ms(spec.stableAfter()), ms(spec.batchInterval()), SENSOR_BME280,
                    SENSOR_SHT3X, SENSOR_ADS1115, interval) + extraConfig);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the files of agent " + name + " under " + workDir, e);
        }
    }

    private static String ms(java.time.Duration d) {
        return d.toMillis() + "ms";
    }
}
