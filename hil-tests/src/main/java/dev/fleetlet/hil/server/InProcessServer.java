package dev.fleetlet.hil.server;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fleet server started inside this JVM (HTTP API, database, embedded broker), for the demo and the
 * end-to-end tests. Devices are told to connect to {@code tcp://127.0.0.1:<mqttPort>}.
 *
 * <p>Start cost is a few seconds (Flyway, broker start); stop takes ~4 s (the broker's shutdown).
 */
public final class InProcessServer implements AutoCloseable {

    private final EmbeddedServer server;
    private final Path dataDir;
    private final int mqttPort;
    private final int configuredHttpPort;
    private final Map<String, Object> extra;

    private InProcessServer(EmbeddedServer server, Path dataDir, int httpPort, int mqttPort, Map<String, Object> extra) {
        this.server = server;
        this.dataDir = dataDir;
        this.configuredHttpPort = httpPort;
        this.mqttPort = mqttPort;
        this.extra = Map.copyOf(extra);
    }

    /**
     * Starts a server.
     *
     * @param dataDir     the server's {@code fleetlet.data-dir}; created when missing
     * @param httpPort    HTTP port, 0 for a free one
     * @param mqttPort    MQTT port, 0 for a free one
     * @param extra       further configuration properties (e.g. {@code fleetlet.admin.initial-password})
     * @throws IllegalStateException naming the port when one is taken
     */
    public static InProcessServer start(Path dataDir, int httpPort, int mqttPort, Map<String, Object> extra) {
        useFleetletLogging();
        int http = httpPort == 0 ? freePort() : requireFree("HTTP port (micronaut.server.port)", httpPort);
        int mqtt = mqttPort == 0 ? freePort() : requireFree("MQTT port (fleetlet.mqtt.port)", mqttPort);
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data dir " + dataDir, e);
        }
        Map<String, Object> props = new HashMap<>();
        props.put("fleetlet.data-dir", dataDir.toAbsolutePath().toString());
        props.put("micronaut.server.port", http);
        props.put("fleetlet.mqtt.port", mqtt);
        props.put("fleetlet.mqtt.public-uri", "tcp://127.0.0.1:" + mqtt);
        props.putAll(extra);
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props);
        return new InProcessServer(server, dataDir, http, mqtt, extra);
    }

    /**
     * Stops this server and starts it again on the same data dir (H2 file, broker data), the same HTTP and
     * MQTT ports and the same extra properties, as an operator restarting the service would; devices keep
     * their credentials and reconnect to the same address. Waits up to {@code portWait} for the ports to be
     * free again after the stop.
     *
     * @return the new server; this instance is closed
     * @throws IllegalStateException naming the port when it is still taken after {@code portWait}
     */
    public InProcessServer restart(java.time.Duration portWait) {
        close();
        awaitFree(configuredHttpPort, portWait);
        awaitFree(mqttPort, portWait);
        return start(dataDir, configuredHttpPort, mqttPort, extra);
    }

    /**
     * Starts a server again on a data dir and the ports a previous (closed) one used, e.g. after a network cut
     * simulated by {@link #close()}.
     */
    public static InProcessServer startAgain(InProcessServer closed, java.time.Duration portWait) {
        awaitFree(closed.configuredHttpPort, portWait);
        awaitFree(closed.mqttPort, portWait);
        return start(closed.dataDir, closed.configuredHttpPort, closed.mqttPort, closed.extra);
    }

    /** The HTTP port this server was configured with ({@code micronaut.server.port}). */
    public int configuredHttpPort() {
        return configuredHttpPort;
    }

    private static void awaitFree(int port, java.time.Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                new ServerSocket(port).close();
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("port " + port + " still in use " + wait + " after the server stopped", e);
                }
                try {
                    Thread.sleep(100); // polling a port, no condition object to wait on
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted waiting for port " + port, ie);
                }
            }
        }
    }

    /** Makes logback read the server's configuration, not the broker jar's {@code logback.xml}. */
    public static void useFleetletLogging() {
        if (System.getProperty("logback.configurationFile") == null
                && InProcessServer.class.getClassLoader().getResource("fleetlet-logback.xml") != null) {
            System.setProperty("logback.configurationFile", "fleetlet-logback.xml");
        }
    }

    /** The HTTP base URI, e.g. {@code http://127.0.0.1:8080}. */
    public URI httpUri() {
        return URI.create("http://127.0.0.1:" + server.getPort());
    }

    /**
     * The base URI with the scheme the server actually serves on its main port: {@code https://127.0.0.1:<port>}
     * when {@code fleetlet.http.tls.keystore} turned HTTPS on (then {@link #httpUri()} is not usable), else as
     * {@link #httpUri()}.
     */
    public URI baseUri() {
        return URI.create(server.getScheme() + "://127.0.0.1:" + server.getPort());
    }

    public int httpPort() {
        return server.getPort();
    }

    public int mqttPort() {
        return mqttPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The server's application context, for tests that need a bean (e.g. the device publisher). */
    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    /** The generated initial admin password, if the server wrote one into its data dir. */
    public Optional<String> initialAdminPassword() {
        Path file = dataDir.resolve("initial-admin-password");
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void close() {
        server.close();
    }

    /** A free TCP port (HiveMQ embedded does not take port 0). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int requireFree(String what, int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
            return port;
        } catch (IOException e) {
            throw new IllegalStateException(what + " " + port + " is already in use", e);
        }
    }
}
