package dev.fleetlet.hil.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.fleetlet.hil.support.FakeEnrollmentServer;
import dev.fleetlet.hil.support.PlainBroker;
import dev.fleetlet.protocol.TopicKind;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.Decoded;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.protocol.message.Presence;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.TelemetryBatch;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The simulator against a bare embedded broker and a fake enrollment endpoint. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetSimulatorTest {

    private static final String TOKEN = "fleet-token-for-tests";
    private static final int DEVICES = 20;
    private static final String BASE_RELEASE = "app-1.0";

    @TempDir
    static Path dir;

    private final ProtocolCodec codec = new ProtocolCodec();
    private final ObjectMapper mapper = codec.mapper();
    private final List<String> invalidPayloads = new CopyOnWriteArrayList<>();
    private PlainBroker broker;
    private FakeEnrollmentServer enrollment;
    private FleetSimulator simulator;
    private Mqtt5AsyncClient observer;
    private final Map<String, List<TelemetryBatch>> telemetry = new ConcurrentHashMap<>();
    private final List<byte[]> rawTelemetry = new CopyOnWriteArrayList<>();
    private final Map<String, Presence> presence = new ConcurrentHashMap<>();
    private final Map<String, Mqtt5Publish> responses = new ConcurrentHashMap<>();
    private final Map<String, ReportedState> reported = new ConcurrentHashMap<>();
    private final Map<String, List<ReportedState>> reportHistory = new ConcurrentHashMap<>();
    private final Map<String, List<DeviceEvent>> events = new ConcurrentHashMap<>();

    @BeforeAll
    void startFleet() throws Exception {
        broker = PlainBroker.start(dir.resolve("broker"), 0);
        enrollment = new FakeEnrollmentServer(TOKEN, "tcp://127.0.0.1:" + broker.port(), Set.of("SIM-000003", "SIM-000007"));
        observer = Mqtt5Client.builder().identifier("observer").serverHost("127.0.0.1").serverPort(broker.port())
                .buildAsync();
        observer.connect().get(10, TimeUnit.SECONDS);
        observer.publishes(MqttGlobalPublishFilter.ALL, this::observe);
        observer.subscribeWith()
                .addSubscription().topicFilter(Topics.allDevices(TopicKind.TELEMETRY)).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .addSubscription().topicFilter(Topics.allDevices(TopicKind.PRESENCE)).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .addSubscription().topicFilter(Topics.allDevices(TopicKind.COMMAND_RESPONSE)).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .addSubscription().topicFilter(Topics.allDevices(TopicKind.REPORTED_STATE)).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .addSubscription().topicFilter(Topics.allDevices(TopicKind.EVENTS)).qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                .send().get(10, TimeUnit.SECONDS);

        SimulatorConfig config = SimulatorConfig.enrolling(enrollment.uri(), TOKEN)
                .withDevices(DEVICES)
                .withTelemetry(Duration.ofMillis(200), 7)
                .withConcurrency(4, 5, 1)
                .withPendingRetryMax(Duration.ofMillis(100))
                .withReleases(ReleaseBehaviour.allHealthy().withApplyDelay(Duration.ofMillis(200), Duration.ofMillis(400))
                        .withInitialRelease(BASE_RELEASE));
        simulator = new FleetSimulator(config, Clock.systemUTC());
        simulator.start().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    void stopFleet() throws Exception {
        if (simulator != null) {
            simulator.close();
        }
        if (observer != null) {
            observer.disconnect().get(5, TimeUnit.SECONDS);
        }
        if (enrollment != null) {
            enrollment.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void observe(Mqtt5Publish message) {
        Topics.DeviceTopic topic = Topics.parse(message.getTopic().toString()).orElseThrow();
        MessageType<?> type = MessageType.forTopic(topic.kind());
        if (codec.decode(type, message.getPayloadAsBytes()) instanceof Decoded.Rejected<?> rejected) {
            invalidPayloads.add(topic.kind() + ": " + rejected.rejection());
        }
        try {
            switch (topic.kind()) {
                case TELEMETRY -> {
                    rawTelemetry.add(message.getPayloadAsBytes());
                    telemetry.computeIfAbsent(topic.deviceId(), k -> new CopyOnWriteArrayList<>())
                            .add(mapper.readValue(message.getPayloadAsBytes(), TelemetryBatch.class));
                }
                case PRESENCE -> presence.put(topic.deviceId(), mapper.readValue(message.getPayloadAsBytes(), Presence.class));
                case COMMAND_RESPONSE -> responses.put(
                        new String(message.getCorrelationData().map(b -> {
                            byte[] bytes = new byte[b.remaining()];
                            b.duplicate().get(bytes);
                            return bytes;
                        }).orElse(new byte[0]), StandardCharsets.UTF_8), message);
                case REPORTED_STATE -> {
                    ReportedState state = mapper.readValue(message.getPayloadAsBytes(), ReportedState.class);
                    reported.put(topic.deviceId(), state);
                    reportHistory.computeIfAbsent(topic.deviceId(), k -> new CopyOnWriteArrayList<>()).add(state);
                }
                case EVENTS -> events.computeIfAbsent(topic.deviceId(), k -> new CopyOnWriteArrayList<>())
                        .add(mapper.readValue(message.getPayloadAsBytes(), DeviceEvent.class));
                default -> {
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("unreadable payload on " + message.getTopic(), e);
        }
    }

    @Test
    void everyDeviceEnrollsOnceWithItsOwnSecretEvenWhenFirstAnsweredPending() {
        // given the fleet started in @BeforeAll, two serials answered 202 once
        // then
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(simulator.counters().snapshot().connected()).isEqualTo(DEVICES));
        SimulatorCounters.Snapshot counters = simulator.counters().snapshot();
        assertThat(counters.enrolled()).isEqualTo(DEVICES);
        assertThat(counters.enrollPending()).isEqualTo(2);
        assertThat(enrollment.secrets()).hasSize(DEVICES);
        assertThat(enrollment.secrets().values()).doesNotHaveDuplicates().allSatisfy(s -> assertThat(s).hasSizeGreaterThanOrEqualTo(32));
        assertThat(simulator.deviceIds()).containsExactlyInAnyOrderElementsOf(enrollment.secrets().keySet());
    }

    @Test
    void everyDevicePublishesABirthWithItsHardwareFacts() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(presence).hasSize(DEVICES));
        Presence birth = presence.get("sim-000005");
        assertThat(birth.state()).isEqualTo(Presence.State.ONLINE);
        assertThat(birth.hardware().serial()).isEqualTo("SIM-000005");
        assertThat(birth.bootId()).isNotBlank();
    }

    @Test
    void telemetryBatchesAreSchemaValidNumberedFromOneAndAcknowledged() throws Exception {
        // when the devices have sent a few batches each
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(telemetry).hasSize(DEVICES);
            assertThat(telemetry.values()).allSatisfy(batches -> assertThat(batches).hasSizeGreaterThanOrEqualTo(3));
        });
        // then each stream counts from 1 without gaps, with the configured batch size
        for (List<TelemetryBatch> batches : telemetry.values()) {
            List<Long> seqs = batches.stream().map(TelemetryBatch::seq).toList();
            assertThat(seqs.subList(0, 3)).containsExactly(1L, 2L, 3L);
            assertThat(batches).allSatisfy(b -> {
                assertThat(b.readings()).hasSize(7);
                assertThat(b.stream()).isEqualTo(batches.get(0).stream());
            });
        }
        assertThat(telemetry.values().stream().map(b -> b.get(0).stream()).distinct()).hasSize(DEVICES);
        // and every payload the devices published passes the protocol codec (schemas included)
        assertThat(rawTelemetry).hasSizeGreaterThanOrEqualTo(3 * DEVICES);
        assertThat(invalidPayloads).isEmpty();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(simulator.counters().snapshot().pubAcks()).isGreaterThanOrEqualTo(3L * DEVICES));
        assertThat(simulator.counters().snapshot().publishFailures()).isZero();
    }

    @Test
    void answersPingOnTheResponseTopicWithTheRequestsCorrelationData() throws Exception {
        // given
        String deviceId = "sim-000011";
        await().atMost(Duration.ofSeconds(20)).until(() -> presence.containsKey(deviceId));
        CommandRequest ping = new CommandRequest(1, "cmd-ping-1", "ping", null, Instant.now(), 5000);
        // when
        observer.publishWith().topic(Topics.commandRequests(deviceId)).qos(MqttQos.AT_LEAST_ONCE)
                .responseTopic(Topics.commandResponses(deviceId)).correlationData("cmd-ping-1".getBytes(StandardCharsets.UTF_8))
                .payload(mapper.writeValueAsBytes(ping)).send().get(5, TimeUnit.SECONDS);
        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> responses.containsKey("cmd-ping-1"));
        CommandResponse response = mapper.readValue(responses.get("cmd-ping-1").getPayloadAsBytes(), CommandResponse.class);
        assertThat(response.id()).isEqualTo("cmd-ping-1");
        assertThat(response.status()).isEqualTo(CommandResponse.Status.OK);
        assertThat(response.result().get("uptimeSeconds").isNumber()).isTrue();
    }

    @Test
    void rejectsAnUnknownCommandInsteadOfStayingSilent() throws Exception {
        String deviceId = "sim-000012";
        await().atMost(Duration.ofSeconds(20)).until(() -> presence.containsKey(deviceId));
        CommandRequest reboot = new CommandRequest(1, "cmd-x-1", "self-destruct", null, Instant.now(), 5000);
        observer.publishWith().topic(Topics.commandRequests(deviceId)).qos(MqttQos.AT_LEAST_ONCE)
                .responseTopic(Topics.commandResponses(deviceId)).correlationData("cmd-x-1".getBytes(StandardCharsets.UTF_8))
                .payload(mapper.writeValueAsBytes(reboot)).send().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> responses.containsKey("cmd-x-1"));
        CommandResponse response = mapper.readValue(responses.get("cmd-x-1").getPayloadAsBytes(), CommandResponse.class);
        assertThat(response.status()).isEqualTo(CommandResponse.Status.REJECTED);
        assertThat(response.error().code()).isEqualTo("unsupported");
    }

    @Test
    void acknowledgesANewerDesiredStateAndIgnoresAStaleOne() throws Exception {
        // given
        String deviceId = "sim-000013";
        await().atMost(Duration.ofSeconds(20)).until(() -> presence.containsKey(deviceId));
        // when generation 5 then a stale generation 4 arrive
        publishDesired(deviceId, 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> isFinal(reported.get(deviceId), 5));
        publishDesired(deviceId, 4);
        // then the report names generation 5, applied, and stays there
        ReportedState report = reported.get(deviceId);
        assertThat(report.generation()).isEqualTo(5);
        assertThat(report.status()).isEqualTo(ReportedState.Status.APPLIED);
        publishDesired(deviceId, 6);
        await().atMost(Duration.ofSeconds(10)).until(() -> isFinal(reported.get(deviceId), 6));
        assertThat(simulator.counters().snapshot().desiredStatesAcknowledged()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void ignoresADesiredStateThatBreaksTheSchema() throws Exception {
        // given a desired state without issuedAt but with a high generation: taken as valid, it would make
        // the later generation 2 look stale
        String deviceId = "sim-000014";
        await().atMost(Duration.ofSeconds(20)).until(() -> presence.containsKey(deviceId));
        observer.publishWith().topic(Topics.desiredState(deviceId)).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("{\"v\":1,\"deviceId\":\"sim-000014\",\"generation\":9}".getBytes(StandardCharsets.UTF_8))
                .send().get(5, TimeUnit.SECONDS);
        // when a valid generation 2 follows
        publishDesired(deviceId, 2);
        // then only generation 2 is acknowledged
        await().atMost(Duration.ofSeconds(10)).until(() -> isFinal(reported.get(deviceId), 2));
        assertThat(reportHistory.get(deviceId)).extracting(ReportedState::generation).doesNotContain(9L);
    }

    @Test
    void everyDeviceReportsItsInitialReleaseAppliedAtGenerationZero() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(reportHistory).hasSize(DEVICES));
        assertThat(reportHistory.get("sim-000002").get(0)).satisfies(first -> {
            assertThat(first.generation()).isZero();
            assertThat(first.status()).isEqualTo(ReportedState.Status.APPLIED);
            assertThat(first.releaseId()).isEqualTo(BASE_RELEASE);
        });
    }

    @Test
    void aHealthyDeviceReportsApplyingThenAppliedWithTheNewAndPreviousReleaseAndUpdateEvents() throws Exception {
        // given a device that runs its initial release
        String deviceId = "sim-000015";
        await().atMost(Duration.ofSeconds(20)).until(() -> reportHistory.containsKey(deviceId));
        // when release app-2.0 is desired
        publishDesired(deviceId, 3, release("app-2.0"), Map.of());
        // then it reports applying (still on the old release), then applied + healthy naming both releases
        await().atMost(Duration.ofSeconds(10)).until(() -> isFinal(reported.get(deviceId), 3));
        List<ReportedState> history = reportHistory.get(deviceId).stream().filter(r -> r.generation() == 3).toList();
        assertThat(history).extracting(ReportedState::status)
                .containsExactly(ReportedState.Status.APPLYING, ReportedState.Status.APPLIED);
        assertThat(history.get(0).releaseId()).isEqualTo(BASE_RELEASE);
        ReportedState applied = history.get(1);
        assertThat(applied.releaseId()).isEqualTo("app-2.0");
        assertThat(applied.previousReleaseId()).isEqualTo(BASE_RELEASE);
        assertThat(applied.services()).singleElement().satisfies(svc -> {
            assertThat(svc.name()).isEqualTo("web");
            assertThat(svc.health()).isEqualTo("healthy");
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> events.getOrDefault(deviceId, List.of()).size() >= 2);
        assertThat(events.get(deviceId)).extracting(DeviceEvent::type)
                .containsExactly(DeviceEvent.Type.UPDATE_STARTING, DeviceEvent.Type.UPDATE_HEALTHY);
        assertThat(events.get(deviceId)).allSatisfy(e -> assertThat(e.generation()).isEqualTo(3L));
        assertThat(events.get(deviceId).get(1).seq()).isGreaterThan(events.get(deviceId).get(0).seq());
        assertThat(simulator.runningReleases()).containsEntry(deviceId, "app-2.0");
        assertThat(invalidPayloads).isEmpty();
    }

    @Test
    void aFailingDeviceRollsBackLocallyWithAReasonAndKeepsItsPreviousRelease() throws Exception {
        // given
        String deviceId = "sim-000016";
        await().atMost(Duration.ofSeconds(20)).until(() -> reportHistory.containsKey(deviceId));
        long failedBefore = simulator.counters().snapshot().releasesFailed();
        // when a release is desired with the behaviour forced to failing
        publishDesired(deviceId, 4, release("app-2.0"), Map.of(ReleaseBehaviour.CONFIG_KEY, "failing"));
        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> isFinal(reported.get(deviceId), 4));
        ReportedState last = reported.get(deviceId);
        assertThat(last.status()).isEqualTo(ReportedState.Status.ROLLED_BACK);
        assertThat(last.releaseId()).isEqualTo(BASE_RELEASE);
        assertThat(last.reason()).isEqualTo(ReleaseBehaviour.FAILURE_REASON);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.getOrDefault(deviceId, List.of()).size() >= 2);
        DeviceEvent rolledBack = events.get(deviceId).get(1);
        assertThat(rolledBack.type()).isEqualTo(DeviceEvent.Type.UPDATE_ROLLED_BACK);
        assertThat(rolledBack.releaseId()).isEqualTo("app-2.0");
        assertThat(rolledBack.message()).isEqualTo(ReleaseBehaviour.FAILURE_REASON);
        assertThat(simulator.runningReleases()).containsEntry(deviceId, BASE_RELEASE);
        assertThat(simulator.counters().snapshot().releasesFailed()).isEqualTo(failedBefore + 1);
    }

    @Test
    void aSilentDeviceCountsTheDesiredStateAndNeverAnswers() throws Exception {
        // given
        String deviceId = "sim-000017";
        await().atMost(Duration.ofSeconds(20)).until(() -> reportHistory.containsKey(deviceId));
        long ignoredBefore = simulator.counters().snapshot().silentIgnored();
        long receivedBefore = simulator.counters().desiredReceivedFor("app-3.0");
        // when
        publishDesired(deviceId, 2, release("app-3.0"), Map.of(ReleaseBehaviour.CONFIG_KEY, "silent"));
        // then it counts it, and nothing but the initial report is there a second later
        await().atMost(Duration.ofSeconds(10)).until(() -> simulator.counters().snapshot().silentIgnored() > ignoredBefore);
        assertThat(simulator.counters().desiredReceivedFor("app-3.0")).isEqualTo(receivedBefore + 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> reportHistory.get(deviceId).size() == 1 && !events.containsKey(deviceId));
    }

    private static boolean isFinal(ReportedState r, long generation) {
        return r != null && r.generation() == generation && r.status() != ReportedState.Status.APPLYING;
    }

    private Release release(String id) {
        ObjectNode spec = mapper.createObjectNode();
        spec.put("name", "app");
        spec.putObject("services").putObject("web").put("image",
                "registry.lan/web@sha256:" + "ab".repeat(32));
        return new Release(id, "app", id.substring(4), spec);
    }

    private void publishDesired(String deviceId, long generation, Release release, Map<String, String> config)
            throws Exception {
        DesiredState state = new DesiredState(1, deviceId, generation, Instant.now(), release, config);
        observer.publishWith().topic(Topics.desiredState(deviceId)).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(codec.encode(MessageType.DESIRED_STATE, state)).send().get(5, TimeUnit.SECONDS);
    }

    private void publishDesired(String deviceId, long generation) throws Exception {
        DesiredState state = new DesiredState(1, deviceId, generation, Instant.now(), null, Map.of("k", "v"));
        observer.publishWith().topic(Topics.desiredState(deviceId)).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(mapper.writeValueAsBytes(state)).send().get(5, TimeUnit.SECONDS);
    }

}
