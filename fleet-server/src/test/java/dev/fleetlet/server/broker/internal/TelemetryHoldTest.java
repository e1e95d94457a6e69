package dev.fleetlet.server.broker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.client.parameter.ClientInformation;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import dev.fleetlet.server.broker.PresenceListener;
import dev.fleetlet.server.broker.TelemetrySink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A held telemetry publish whose batch is refused only after the ingest timeout (the writer drops a batch that
 * waited too long as expired) while the broker's own timeout timer has not fired yet (late under load): the
 * publish must still be refused, never resumed as delivered, which the device would take as "stored".
 */
class TelemetryHoldTest {

    private static final Instant T = Instant.parse("2026-05-04T08:00:00Z");

    @SuppressWarnings("unchecked")
    private static <T> T fake(Class<T> type, java.util.function.BiFunction<String, Object[], Object> answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> answer.apply(method.getName(), args));
    }

    @Test
    void aBatchRefusedAfterTheTimeoutIsStillRefusedWhenTheBrokersTimerIsLate() {
        // given a telemetry sink that answers only after the 50 ms ingest timeout, with "expired"
        // when the publish is held and the batch is refused after the timeout
        List<String> calls = hold(o -> o.complete(new TelemetrySink.Outcome(TelemetrySink.Outcome.Status.FAILED, "expired")));

        // then the publish is refused before it is resumed
        assertThat(calls).containsExactly("async", "preventPublishDelivery IMPLEMENTATION_SPECIFIC_ERROR", "resume");
    }

    @Test
    void aBatchWhoseStoreFailedAfterTheTimeoutIsStillRefused() {
        List<String> calls = hold(o -> o.completeExceptionally(new IllegalStateException("database gone")));

        assertThat(calls).containsExactly("async", "preventPublishDelivery IMPLEMENTATION_SPECIFIC_ERROR", "resume");
    }

    @Test
    void aBatchStoredAfterTheTimeoutIsResumedAsDelivered() {
        List<String> calls = hold(o -> o.complete(new TelemetrySink.Outcome(TelemetrySink.Outcome.Status.STORED, "")));

        assertThat(calls).containsExactly("async", "resume");
    }

    /**
     * Publishes a telemetry batch through the interceptor (50 ms ingest timeout) to a sink whose answer {@code answer}
     * gives once the timeout has passed, to a broker whose timeout timer has not fired; returns the calls on the
     * publish's output and async hold, once resumed.
     */
    private List<String> hold(java.util.function.Consumer<CompletableFuture<TelemetrySink.Outcome>> answer) {
        CompletableFuture<TelemetrySink.Outcome> outcome = new CompletableFuture<>();
        TelemetrySink sink = (batch, at) -> outcome;
        InboundPublishInterceptor interceptor = new InboundPublishInterceptor(new ProtocolCodec(), sink,
                fake(PresenceListener.class, (m, a) -> null), new PendingCommands(), new MqttMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC(), Duration.ofMillis(50));
        ProtocolCodec codec = new ProtocolCodec();
        byte[] payload = codec.encode(MessageType.TELEMETRY, new TelemetryBatch(1, "dev-1", "stream-1", 7, T, true, 0,
                List.of(Reading.ok("probe", "temperature", "Cel", 21.5, T))));
        PublishPacket packet = fake(PublishPacket.class, (m, a) -> switch (m) {
            case "getTopic" -> Topics.telemetry("dev-1");
            case "getRetain" -> false;
            case "getPayload" -> Optional.of(ByteBuffer.wrap(payload));
            default -> null;
        });
        ConnectionAttributeStore attributes = fake(ConnectionAttributeStore.class,
                (m, a) -> "getAsString".equals(m) ? Optional.of("device:dev-1") : null);
        ConnectionInformation connection = fake(ConnectionInformation.class,
                (m, a) -> "getConnectionAttributeStore".equals(m) ? attributes : null);
        ClientInformation client = fake(ClientInformation.class, (m, a) -> "getClientId".equals(m) ? "dev-1" : null);
        PublishInboundInput input = fake(PublishInboundInput.class, (m, a) -> switch (m) {
            case "getPublishPacket" -> packet;
            case "getConnectionInformation" -> connection;
            case "getClientInformation" -> client;
            default -> null;
        });
        // a broker whose timeout timer has not fired: the output takes a refusal and resume() delivers it
        List<String> calls = new CopyOnWriteArrayList<>();
        Async<PublishInboundOutput> async = fake(Async.class, (m, a) -> {
            calls.add(m);
            return null;
        });
        PublishInboundOutput output = fake(PublishInboundOutput.class, (m, a) -> {
            if ("async".equals(m)) {
                calls.add("async");
                return async;
            }
            if ("preventPublishDelivery".equals(m)) {
                calls.add("preventPublishDelivery " + a[0]);
            }
            return null;
        });

        long held = System.nanoTime();
        interceptor.onInboundPublish(input, output);
        await().until(() -> System.nanoTime() - held > Duration.ofMillis(60).toNanos());
        answer.accept(outcome);
        await().untilAsserted(() -> assertThat(calls).contains("resume"));
        return calls;
    }
}
