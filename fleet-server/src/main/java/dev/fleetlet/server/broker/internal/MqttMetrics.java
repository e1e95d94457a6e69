package dev.fleetlet.server.broker.internal;

import dev.fleetlet.protocol.TopicKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Broker-side meters: {@code fleetlet.mqtt.messages.in{kind}}, {@code fleetlet.mqtt.messages.rejected{kind,reason}}
 * and the gauge {@code fleetlet.mqtt.clients.connected}.
 */
public final class MqttMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger connected = new AtomicInteger();
    private final Map<TopicKind, Counter> in = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    public MqttMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("fleetlet.mqtt.clients.connected", connected, AtomicInteger::get)
                .description("authenticated MQTT connections").register(registry);
    }

    void received(TopicKind kind) {
        in.computeIfAbsent(kind, k -> Counter.builder("fleetlet.mqtt.messages.in")
                .description("publishes from devices on protocol topics")
                .tag("kind", tag(k)).register(registry)).increment();
    }

    /** Counts a refused publish; {@code kind} is null for a topic outside the protocol. */
    void rejected(TopicKind kind, String reason) {
        String kindTag = kind == null ? "unknown" : tag(kind);
        rejected.computeIfAbsent(kindTag + '/' + reason, k -> Counter.builder("fleetlet.mqtt.messages.rejected")
                .description("publishes refused by the server, by reason")
                .tag("kind", kindTag).tag("reason", reason).register(registry)).increment();
    }

    /** A CONNECT refused because the directory did not answer within {@code fleetlet.mqtt.auth-timeout}. */
    void authTimedOut() {
        count("fleetlet.mqtt.auth.timeouts", "CONNECTs refused because authentication did not finish in time");
    }

    /** A directory answer that arrived after its CONNECT had already been refused for the timeout. */
    void authLate() {
        count("fleetlet.mqtt.auth.late", "authentication answers dropped because the CONNECT had timed out");
    }

    /** A CONNECT refused with SERVER_BUSY because the authentication queue was full. */
    void authRejectedBusy() {
        count("fleetlet.mqtt.auth.busy", "CONNECTs refused because the authentication queue was full");
    }

    private void count(String name, String description) {
        Counter.builder(name).description(description).register(registry).increment();
    }

    void connected() {
        connected.incrementAndGet();
    }

    void disconnected() {
        connected.decrementAndGet();
    }

    public int connectedClients() {
        return connected.get();
    }

    private static String tag(TopicKind kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }
}
