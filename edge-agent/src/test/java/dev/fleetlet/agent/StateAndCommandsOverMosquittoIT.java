package dev.fleetlet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.agent.backoff.Backoff;
import dev.fleetlet.agent.command.CommandDispatcher;
import dev.fleetlet.agent.command.PingHandler;
import dev.fleetlet.agent.events.EventPublisher;
import dev.fleetlet.agent.events.EventSequence;
import dev.fleetlet.agent.mqtt.MqttSession;
import dev.fleetlet.agent.mqtt.SessionSettings;
import dev.fleetlet.agent.state.AppliedStateStore;
import dev.fleetlet.agent.state.ConfigOverlay;
import dev.fleetlet.agent.state.DesiredStateStore;
import dev.fleetlet.agent.state.Executor;
import dev.fleetlet.agent.state.ReleaseRuntime;
import dev.fleetlet.agent.state.StateReconciler;
import dev.fleetlet.agent.state.StateReporter;
import dev.fleetlet.agent.state.StepJournal;
import dev.fleetlet.agent.testbroker.Mosquitto;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.CommandName;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.ReportedState;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's state and command wiring (as in AgentMain) against a real mosquitto, with a separate Paho
 * client playing the fleet server: a retained desired state published before the device connects is
 * applied and answered with a retained reported state; a malformed one is rejected with a reason; a ping
 * sent as an MQTT v5 request (response topic + correlation data) is answered on that topic with the
 * correlation data copied.
 */
class StateAndCommandsOverMosquittoIT {

    private static final String DEVICE = "pi-it-01";
    private static final ProtocolCodec CODEC = new ProtocolCodec();

    @TempDir
    Path tmp;

    @Test
    void appliesRetainedDesiredStateAndAnswersAPingRequest() throws Exception {
        try (Mosquitto broker = Mosquitto.start(tmp)) {
            // given: the "server" has published a retained desired state before the device connects
            MqttClient server = new MqttClient(broker.uri(), "fleet-server-it", new MemoryPersistence());
            server.connect(new MqttConnectionOptions());
            List<ReportedState> reports = new CopyOnWriteArrayList<>();
            List<MqttMessage> responses = new CopyOnWriteArrayList<>();
            server.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.reportedState(DEVICE), 1),
                    new MqttSubscription(Topics.commandResponses(DEVICE), 1)}, new IMqttMessageListener[] {
                        (t, m) -> reports.add(CODEC.decode(MessageType.REPORTED_STATE, m.getPayload()).orElseThrow()),
                        (t, m) -> responses.add(m)});
            byte[] desired = CODEC.encode(MessageType.DESIRED_STATE, new DesiredState(1, DEVICE, 3,
                    Instant.now(), null, Map.of("identify.led", "status-led")));
            server.publish(Topics.desiredState(DEVICE), desired, 1, true);

            // when: the device starts
            Device device = new Device(broker.uri(), tmp.resolve("data"));
            device.start();

            // then: it applies the desired state and reports it
            await().atMost(Duration.ofSeconds(15)).until(() -> reports.stream()
                    .anyMatch(r -> r.generation() == 3 && r.status() == ReportedState.Status.APPLIED));
            assertThat(device.overlay.get("identify.led")).contains("status-led");

            // when: a malformed desired state is published
            server.publish(Topics.desiredState(DEVICE), "{\"v\":1,\"deviceId\":\"pi-it-01\",\"generation\":4}"
                    .getBytes(StandardCharsets.UTF_8), 1, true);
            // then: rejected with the reason naming the missing field
            await().atMost(Duration.ofSeconds(10)).until(() -> reports.stream()
                    .anyMatch(r -> r.status() == ReportedState.Status.REJECTED));
            ReportedState rejected = reports.stream().filter(r -> r.status() == ReportedState.Status.REJECTED)
                    .findFirst().orElseThrow();
            assertThat(rejected.generation()).isEqualTo(4);
            assertThat(rejected.reason()).contains("SCHEMA_VIOLATION").contains("/issuedAt");

            // when: a ping request with response topic and correlation data
            MqttProperties props = new MqttProperties();
            props.setResponseTopic(Topics.commandResponses(DEVICE));
            props.setCorrelationData("ping-1".getBytes(StandardCharsets.UTF_8));
            props.setMessageExpiryInterval(10L);
            String ping = "{\"v\":1,\"id\":\"ping-1\",\"command\":\"ping\",\"issuedAt\":\"" + Instant.now()
                    + "\",\"timeoutMs\":10000}";
            MqttMessage request = new MqttMessage(ping.getBytes(StandardCharsets.UTF_8), 1, false, props);
            server.publish(Topics.commandRequests(DEVICE), request);

            // then: the answer arrives on the response topic with the correlation data
            await().atMost(Duration.ofSeconds(10)).until(() -> !responses.isEmpty());
            MqttMessage answer = responses.get(0);
            assertThat(new String(answer.getProperties().getCorrelationData(), StandardCharsets.UTF_8))
                    .isEqualTo("ping-1");
            CommandResponse response = CODEC.decode(MessageType.COMMAND_RESPONSE, answer.getPayload()).orElseThrow();
            assertThat(response.id()).isEqualTo("ping-1");
            assertThat(response.status()).isEqualTo(CommandResponse.Status.OK);
            assertThat(response.result().get("agentVersion").asText()).isEqualTo("0.1.0-it");

            // and the retained reported state is the latest one (a late subscriber sees it)
            MqttClient late = new MqttClient(broker.uri(), "late-reader", new MemoryPersistence());
            late.connect(new MqttConnectionOptions());
            List<ReportedState> retained = new CopyOnWriteArrayList<>();
            late.subscribe(new MqttSubscription[] {new MqttSubscription(Topics.reportedState(DEVICE), 1)},
                    new IMqttMessageListener[] {(t, m) -> retained.add(
                            CODEC.decode(MessageType.REPORTED_STATE, m.getPayload()).orElseThrow())});
            await().atMost(Duration.ofSeconds(5)).until(() -> !retained.isEmpty());
            assertThat(retained.get(0).status()).isEqualTo(ReportedState.Status.REJECTED);
            late.disconnect();

            device.close();
            server.disconnect();
        }
    }

    /** The device side, wired like AgentMain does. */
    private static final class Device implements AutoCloseable {
        final MqttSession session;
        final ConfigOverlay overlay;
        final StateReconciler reconciler;
        final CommandDispatcher commands;

        Device(String uri, Path dataDir) {
            byte[] presence = "{}".getBytes(StandardCharsets.UTF_8);
            SessionSettings settings = new SessionSettings(URI.create(uri), DEVICE, "secret-secret-secret-secret-1",
                    Optional.empty(), Duration.ofSeconds(30), Duration.ofDays(7), Duration.ofSeconds(5),
                    Duration.ofSeconds(60), 4, () -> presence, () -> presence, () -> presence);
            session = new MqttSession(settings, new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), b -> b));
            Clock clock = Clock.systemUTC();
            Path stateDir = dataDir.resolve("state");
            EventPublisher events = new EventPublisher(DEVICE, session, CODEC,
                    new EventSequence(stateDir.resolve("event-seq")), clock);
            ReleaseRuntime releases = ReleaseRuntime.unavailable();
            StateReporter reporter = new StateReporter(DEVICE, session, CODEC, clock);
            overlay = new ConfigOverlay(stateDir, CODEC.mapper());
            AppliedStateStore applied = new AppliedStateStore(stateDir, CODEC.mapper());
            StepJournal journal = new StepJournal(stateDir, CODEC.mapper());
            reconciler = new StateReconciler(DEVICE, CODEC, new DesiredStateStore(stateDir, DEVICE, CODEC), applied,
                    journal, new Executor(releases, overlay, applied, journal, events, reporter, clock), reporter,
                    events, releases);
            commands = new CommandDispatcher(DEVICE, "0.1.0-it", session, CODEC, events, clock, () -> true)
                    .register(CommandName.PING, new PingHandler(CODEC.mapper(), clock, () -> true, () -> 1,
                            "0.1.0-it"));
            session.addListener(new MessageRouter(DEVICE, reconciler, commands));
        }

        void start() {
            reconciler.start();
            session.start();
        }

        @Override
        public void close() {
            commands.close();
            reconciler.close();
            session.close();
        }
    }
}
