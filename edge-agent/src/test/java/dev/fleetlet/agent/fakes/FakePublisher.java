package dev.fleetlet.agent.fakes;

import dev.fleetlet.agent.mqtt.MessagePublisher;
import dev.fleetlet.agent.mqtt.OutgoingMessage;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records publishes; "connected" can be switched; while disconnected every publish fails like Paho's. */
public final class FakePublisher implements MessagePublisher {

    private final List<OutgoingMessage> sent = new CopyOnWriteArrayList<>();
    private volatile boolean connected = true;
    private volatile boolean refuse;

    /** While set, every publish fails although connected, like a PUBACK 0x99 from the broker. */
    public void refuse(boolean r) {
        refuse = r;
    }

    public void connected(boolean c) {
        connected = c;
    }

    @Override
    public CompletableFuture<Void> publish(OutgoingMessage message) {
        if (!connected) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        if (refuse) {
            return CompletableFuture.failedFuture(new IllegalStateException("0x99 payload format invalid"));
        }
        sent.add(message);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    public List<OutgoingMessage> sent() {
        return sent;
    }

    public List<OutgoingMessage> on(String topic) {
        return sent.stream().filter(m -> m.topic().equals(topic)).toList();
    }

    /** Decodes every message on {@code topic}; fails the test if one is invalid. */
    public <T> List<T> decoded(String topic, MessageType<T> type, ProtocolCodec codec) {
        return on(topic).stream().map(m -> codec.decode(type, m.payload()).orElseThrow()).toList();
    }

    public void clear() {
        sent.clear();
    }
}
