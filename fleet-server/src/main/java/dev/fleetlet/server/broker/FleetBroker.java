package dev.fleetlet.server.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.publish.RetainedMessageStore;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.server.broker.internal.BrokerConfigXml;
import dev.fleetlet.server.broker.internal.ClientCaTrustStore;
import dev.fleetlet.server.broker.internal.FleetletExtension;
import dev.fleetlet.server.broker.internal.MqttMetrics;
import dev.fleetlet.server.broker.internal.PendingCommands;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded HiveMQ CE broker, started with the application context and stopped with it.
 *
 * <p>At start it writes {@code <data-dir>/broker/conf/config.xml} from {@link BrokerSettings}, keeps its
 * persistence in {@code <data-dir>/broker/data}, and installs the one {@link FleetletExtension} (which
 * authenticates through {@link ClientDirectory}, authorizes by the protocol ACL, reports presence and
 * intercepts device publishes). Start failure (port in use, unreadable keystore) fails the context.
 * Disable it with {@code fleetlet.mqtt.enabled=false} (tests of unrelated features).
 */
@Context
@Requires(property = "fleetlet.mqtt.enabled", notEquals = "false")
public class FleetBroker {

    private static final Logger log = LoggerFactory.getLogger(FleetBroker.class);

    private final BrokerSettings settings;
    private final FleetletExtension extension;
    private final MqttMetrics metrics;
    private final PendingCommands commands = new PendingCommands();
    private final ProtocolCodec codec = new ProtocolCodec();
    private final ExecutorService authExecutor;
    private final EmbeddedHiveMQ hivemq;
    private volatile boolean running;

    public FleetBroker(BrokerSettings settings, ClientDirectory directory, PresenceListener presence,
                       TelemetrySink telemetry, MeterRegistry meterRegistry, Optional<Clock> clock,
                       @Value("${fleetlet.mqtt.auth-timeout:20s}") Duration authTimeout,
                       @Value("${fleetlet.mqtt.auth-threads:0}") int authThreads,
                       @Value("${fleetlet.mqtt.auth-queue:20000}") int authQueue,
                       Optional<DeviceStateSink> states, Optional<LogChunkSink> logs,
                       Optional<CertificateDirectory> certificates) {
        this.settings = settings;
        this.metrics = new MqttMetrics(meterRegistry);
        if (authTimeout.isNegative() || authTimeout.isZero() || authTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("fleetlet.mqtt.auth-timeout must be between 1ms and 10m, was " + authTimeout);
        }
        if (authThreads < 0 || authThreads > 256) {
            throw new IllegalArgumentException("fleetlet.mqtt.auth-threads must be between 0 (automatic) and 256, was " + authThreads);
        }
        if (authQueue < 1) {
            throw new IllegalArgumentException("fleetlet.mqtt.auth-queue must be at least 1, was " + authQueue);
        }
        // verification is mostly CPU (one PBKDF2 on a cache miss) plus one registry lookup: a few threads per core
        int threads = authThreads > 0 ? authThreads : Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        AtomicInteger n = new AtomicInteger();
        this.authExecutor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(authQueue), r -> {
                    Thread t = new Thread(r, "mqtt-auth-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.extension = new FleetletExtension(settings, directory, presence, telemetry, commands, codec, metrics,
                clock.orElse(Clock.systemUTC()), authExecutor, authTimeout, states.orElse(DeviceStateSink.NONE),
                logs.orElse(LogChunkSink.NONE));
        if (settings.clientAuth() != BrokerSettings.ClientAuth.NONE) {
            extension.useCertificates(certificates.orElseThrow(() -> new IllegalStateException(
                    "fleetlet.mqtt.tls.client-auth=" + settings.clientAuth().wire() + " but no fleet CA is available")),
                    settings.clientAuth());
        }
        Path conf = settings.brokerDir().resolve("conf");
        Path data = settings.brokerDir().resolve("data");
        Path extensions = settings.brokerDir().resolve("extensions");
        writeConfig(conf, extensions, data, settings.clientAuth() == BrokerSettings.ClientAuth.NONE ? null
                : ClientCaTrustStore.write(conf, certificates.get().trustAnchor()));
        this.hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withoutLoggingBootstrap()
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("fleetlet")
                        .withName("Fleetlet fleet server")
                        .withVersion("1")
                        .withAuthor("Fleetlet")
                        .withPriority(1000)
                        .withStartPriority(1000)
                        .withExtensionMain(extension)
                        .build())
                .build();
        long started = System.nanoTime();
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            authExecutor.shutdownNow();
            closeQuietly();
            throw new IllegalStateException("embedded MQTT broker failed to start with " + settings + ": " + rootMessage(e), e);
        }
        running = true;
        log.info("mqtt broker started port={} tlsPort={} dir={} startMs={}", settings.port(),
                settings.tlsEnabled() ? settings.tlsPort() : "off", settings.brokerDir(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Whether the broker is accepting connections. */
    public boolean isRunning() {
        return running;
    }

    public BrokerSettings settings() {
        return settings;
    }

    /** Authenticated MQTT connections right now (devices and telemetry readers). */
    public int connectedClients() {
        return metrics.connectedClients();
    }

    PublishService publishService() {
        PublishService service = extension.publishService();
        if (!running || service == null) {
            throw new IllegalStateException("the embedded MQTT broker is not running");
        }
        return service;
    }

    /**
     * Ends the MQTT session of a client, if connected, and completes when the broker has closed it
     * (true) or found no such client (false).
     */
    CompletableFuture<Boolean> disconnect(String clientId) {
        ClientService clients = extension.clientService();
        if (!running || clients == null) {
            return CompletableFuture.completedFuture(false);
        }
        return clients.disconnectClient(clientId, true, DisconnectReasonCode.NOT_AUTHORIZED, "device decommissioned");
    }

    /** Removes a retained message; completes when removed (or when there was none). */
    CompletableFuture<Void> clearRetained(String topic) {
        RetainedMessageStore store = extension.retainedMessages();
        if (!running || store == null) {
            return CompletableFuture.completedFuture(null);
        }
        return store.remove(topic);
    }

    /** Whether a retained message is stored for {@code topic} (diagnostics and tests). */
    CompletableFuture<Boolean> hasRetained(String topic) {
        RetainedMessageStore store = extension.retainedMessages();
        if (!running || store == null) {
            return CompletableFuture.completedFuture(false);
        }
        return store.getRetainedMessage(topic).thenApply(Optional::isPresent);
    }

    PendingCommands pendingCommands() {
        return commands;
    }

    ProtocolCodec codec() {
        return codec;
    }

    /**
     * Stops the broker: no new connections, every client disconnected (their presence reported to the
     * {@link PresenceListener} as far as the broker reports it). Idempotent; called by the server's shutdown
     * sequence before presence and telemetry are flushed, and again (no-op) at bean destruction. A failing
     * stop is logged, not thrown.
     */
    @PreDestroy
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        long started = System.nanoTime();
        try {
            hivemq.stop().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("mqtt broker stop failed error={}", rootMessage(e));
        } finally {
            closeQuietly();
            authExecutor.shutdownNow();
        }
        log.info("mqtt broker stopped stopMs={}", (System.nanoTime() - started) / 1_000_000);
    }

    private void closeQuietly() {
        try {
            hivemq.close();
        } catch (Exception e) {
            log.debug("mqtt broker close error={}", e.toString());
        }
    }

    private void writeConfig(Path conf, Path extensions, Path data, BrokerConfigXml.TrustStore trust) {
        try {
            Files.createDirectories(conf);
            Files.createDirectories(extensions);
            Files.createDirectories(data);
            Path file = conf.resolve("config.xml");
            Path tmp = conf.resolve("config.xml.tmp");
            Files.writeString(tmp, BrokerConfigXml.render(settings, trust), StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                log.debug("no POSIX permissions on {}", tmp);
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write broker configuration under " + conf, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
