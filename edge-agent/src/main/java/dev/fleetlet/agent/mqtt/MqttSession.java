package dev.fleetlet.agent.mqtt;

import dev.fleetlet.agent.backoff.Backoff;
import dev.fleetlet.protocol.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
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
 * <p>In-flight windows: the broker's Receive Maximum (CONNACK) caps the QoS 1 publishes awaiting PUBACK, and
 * Paho fails any publish beyond it with 32202 "too many publishes in progress". The session splits it: control
 * messages (birth, reported state, events, command responses, log chunks; {@link #publish(OutgoingMessage)}) own
 * {@link #CONTROL_IN_FLIGHT} slots, telemetry ({@link #publish(String, byte[], int, boolean)}) the rest, at most
 * {@code maxInFlight}; so a telemetry backlog never starves a command response or the birth. Both wait for a slot
 * instead of failing, and 32202 from Paho (e.g. messages of the previous connection that Paho re-sends on its
 * own, outside these windows) is back-pressure: the publish waits for an acknowledgement and tries again.
 *
 * <p>Connect sequence: CONNECT, then (before anything else is published) outgoing topic aliases off
 * ({@link OutgoingTopicAliases}), subscribe, birth. When a step after CONNACK fails, the connection is dropped
 * with {@code disconnectForcibly} (no DISCONNECT packet, so the broker publishes the Will) before the next
 * attempt; a client Paho still considers connected or connecting is dropped the same way, so a failed attempt
 * never leaves the session stuck on "client is connected".
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

    /** In-flight slots reserved for control messages (birth, state, events, command responses, log chunks). */
    public static final int CONTROL_IN_FLIGHT = 4;

    /** How long the subscribe and the birth may take on a fresh connection before it is dropped and retried. */
    private static final Duration AFTER_CONNECT_TIMEOUT = Duration.ofSeconds(20);

    private final SessionSettings settings;
    private final Backoff backoff;
    private final MqttAsyncClient client;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final InFlightWindow telemetryWindow;
    private final InFlightWindow controlWindow;
    private final OutgoingTopicAliases aliases;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled on every acknowledgement (PUBACK or failure) of a publish: wakes publishes waiting for Paho's window. */
    private final Condition acked = lock.newCondition();
    /** Signalled when the connection comes up or goes down and on close: wakes the connector thread only. */
    private final Condition connectionChanged = lock.newCondition();
    private volatile boolean running;
    private volatile boolean connected;
    private volatile long connectedAtNanos;
    private final java.util.concurrent.atomic.AtomicLong backPressureWaits = new java.util.concurrent.atomic.AtomicLong();
    private Thread connector;

    public MqttSession(SessionSettings settings, Backoff backoff) {
        this.settings = Objects.requireNonNull(settings);
        this.backoff = Objects.requireNonNull(backoff);
        this.telemetryWindow = new InFlightWindow(settings.maxInFlight());
        this.controlWindow = new InFlightWindow(CONTROL_IN_FLIGHT);
        try {
            this.client = new MqttAsyncClient(settings.uri().toString(), settings.deviceId(), new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException("mqtt.uri: cannot use " + settings.uri() + ": " + e.getMessage(), e);
        }
        this.aliases = OutgoingTopicAliases.of(client);
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
     * Publishes telemetry with PUBACK (QoS 1) or fire-and-forget (QoS 0), in the telemetry share of the in-flight
     * window. Blocks while that share is full.
     *
     * @return completes when the broker acknowledged (QoS 1) or the message was written (QoS 0); fails when
     *     the session is down (not yet connected, or lost before the PUBACK) or the broker refused it
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retained)
            throws InterruptedException {
        return send(telemetryWindow, topic, payload, qos, retained, null, 0L);
    }

    /**
     * {@link MessagePublisher}: a control message in the control share of the in-flight window, with correlation
     * data when given; otherwise as {@link #publish(String, byte[], int, boolean)}.
     */
    @Override
    public CompletableFuture<Void> publish(OutgoingMessage m) {
        try {
            return send(controlWindow, m.topic(), m.payload(), m.qos(), m.retained(), m.correlationData(), 0L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Telemetry slots in use and allowed now (the allowance follows the broker's Receive Maximum). */
    int[] telemetryWindow() {
        return new int[] {telemetryWindow.used(), telemetryWindow.limit()};
    }

    /** How often a publish (birth included) found Paho's window full (32202) and waited for an acknowledgement. */
    long backPressureWaits() {
        return backPressureWaits.get();
    }

    /** The outgoing topic alias maximum Paho uses on this connection (0: none; -1: unknown). */
    int outgoingTopicAliasMaximum() {
        return aliases.effectiveMaximum();
    }

    /**
     * @param connectDeadline 0 for a publish on an established connection; otherwise the {@code System.nanoTime()}
     *                        by which the publish must have been handed to Paho on the connection being set up
     */
    private CompletableFuture<Void> send(InFlightWindow window, String topic, byte[] payload, int qos,
                                         boolean retained, byte[] correlationData, long connectDeadline)
            throws InterruptedException {
        boolean connecting = connectDeadline != 0L;
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!connecting && !connected) {
            done.completeExceptionally(new MqttException(MqttClientException.REASON_CODE_CLIENT_NOT_CONNECTED));
            return done;
        }
        if (!connecting) {
            window.acquire();
        } else if (!window.tryAcquire(Math.max(0, (connectDeadline - System.nanoTime()) / 1_000_000))) {
            done.completeExceptionally(new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT));
            return done;
        }
        MqttProperties properties = jsonProperties();
        if (correlationData != null) {
            properties.setCorrelationData(correlationData);
        }
        MqttMessage message = new MqttMessage(payload, qos, retained, properties);
        // Paho notifies a delivery token that failed with the lost connection again when it re-sends the message
        // after the reconnect: the slot is given back once
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                window.release();
            }
            signalAck();
        };
        while (true) {
            try {
                client.publish(topic, message, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        release.run();
                        done.complete(null);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable error) {
                        release.run();
                        done.completeExceptionally(error);
                    }
                });
                return done;
            } catch (MqttException e) {
                boolean live = connecting ? System.nanoTime() - connectDeadline < 0 : connected;
                if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT && live && client.isConnected()) {
                    // back-pressure: Paho's window (the broker's Receive Maximum) is full, e.g. with messages of
                    // the previous connection it re-sends on its own; wait for an acknowledgement, then retry
                    backPressureWaits.incrementAndGet();
                    awaitAck(Duration.ofMillis(50));
                    continue;
                }
                release.run();
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
        signalConnectionChange();
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
                // woken by a connection change only (not by every PUBACK); the timeout covers a loss Paho did not
                // report through the callback
                awaitConnectionChange(Duration.ofSeconds(5));
                continue;
            }
            if (connected) {
                // Paho dropped the connection and has not told the callback yet: same as a lost connection
                onConnectionLost("paho client not connected");
                awaitConnectionChange(Duration.ofMillis(200)); // let Paho finish shutting the connection down
            }
            dropStaleConnection();
            IMqttToken token;
            try {
                token = client.connect(ConnectOptions.of(settings));
                token.waitForCompletion(settings.connectTimeout().toMillis());
            } catch (MqttException e) {
                retryLater("connect", e);
                continue;
            }
            try {
                afterConnect(token);
            } catch (MqttException e) {
                retryLater("after connect", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } catch (RuntimeException e) {
                // e.g. a presence that cannot be encoded: never let the connector thread die
                log.error("mqtt connect sequence failed deviceId={} error={}", settings.deviceId(), e.toString());
                retryLater("after connect", new MqttException(MqttClientException.REASON_CODE_UNEXPECTED_ERROR, e));
            }
        }
    }

    private void retryLater(String step, MqttException e) {
        int code = e.getReasonCode();
        if (step.equals("after connect") || code == MqttClientException.REASON_CODE_CLIENT_TIMEOUT
                || code == MqttClientException.REASON_CODE_CLIENT_CONNECTED
                || code == MqttClientException.REASON_CODE_CONNECT_IN_PROGRESS) {
            forceDisconnect();
        }
        if (!running) {
            return;
        }
        Duration delay = backoff.next();
        log.warn("mqtt connect failed deviceId={} uri={} step={} reason={} code={} retryIn={}ms attempt={}",
                settings.deviceId(), settings.uri(), step, e.getMessage(), code, delay.toMillis(), backoff.attempts());
        sleep(delay);
    }

    /**
     * A connection the session did not complete (CONNACK without subscribe or birth, or a connect still pending
     * after its timeout) is closed without a DISCONNECT packet, so the broker publishes the Will and the next
     * {@code connect()} is not refused with "client is connected" or "connect already in progress".
     */
    private void dropStaleConnection() {
        if (client.isConnected()) {
            forceDisconnect();
        }
    }

    private void forceDisconnect() {
        try {
            client.disconnectForcibly(0, 1000, false);
        } catch (MqttException | RuntimeException e) {
            log.debug("forced disconnect failed deviceId={} error={}", settings.deviceId(), e.toString());
        }
        connected = false;
    }

    private void afterConnect(IMqttToken connect) throws MqttException, InterruptedException {
        String id = settings.deviceId();
        aliases.disable(); // before anything is published on this connection
        Integer serverReceiveMaximum = connect.getResponseProperties() == null ? null
                : connect.getResponseProperties().getReceiveMaximum();
        applyReceiveMaximum(serverReceiveMaximum == null ? 65_535 : serverReceiveMaximum);
        long deadline = System.nanoTime() + AFTER_CONNECT_TIMEOUT.toNanos();
        IMqttToken subscribed = client.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.desiredState(id), 1),
                new MqttSubscription(Topics.commandRequests(id), 1)});
        subscribed.waitForCompletion(AFTER_CONNECT_TIMEOUT.toMillis());
        int[] granted = subscribed.getReasonCodes();
        for (int code : granted == null ? new int[0] : granted) {
            if (code >= 0x80) { // refused (e.g. not authorized yet): drop the connection and try again later
                throw new MqttException(code);
            }
        }
        CompletableFuture<Void> birth = send(controlWindow, Topics.presence(id), settings.birthPresence().get(), 1,
                true, null, deadline);
        try {
            birth.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof MqttException me ? me
                    : new MqttException(MqttClientException.REASON_CODE_UNEXPECTED_ERROR, e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new MqttException(MqttClientException.REASON_CODE_CLIENT_TIMEOUT);
        }
        if (!client.isConnected()) {
            throw new MqttException(MqttClientException.REASON_CODE_CONNECTION_LOST);
        }
        connectedAtNanos = System.nanoTime();
        connected = true;
        log.info("mqtt connected deviceId={} uri={} serverReceiveMaximum={} telemetryInFlight={} backPressureWaits={}",
                id, settings.uri(), serverReceiveMaximum, telemetryWindow.limit(), backPressureWaits.get());
        for (Listener l : listeners) {
            l.connected();
        }
        signalAck();
    }

    /**
     * Splits the broker's Receive Maximum: control keeps {@link #CONTROL_IN_FLIGHT} (at most half of it), telemetry
     * gets the rest, at most its configured {@code maxInFlight}.
     */
    private void applyReceiveMaximum(int serverReceiveMaximum) {
        int control = Math.min(CONTROL_IN_FLIGHT, Math.max(1, serverReceiveMaximum / 2));
        controlWindow.setLimit(control);
        telemetryWindow.setLimit(Math.min(settings.maxInFlight(), serverReceiveMaximum - control));
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
        signalAck(); // publishes waiting for Paho's window give up: the connection is gone
        signalConnectionChange();
    }

    private void sleep(Duration d) {
        lock.lock();
        try {
            long nanos = d.toNanos();
            while (running && nanos > 0) {
                nanos = connectionChanged.awaitNanos(nanos);
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

    private void awaitAck(Duration max) {
        await(acked, max);
    }

    private void awaitConnectionChange(Duration max) {
        await(connectionChanged, max);
    }

    private void await(Condition condition, Duration max) {
        lock.lock();
        try {
            condition.await(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void signalAck() {
        lock.lock();
        try {
            acked.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void signalConnectionChange() {
        lock.lock();
        try {
            connectionChanged.signalAll();
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
            signalAck();
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
