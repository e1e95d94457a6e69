package dev.fleetlet.hil.support;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A bare embedded HiveMQ CE on loopback: in-memory persistence, no extension (the embedded broker lets
 * every client in), a large client queue so a counting subscriber does not lose messages. For simulator
 * tests before a fleet server exists, and as the raw throughput limit of the ingest benchmark.
 */
public final class PlainBroker implements AutoCloseable {

    private final EmbeddedHiveMQ broker;
    private final int port;

    private PlainBroker(EmbeddedHiveMQ broker, int port) {
        this.broker = broker;
        this.port = port;
    }

    /** Starts a broker under {@code dir} on {@code port} (0 picks a free one). */
    public static PlainBroker start(Path dir, int port) throws Exception {
        int p = port == 0 ? freePort() : port;
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                    </listeners>
                    <mqtt>
                        <queued-messages><max-queue-size>1000000</max-queue-size></queued-messages>
                    </mqtt>
                    <persistence><mode>in-memory</mode></persistence>
                    <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(p));
        EmbeddedHiveMQ broker = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")))
                .build();
        broker.start().get(60, TimeUnit.SECONDS);
        return new PlainBroker(broker, p);
    }

    public int port() {
        return port;
    }

    /** A free TCP port on loopback (HiveMQ embedded does not accept port 0). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            broker.stop().get(30, TimeUnit.SECONDS);
            broker.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("broker did not stop cleanly", e);
        }
    }
}
