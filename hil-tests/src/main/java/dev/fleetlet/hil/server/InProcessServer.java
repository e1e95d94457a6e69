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

    private InProcessServer(EmbeddedServer server, Path dataDir, int mqttPort) {
        this.server = server;
        this.dataDir = dataDir;
        this.mqttPort = mqttPort;
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
        return new InProcessServer(server, dataDir, mqtt);
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
