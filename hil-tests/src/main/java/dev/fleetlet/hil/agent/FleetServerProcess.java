package dev.fleetlet.hil.agent;

import dev.fleetlet.hil.server.InProcessServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The packaged fleet server ({@code fleet-server.jar} with {@code lib/} beside it) as a child JVM, for tests that
 * stop and start the server (and with it the embedded broker) many times on one data dir and the same ports, as
 * an operator restarting the service does. A fresh JVM per start: restarting the server inside one JVM on the same
 * H2 file is not a supported operation (it corrupted the H2 file in a trial: "File corrupted while reading record
 * ... Double mark").
 *
 * <p>Ports are picked once at {@link #create}; the MQTT public URI told to devices is {@code tcp://127.0.0.1:<port>}.
 * Output of every run is appended to {@code server.log} in the work dir, each run after a {@code === fixture:}
 * line. Not thread-safe.
 */
public final class FleetServerProcess implements AutoCloseable {

    /** System property naming the folder with {@code fleet-server.jar} and {@code lib/} (hil-tests' pom sets it). */
    public static final String HOME_PROPERTY = "fleetlet.server.home";

    private final Path jar;
    private final Path dataDir;
    private final Path logFile;
    private final int httpPort;
    private final int mqttPort;
    private final Map<String, String> properties;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1).build();
    private Process process;
    private int starts;
    private Path classArchive;

    private FleetServerProcess(Path jar, Path workDir, Map<String, String> extra) {
        this.jar = jar;
        this.dataDir = workDir.resolve("data");
        this.logFile = workDir.resolve("server.log");
        this.httpPort = InProcessServer.freePort();
        this.mqttPort = InProcessServer.freePort();
        Map<String, String> p = new TreeMap<>();
        p.put("fleetlet.data-dir", dataDir.toString());
        p.put("micronaut.server.port", Integer.toString(httpPort));
        p.put("fleetlet.mqtt.host", "127.0.0.1");
        p.put("fleetlet.mqtt.port", Integer.toString(mqttPort));
        p.put("fleetlet.mqtt.tls.port", Integer.toString(InProcessServer.freePort()));
        p.put("fleetlet.mqtt.public-uri", "tcp://127.0.0.1:" + mqttPort);
        p.putAll(extra);
        this.properties = p;
    }

    /**
     * Prepares a server in {@code workDir} (data dir {@code workDir/data}) from the folder named by
     * {@value #HOME_PROPERTY}; {@code extra} are further {@code -D} properties (e.g. the initial admin password).
     *
     * @throws IllegalStateException when the property is missing or the folder has no {@code fleet-server.jar}
     */
    public static FleetServerProcess create(Path workDir, Map<String, String> extra) {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null) {
            throw new IllegalStateException("set -D" + HOME_PROPERTY + "=<folder with fleet-server.jar and lib/> "
                    + "(hil-tests' Failsafe configuration does)");
        }
        Path jar = Path.of(home, "fleet-server.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": package fleet-server first (./mvnw -pl fleet-server "
                    + "install -DskipTests with the same -Dfleetlet.build.dir)");
        }
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FleetServerProcess(jar, workDir, extra);
    }

    /**
     * Makes later starts faster with a dynamic AppCDS archive at {@code archive}: the first start writes it when its
     * JVM exits (after {@link #stop}), later starts map the classes from it instead of loading and verifying them
     * from the jars again. An archive the JVM cannot use (another jar, another JDK) is ignored with a warning in
     * the log ({@code -Xshare:auto}), so this changes how fast the server starts, never what it does.
     */
    public FleetServerProcess withClassArchive(Path archive) {
        this.classArchive = archive;
        return this;
    }

    /** Starts the server JVM and waits until {@code /health} answers 200, at most {@code atMost}. */
    public FleetServerProcess start(Duration atMost) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("fleet server already running (pid " + process.pid() + ")");
        }
        starts++;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // C1 only and the serial collector: a test server that starts often, on a loaded build machine
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        if (classArchive != null) {
            command.add("-Xshare:auto");
            command.add(Files.isRegularFile(classArchive) ? "-XX:SharedArchiveFile=" + classArchive
                    : "-XX:ArchiveClassesAtExit=" + classArchive);
        }
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        try {
            Files.writeString(logFile, "=== fixture: start #" + starts + " at " + Instant.now() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fleet server: " + command, e);
        }
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!healthy()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("fleet server exited " + process.exitValue() + ", log " + logFile + ":\n"
                        + logTail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("fleet server not healthy within " + atMost + ", log " + logFile + ":\n"
                        + logTail(40));
            }
            pause(200);
        }
        return this;
    }

    /** SIGTERM (the server's shutdown sequence runs), waits up to 60 s, then SIGKILL. */
    public void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted stopping the fleet server", e);
        }
    }

    /** SIGKILL (a crash: no shutdown sequence, nothing flushed) and waits up to 30 s for the process to end. */
    public void kill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted killing the fleet server", e);
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public URI httpUri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public int mqttPort() {
        return mqttPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The JDBC URL of the server's H2 file; open it only while the server is stopped. */
    public String h2Url() {
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("fleetlet") + ";AUTO_SERVER=FALSE";
    }

    public Path logFile() {
        return logFile;
    }

    /** The last {@code lines} lines of the server's log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }

    private boolean healthy() {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(httpUri().resolve("/health"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the fleet server", e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // polling /health of a starting process
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
