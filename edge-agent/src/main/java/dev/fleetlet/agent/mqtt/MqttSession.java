package dev.fleetlet.agent.mqtt;

import dev.fleetlet.agent.backoff.Backoff;
import dev.fleetlet.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's MQTT v5 session (Eclipse Paho), per docs/protocol.md "MQTT connection rules":
 * client id = user name = device id, password = device secret, clean start off with an explicit session
 * expiry, the offline presence as a retained QoS 1 Will; after every CONNACK it subscribes (QoS 1) to its
 * own {@code state/desired} and {@code commands/req}, publishes its birth presence (retained, QoS 1) and
 * tells the {@link Listener}s (the telemetry publisher then drains the backlog).
 *
 * <p>Reconnects: Paho's automatic reconnect is off (its back-off counter is static, shared by every client
 * in the JVM and has no jitter); one daemon thread reconnects with {@link Backoff} (full jitter, capped),
 * and a connection that stayed up for {@code stableAfter} resets the back-off. Paho keeps in-flight
 * messages in {@link MemoryPersistence} only (no files in the working directory): telemetry durability
 * comes from the agent's own store-and-forward queue.
 *
 * <p>In-flight window: at most {@code maxInFlight} QoS 1 publishes wait for PUBACK; {@link #publish} waits
 * for a slot instead of failing with Paho's 32202 "too many publishes in progress".
 */
public final class MqttSession implements AutoCloseable, MessagePublisher {

    /** Called from Paho's callback thread; keep it short. */
    public interface Listener {
        default void connected() {
        }

        default void disconnected(String reason) {
        }

        /** A message on one of the subscribed topics. */
        default void message(String topic, MqttMessage message) {
        }
    }

    private static final Logger log = LoggerFactory.getLogger(MqttSession.class);

    /**
     * Maximum Packet Size announced at CONNECT: twice the largest payload the device accepts (desired
     * state, 256 KiB). Larger packets are dropped by the broker and never reach the agent's heap; payloads
     * between their topic's limit and this size are delivered and rejected with a reason by the handlers.
     */
    public static final long MAX_INCOMING_PACKET_BYTES = 512L * 1024;

    private final SessionSettings settings;
    private final Backoff backoff;
    private final MqttAsyncClient client;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Semaphore window;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile boolean running;
    private volatile boolean connected;
    private volatile long connectedAtNanos;
    private Thread connector;

    public MqttSession(SessionSettings settings, Backoff backoff) {
        this.settings = Objects.requireNonNull(settings);
        this.backoff = Objects.requireNonNull(backoff);
        this.window = new Semaphore(settings.maxInFlight());
        try {
            this.client = new MqttAsyncClient(settings.uri().toString(), settings.deviceId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("mqtt.uri: cannot use " + settings.uri() + ": " + e.getMessage(), e);
        }
        client.setCallback(new Callback());
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Starts the connect/reconnect loop; returns at once. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        connector = new Thread(this::connectLoop, "mqtt-connector");
        connector.setDaemon(true);
        connector.start();
    }

    @Override
    public boolean isConnected() {
        return connected && client.isConnected();
    }

    /**
     * Publishes with PUBACK (QoS 1) or fire-and-forget (QoS 0). Blocks while the in-flight window is full.
     *
     * @return completes when the broker acknowledged (QoS 1) or the message was written (QoS 0); fails when
     *     the session is down or the broker refused it
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retained)
            throws InterruptedException {
        return publish(topic, payload, qos, retained, null);
    }

    /** {@link MessagePublisher}: as {@link #publish(String, byte[], int, boolean)}, with correlation data. */
    @Override
    public CompletableFuture<Void> publish(OutgoingMessage m) {
        try {
            return publish(m.topic(), m.payload(), m.qos(), m.retained(), m.correlationData());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retained,
                                            byte[] correlationData) throws InterruptedException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        window.acquire();
        MqttProperties properties = jsonProperties();
        if (correlationData != null) {
            properties.setCorrelationData(correlationData);
        }
        MqttMessage message = new MqttMessage(payload, qos, retained, properties);
        while (true) {
            try {
                client.publish(topic, message, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        window.release();
                        done.complete(null);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable error) {
                        window.release();
                        done.completeExceptionally(error);
                    }
                });
                return done;
            } catch (MqttException e) {
                if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    // the broker's receive maximum is below our window: wait for a completion, then retry
                    awaitChange(Duration.ofMillis(50));
                    continue;
                }
                window.release();
                done.completeExceptionally(e);
                return done;
            }
        }
    }

    /**
     * Publishes the shutdown presence, disconnects with reason 0x00 (so the broker drops the Will) and
     * stops reconnecting.
     */
    @Override
    public void close() {
        running = false;
        signal();
        if (connector != null) {
            connector.interrupt();
        }
        try {
            if (client.isConnected()) {
                try {
                    client.publish(Topics.presence(settings.deviceId()),
                            new MqttMessage(settings.shutdownPresence().get(), 1, true, jsonProperties()))
                            .waitForCompletion(2000);
                } catch (MqttException e) {
                    log.warn("shutdown presence not sent deviceId={} error={}", settings.deviceId(), e.toString());
                }
                client.disconnect(2000, null, null, 0, new MqttProperties()).waitForCompletion(3000);
            }
            client.close(true);
        } catch (MqttException e) {
            log.warn("mqtt close failed deviceId={} error={}", settings.deviceId(), e.toString());
        }
    }

    private void connectLoop() {
        while (running) {
            if (isConnected()) {
                awaitChange(Duration.ofSeconds(5));
                continue;
            }
            try {
                client.connect(options()).waitForCompletion(settings.connectTimeout().toMillis());
                afterConnect();
            } catch (MqttException e) {
                Duration delay = backoff.next();
                log.warn("mqtt connect failed deviceId={} uri={} reason={} retryIn={}ms attempt={}",
                        settings.deviceId(), settings.uri(), e.getMessage(), delay.toMillis(), backoff.attempts());
                sleep(delay);
            }
        }
    }

    private void afterConnect() throws MqttException {
        String id = settings.deviceId();
        client.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.desiredState(id), 1),
                new MqttSubscription(Topics.commandRequests(id), 1)}).waitForCompletion(10_000);
        client.publish(Topics.presence(id), new MqttMessage(settings.birthPresence().get(), 1, true, jsonProperties()))
                .waitForCompletion(10_000);
        connectedAtNanos = System.nanoTime();
        connected = true;
        log.info("mqtt connected deviceId={} uri={}", id, settings.uri());
        for (Listener l : listeners) {
            l.connected();
        }
        signal();
    }

    private MqttConnectionOptions options() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(settings.deviceId());
        o.setPassword(settings.secret().getBytes(StandardCharsets.UTF_8));
        o.setCleanStart(false);
        o.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
        o.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        o.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        o.setAutomaticReconnect(false);
        o.setReceiveMaximum(settings.maxInFlight());
        o.setMaximumPacketSize(MAX_INCOMING_PACKET_BYTES);
        MqttProperties willProps = jsonProperties();
        willProps.setWillDelayInterval(0L);
        o.setWillMessageProperties(willProps);
        o.setWill(Topics.presence(settings.deviceId()),
                new MqttMessage(settings.willPresence().get(), 1, true, null));
        settings.sslContext().ifPresent(ctx -> {
            o.setSocketFactory(ctx.getSocketFactory());
            o.setHttpsHostnameVerificationEnabled(true);
        });
        return o;
    }

    private static MqttProperties jsonProperties() {
        MqttProperties p = new MqttProperties();
        p.setPayloadFormat(true);
        p.setContentType("application/json");
        return p;
    }

    private void onConnectionLost(String reason) {
        if (!connected) {
            return;
        }
        connected = false;
        Duration upFor = Duration.ofNanos(System.nanoTime() - connectedAtNanos);
        if (upFor.compareTo(settings.stableAfter()) >= 0) {
            backoff.reset();
        }
        log.warn("mqtt connection lost deviceId={} reason={} upFor={}s", settings.deviceId(), reason, upFor.toSeconds());
        for (Listener l : listeners) {
            l.disconnected(reason);
        }
        signal();
    }

    private void sleep(Duration d) {
        lock.lock();
        try {
            long nanos = d.toNanos();
            while (running && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
                if (!running) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private void awaitChange(Duration max) {
        lock.lock();
        try {
            changed.await(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            onConnectionLost(response.getReasonString() != null ? response.getReasonString()
                    : String.valueOf(response.getException()));
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            log.warn("mqtt error deviceId={} error={}", settings.deviceId(), exception.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            for (Listener l : listeners) {
                try {
                    l.message(topic, message);
                } catch (RuntimeException e) {
                    log.error("message handler failed topic={} error={}", topic, e.toString());
                }
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            signal();
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // handled in afterConnect, on the connector thread
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
