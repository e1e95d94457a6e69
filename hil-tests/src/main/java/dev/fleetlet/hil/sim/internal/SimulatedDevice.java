package dev.fleetlet.hil.sim.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.fleetlet.hil.sim.SimulatorConfig;
import dev.fleetlet.hil.sim.SimulatorCounters;
import dev.fleetlet.protocol.TopicKind;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.Decoded;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.CommandName;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.HardwareFacts;
import dev.fleetlet.protocol.message.Presence;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated board on the MQTT side: connects with clean start off, a session expiry and a retained
 * offline Will; on every (re)connect subscribes to its desired state and command topics and publishes a
 * retained birth; publishes a telemetry batch per {@link #tick()}; answers {@code ping}; hands every new
 * desired state to its {@link ReleaseApplier}, which reports applying, applied or rolled back as its profile says. Reconnects itself with jittered exponential back-off until {@link #stop()}.
 *
 * <p>All callbacks run on the shared Netty/application threads; the device holds no thread of its own.
 * Every payload goes through the {@link ProtocolCodec}: inbound ones are decoded against the schema; the
 * simulator's codec checks outbound ones structurally only ({@code SenderCheck.STRUCTURAL}), as the agent's
 * does, since the server validates every payload and the simulator shares the CPU with it.
 */
public final class SimulatedDevice {

    private static final Logger log = LoggerFactory.getLogger(SimulatedDevice.class);
    /** The first few batch failures of the process are logged with their cause; the rest are only counted. */
    private static final AtomicInteger LOGGED_BATCH_FAILURES = new AtomicInteger();

    private final int index;
    private final DeviceCredentials credentials;
    private final HardwareFacts hardware;
    private final SimulatorConfig config;
    private final ObjectMapper mapper;
    private final ProtocolCodec codec;
    private final Clock clock;
    private final SimulatorCounters counters;
    private final SignalModel signals;
    private final Backoff backoff;
    private final String stream;
    private final String bootId = UUID.randomUUID().toString();
    private final Instant bootedAt;
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong ackedBatches = new AtomicLong();
    private final AtomicLong lastGeneration = new AtomicLong();
    private final AtomicBoolean connected = new AtomicBoolean();
    private final AtomicBoolean firstAttemptDone = new AtomicBoolean();
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private volatile boolean stopping;
    private final ReleaseApplier releases;
    private Mqtt5AsyncClient client;

    public SimulatedDevice(int index, DeviceCredentials credentials, HardwareFacts hardware, SimulatorConfig config,
                           ProtocolCodec codec, Clock clock, SimulatorCounters counters,
                           java.util.concurrent.ScheduledExecutorService scheduler) {
        this.index = index;
        this.credentials = credentials;
        this.hardware = hardware;
        this.config = config;
        this.codec = codec;
        this.mapper = codec.mapper();
        this.clock = clock;
        this.counters = counters;
        this.signals = new SignalModel(config.seed(), index);
        this.backoff = new Backoff(config.reconnectInitial(), config.reconnectMax());
        this.stream = String.format("sim-%08x-%06d", config.seed() & 0xffffffffL, index);
        this.bootedAt = clock.instant();
        this.releases = new ReleaseApplier(credentials.deviceId(), config.releases(), codec, clock, counters, scheduler,
                this::publishIfConnected, index, () -> SimulatedHealth.of(index, bootedAt, clock.instant()));
    }

    /** This device's release state: what it runs, its profile. */
    public ReleaseApplier releases() {
        return releases;
    }

    public String deviceId() {
        return credentials.deviceId();
    }

    public boolean isConnected() {
        return connected.get();
    }

    /** The telemetry stream id of this run. */
    public String stream() {
        return stream;
    }

    /** Highest telemetry sequence number handed to the client so far. */
    public long lastSeq() {
        return seq.get();
    }

    /** Telemetry batches the broker acknowledged so far. */
    public long ackedBatches() {
        return ackedBatches.get();
    }

    /**
     * Starts connecting. The returned future completes after the first attempt, connected or not (the
     * device keeps retrying in the background); it is what the connect ramp waits for.
     */
    public CompletableFuture<Void> connect(MqttClientExecutorConfig executorConfig) {
        String id = credentials.deviceId();
        Presence will = Presence.death(id, clock.instant(), true, bootId, "connection-lost");
        client = Mqtt5Client.builder()
                .identifier(id)
                .serverHost(credentials.mqttHost())
                .serverPort(credentials.mqttPort())
                .executorConfig(executorConfig)
                .simpleAuth().username(id).password(credentials.secret().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .applySimpleAuth()
                .willPublish().topic(Topics.presence(id)).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(codec.encode(MessageType.PRESENCE, will)).applyWillPublish()
                .addConnectedListener(context -> onConnected())
                .addDisconnectedListener(this::onDisconnected)
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, this::onMessage);
        client.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(config.sessionExpiry().toSeconds())
                .keepAlive((int) Math.min(65_535, config.keepAlive().toSeconds()))
                .send()
                .whenComplete((ack, error) -> {
                    if (error != null) {
                        log.debug("first connect attempt failed deviceId={} error={}", id, error.toString());
                    }
                    firstAttemptFinished();
                });
        return firstAttempt;
    }

    /** Publishes one telemetry batch if connected; counts a skipped tick otherwise. */
    public void tick() {
        if (!connected.get() || stopping) {
            counters.onSkippedTick();
            return;
        }
        Instant now = clock.instant();
        List<Reading> readings = signals.batch(now, config.batchInterval(), config.readingsPerBatch());
        TelemetryBatch batch = new TelemetryBatch(1, credentials.deviceId(), stream, seq.incrementAndGet(), now, true,
                0, readings);
        int count = readings.size();
        counters.onBatchSent(count);
        client.publishWith().topic(Topics.telemetry(credentials.deviceId())).qos(MqttQos.AT_LEAST_ONCE)
                .payload(codec.encode(MessageType.TELEMETRY, batch)).send()
                .whenComplete((result, error) -> {
                    if (error != null || result.getError().isPresent()) {
                        counters.onBatchFailed();
                        if (LOGGED_BATCH_FAILURES.incrementAndGet() <= 5) {
                            log.warn("telemetry batch failed deviceId={} error={}", credentials.deviceId(),
                                    describe(error != null ? error : result.getError().get()));
                        }
                    } else {
                        ackedBatches.incrementAndGet();
                        counters.onBatchAcked(count);
                    }
                });
    }

    /**
     * Says goodbye: a retained offline presence with reason {@code shutdown}, then a normal disconnect (which
     * suppresses the Will). The future completes when the disconnect is done or failed.
     */
    public CompletableFuture<Void> stop() {
        stopping = true;
        if (client == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (!connected.get()) {
            return client.disconnect().handle((v, e) -> null);
        }
        Presence bye = Presence.death(credentials.deviceId(), clock.instant(), true, bootId, "shutdown");
        return publish(Topics.presence(credentials.deviceId()), codec.encode(MessageType.PRESENCE, bye), true)
                .handle((v, e) -> null)
                .thenCompose(v -> client.disconnect())
                .orTimeout(10, TimeUnit.SECONDS)
                .handle((v, e) -> null);
    }

    private void onConnected() {
        connected.set(true);
        failedAttempts.set(0);
        counters.onConnected();
        String id = credentials.deviceId();
        client.subscribeWith()
                .addSubscription().topicFilter(Topics.desiredState(id)).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .addSubscription().topicFilter(Topics.commandRequests(id)).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .send()
                .whenComplete((ack, error) -> {
                    if (error != null) {
                        log.warn("subscribe failed deviceId={} error={}", id, error.toString());
                    }
                });
        Presence birth = Presence.birth(id, clock.instant(), true, bootId, hardware);
        publish(Topics.presence(id), codec.encode(MessageType.PRESENCE, birth), true);
        releases.onConnected();
        firstAttemptFinished();
    }

    private void onDisconnected(MqttClientDisconnectedContext context) {
        boolean was = connected.getAndSet(false);
        boolean expected = stopping || context.getSource() == MqttDisconnectSource.USER;
        counters.onDisconnected(was, expected);
        if (expected) {
            firstAttemptFinished();
            return;
        }
        int attempt = failedAttempts.getAndIncrement();
        long delay = backoff.delayMillis(attempt);
        counters.onReconnectScheduled();
        if (attempt == 0 || attempt % 10 == 0) {
            log.info("device disconnected deviceId={} source={} cause={} reconnectInMs={} attempt={}",
                    credentials.deviceId(), context.getSource(), String.valueOf(context.getCause()), delay, attempt + 1);
        }
        context.getReconnector().reconnect(true).delay(delay, TimeUnit.MILLISECONDS);
        firstAttemptFinished();
    }

    private void firstAttemptFinished() {
        if (firstAttemptDone.compareAndSet(false, true)) {
            firstAttempt.complete(null);
        }
    }

    private void onMessage(Mqtt5Publish message) {
        Optional<Topics.DeviceTopic> topic = Topics.parse(message.getTopic().toString());
        if (topic.isEmpty() || !topic.get().deviceId().equals(credentials.deviceId())) {
            log.debug("ignoring message deviceId={} topic={}", credentials.deviceId(), message.getTopic());
            return;
        }
        TopicKind kind = topic.get().kind();
        if (kind == TopicKind.DESIRED_STATE) {
            onDesiredState(message.getPayloadAsBytes());
        } else if (kind == TopicKind.COMMAND_REQUEST) {
            onCommand(message);
        }
    }

    private void onDesiredState(byte[] payload) {
        Decoded<DesiredState> decoded = codec.decode(MessageType.DESIRED_STATE, payload);
        if (decoded instanceof Decoded.Rejected<DesiredState> rejected) {
            log.warn("invalid desired state deviceId={} rejection={}", credentials.deviceId(), rejected.rejection());
            return;
        }
        DesiredState desired = ((Decoded.Ok<DesiredState>) decoded).value();
        long generation = desired.generation();
        long previous = lastGeneration.getAndAccumulate(generation, Math::max);
        if (generation <= previous) {
            log.debug("stale desired state deviceId={} generation={} accepted={}", credentials.deviceId(), generation,
                    previous);
            return;
        }
        releases.onDesired(desired);
    }

    private void onCommand(Mqtt5Publish message) {
        String responseTopic = message.getResponseTopic().map(Object::toString)
                .orElse(Topics.commandResponses(credentials.deviceId()));
        Optional<ByteBuffer> correlation = message.getCorrelationData();
        Decoded<CommandRequest> decoded = codec.decode(MessageType.COMMAND_REQUEST, message.getPayloadAsBytes());
        if (decoded instanceof Decoded.Rejected<CommandRequest> rejected) {
            log.warn("invalid command deviceId={} rejection={}", credentials.deviceId(), rejected.rejection());
            return;
        }
        CommandRequest request = ((Decoded.Ok<CommandRequest>) decoded).value();
        Instant now = clock.instant();
        CommandResponse response;
        if (CommandName.fromWire(request.command()).orElse(null) == CommandName.PING) {
            ObjectNode result = mapper.createObjectNode();
            result.put("deviceTime", now.toString());
            result.put("uptimeSeconds", Duration.between(bootedAt, now).toSeconds());
            result.put("simulated", true);
            response = new CommandResponse(1, request.id(), CommandResponse.Status.OK, now, result, null);
        } else {
            response = new CommandResponse(1, request.id(), CommandResponse.Status.REJECTED, now, null,
                    new CommandResponse.ErrorInfo("unsupported", "the simulator does not implement '"
                            + request.command() + "'"));
        }
        var builder = client.publishWith().topic(responseTopic).qos(MqttQos.AT_LEAST_ONCE)
                .payload(codec.encode(MessageType.COMMAND_RESPONSE, response));
        correlation.ifPresent(builder::correlationData);
        builder.send().whenComplete((r, e) -> {
            if (e != null || r.getError().isPresent()) {
                counters.onPublishFailure();
            } else {
                counters.onCommandAnswered();
            }
        });
    }

    /** Publishes when connected; otherwise counts a publish failure (a report lost while offline, as on a board). */
    private CompletableFuture<Void> publishIfConnected(String topic, byte[] payload, boolean retain) {
        if (client == null || stopping) {
            counters.onPublishFailure();
            return CompletableFuture.completedFuture(null);
        }
        return publish(topic, payload, retain).exceptionally(e -> {
            counters.onPublishFailure();
            return null;
        });
    }

    private CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send()
                .thenAccept(result -> {
                    if (result.getError().isPresent()) {
                        counters.onPublishFailure();
                        log.debug("publish refused deviceId={} topic={} error={}", credentials.deviceId(), topic,
                                result.getError().get().toString());
                    }
                });
    }

    /** An error with the PUBACK's reason code and reason string when the broker refused the publish. */
    private static String describe(Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        if (e instanceof Mqtt5PubAckException refused) {
            return "PUBACK " + refused.getMqttMessage().getReasonCode() + " "
                    + refused.getMqttMessage().getReasonString().map(Object::toString).orElse("");
        }
        return e.toString();
    }

    @Override
    public String toString() {
        return "SimulatedDevice[" + index + ", " + credentials.deviceId() + "]";
    }
}
