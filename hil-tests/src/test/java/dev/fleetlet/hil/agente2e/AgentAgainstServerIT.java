package dev.fleetlet.hil.agente2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import dev.fleetlet.hil.agent.AgentLaunch;
import dev.fleetlet.hil.agent.AgentProcess;
import dev.fleetlet.hil.agent.AgentSpec;
import dev.fleetlet.hil.server.FleetAdminClient;
import dev.fleetlet.hil.server.InProcessServer;
import dev.fleetlet.protocol.TopicKind;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.TelemetryBatch;
import dev.fleetlet.server.broker.DevicePublisher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two real edge agents (child JVMs, the package's JVM options) against the real fleet server in this JVM (H2,
 * embedded broker, free ports): enrollment with a token made through the operator API, presence with hardware
 * facts, telemetry in the query API and at a third-party subscriber ({@code mosquitto_sub} with a service
 * account), a ping, and bad input from the server side (unknown command, malformed and oversized desired
 * state) rejected with the reason the protocol documents while the agent keeps publishing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentAgainstServerIT {

    private static final Path MOSQUITTO_SUB = Path.of("/usr/bin/mosquitto_sub");
    private static final Duration STARTUP = Duration.ofSeconds(90);

    private final ProtocolCodec codec = new ProtocolCodec();
    private InProcessServer server;
    private FleetAdminClient admin;
    private FleetAdminClient.Issued reader;
    private AgentProcess first;
    private AgentProcess second;
    private String firstId;
    private String secondId;
    private BrokerTap tap;

    @BeforeAll
    void startServerAndTwoAgents() throws Exception {
        assertThat(Files.isExecutable(MOSQUITTO_SUB))
                .as("this test needs mosquitto_sub: apt-get install mosquitto-clients").isTrue();
        Path work = E2e.workDir(getClass());
        server = InProcessServer.start(work.resolve("server"), 0, 0, Map.of(
                "fleetlet.admin.initial-password", E2e.ADMIN_PASSWORD, "fleetlet.security.pbkdf2-iterations", 1000));
        admin = new FleetAdminClient(server.httpUri(), "admin", E2e.ADMIN_PASSWORD);
        FleetAdminClient.Issued token = admin.createProvisioningToken("e2e", "AgentAgainstServerIT", null);
        reader = admin.createServiceAccount("svc-e2e-reader", "mosquitto_sub and the event tap");
        AgentLaunch launch = AgentLaunch.fromSystemProperties();
        first = AgentProcess.create(work, "agent-1", AgentSpec.of(server.httpUri(), token.secret(), "e2e0000000000001"), launch)
                .start();
        second = AgentProcess.create(work, "agent-2", AgentSpec.of(server.httpUri(), token.secret(), "e2e0000000000002"), launch)
                .start();
        E2e.until("both agents enrolled", STARTUP, () -> first.deviceId().isPresent() && second.deviceId().isPresent(),
                first, second);
        firstId = first.deviceId().orElseThrow();
        secondId = second.deviceId().orElseThrow();
        tap = new BrokerTap(server.mqttPort(), reader.name(), reader.secret());
        for (String id : List.of(firstId, secondId)) {
            tap.watch(Topics.events(id));
            tap.watch(Topics.reportedState(id));
        }
    }

    @AfterAll
    void stopAll() {
        for (AutoCloseable c : new AutoCloseable[] {tap, first, second, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }

    @Test
    @Order(1)
    void bothAgentsAppearOnlineWithTheirHardwareFacts() {
        E2e.untilAsserted("both devices online", STARTUP, () -> {
            for (AgentProcess agent : List.of(first, second)) {
                JsonNode device = admin.device(agent.deviceId().orElseThrow());
                // the JSON carries the enum name (ONLINE) while the query parameter is lowercase (status=online)
                assertThat(device.path("status").asText()).as(agent.name()).isEqualToIgnoringCase("online");
                assertThat(device.path("serial").asText()).isEqualTo(agent.spec().serial());
                assertThat(device.path("fleet").asText()).isEqualTo("e2e");
                JsonNode hw = device.path("hardware");
                assertThat(hw.path("model").asText()).isEqualTo("Fleetlet end-to-end simulated board");
                assertThat(hw.path("memoryMb").asLong()).isEqualTo(1000);
                assertThat(hw.path("arch").asText()).isNotBlank();
                assertThat(hw.path("agentVersion").asText()).isNotBlank();
            }
        }, first, second);
        assertThat(firstId).isNotEqualTo(secondId);
    }

    @Test
    @Order(2)
    void readingsReachTheQueryApiAndAMosquittoSubscriberWithTheSameValues() throws Exception {
        // given mosquitto_sub logged in as a service account, subscribed to every device's telemetry
        Process sub = new ProcessBuilder(MOSQUITTO_SUB.toString(), "-h", "127.0.0.1", "-p", String.valueOf(server.mqttPort()),
                "-V", "mqttv5", "-i", "e2e-mosquitto", "-u", reader.name(), "-P", reader.secret(), "-q", "1",
                "-t", Topics.allDevices(TopicKind.TELEMETRY), "-v").redirectErrorStream(true).start();
        List<String> lines = readLines(sub);
        try {
            // when both agents publish, then the subscriber receives a batch of each, valid by the protocol codec
            E2e.until("a telemetry batch of each agent at mosquitto_sub", Duration.ofSeconds(60),
                    () -> batchesAt(lines, firstId).size() > 0 && batchesAt(lines, secondId).size() > 0, first, second);
            for (String id : List.of(firstId, secondId)) {
                TelemetryBatch batch = batchesAt(lines, id).get(0);
                assertThat(batch.deviceId()).isEqualTo(id);
                assertThat(batch.dropped()).isZero();
                // and every reading of that batch is in the query API with the same sensor, quantity, unit, value and time
                E2e.untilAsserted("readings of " + id + " seq " + batch.seq() + " in the query API", Duration.ofSeconds(30),
                        () -> {
                            JsonNode points = admin.telemetry(id, null, 10_000).path("points");
                            for (Reading r : batch.readings()) {
                                assertThat(points).as("reading %s", r).anySatisfy(p -> {
                                    assertThat(p.path("sensor").asText()).isEqualTo(r.sensor());
                                    assertThat(p.path("quantity").asText()).isEqualTo(r.quantity());
                                    assertThat(p.path("unit").asText()).isEqualTo(r.unit());
                                    // the agent sends nanoseconds, the server keeps microseconds (SQL TIMESTAMP precision 6)
                                    assertThat(Instant.parse(p.path("ts").asText())).isCloseTo(r.ts(), within(1, ChronoUnit.MICROS));
                                    assertThat(p.path("value").asDouble()).isEqualTo(r.value());
                                });
                            }
                        }, first, second);
            }
            // and all three simulated sensors (six quantities) of each agent are there
            for (String id : List.of(firstId, secondId)) {
                JsonNode points = admin.telemetry(id, null, 10_000).path("points");
                List<String> series = new java.util.ArrayList<>();
                points.forEach(p -> series.add(p.path("sensor").asText() + "/" + p.path("quantity").asText()));
                assertThat(series.stream().distinct()).containsExactlyInAnyOrder(
                        AgentProcess.SENSOR_BME280 + "/temperature", AgentProcess.SENSOR_BME280 + "/humidity",
                        AgentProcess.SENSOR_BME280 + "/pressure", AgentProcess.SENSOR_SHT3X + "/temperature",
                        AgentProcess.SENSOR_SHT3X + "/humidity", AgentProcess.SENSOR_ADS1115 + "/voltage");
            }
        } finally {
            sub.destroy();
            sub.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(3)
    void aPingSentThroughTheServerRoundTrips() throws Exception {
        CommandResponse response = send(firstId, "ping");
        assertThat(response.status()).as(E2e.describe(first)).isEqualTo(CommandResponse.Status.OK);
        assertThat(response.result().path("agentVersion").asText()).isNotBlank();
        assertThat(response.result().path("uptimeSeconds").isNumber()).isTrue();
        assertThat(Instant.parse(response.result().path("deviceTime").asText()))
                .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
    }

    @Test
    @Order(4)
    void anUnknownCommandIsRejectedWithACodeAndAnEventAndTheAgentKeepsPublishing() throws Exception {
        // when
        CommandResponse response = send(firstId, "factory-reset");
        // then the response says why, as docs/protocol.md's golden "command-response rejected"
        assertThat(response.status()).isEqualTo(CommandResponse.Status.REJECTED);
        assertThat(response.error().code()).isEqualTo("unknown-command");
        assertThat(response.error().message()).contains("'factory-reset'").contains("not supported");
        // and a command.rejected event reaches the broker
        E2e.until("command.rejected event", Duration.ofSeconds(20),
                () -> events(firstId).stream().anyMatch(e -> e.type() == DeviceEvent.Type.COMMAND_REJECTED
                        && e.message().contains("factory-reset")), first);
        assertStillPublishing(first, firstId);
    }

    @Test
    @Order(5)
    void aMalformedDesiredStateIsRejectedWithTheFieldAndTheAgentKeepsPublishing() throws Exception {
        // given a schema-violating desired state (a config value that is a number) with a readable generation
        String payload = "{\"v\":1,\"deviceId\":\"" + secondId + "\",\"generation\":7,\"issuedAt\":\""
                + Instant.now() + "\",\"config\":{\"telemetry.interval\":10}}";
        // when the server side publishes it retained, as it publishes desired states
        publishDesiredRaw(secondId, payload.getBytes(StandardCharsets.UTF_8));
        // then a desired.rejected event names the reason and the field
        E2e.until("desired.rejected for generation 7", Duration.ofSeconds(20),
                () -> events(secondId).stream().anyMatch(e -> e.type() == DeviceEvent.Type.DESIRED_REJECTED
                        && Long.valueOf(7).equals(e.generation())), second);
        DeviceEvent event = events(secondId).stream().filter(e -> e.type() == DeviceEvent.Type.DESIRED_REJECTED)
                .findFirst().orElseThrow();
        assertThat(event.message()).contains("SCHEMA_VIOLATION").contains("/config/telemetry.interval");
        // and the retained reported state says rejected with the same reason
        E2e.until("reported state rejected for generation 7", Duration.ofSeconds(20),
                () -> lastReported(secondId).filter(r -> r.status() == ReportedState.Status.REJECTED
                        && r.generation() == 7 && r.reason().contains("SCHEMA_VIOLATION")).isPresent(), second);
        assertStillPublishing(second, secondId);
    }

    @Test
    @Order(6)
    void anOversizedDesiredStateIsRejectedTooLargeAndAValidOneIsStillApplied() throws Exception {
        // given a desired state of 300 KiB (limit 256 KiB, below the 512 KiB packet size the agent announces)
        StringBuilder big = new StringBuilder("{\"v\":1,\"deviceId\":\"" + secondId + "\",\"generation\":8,\"issuedAt\":\""
                + Instant.now() + "\",\"config\":{\"filler\":\"");
        big.append("x".repeat(300 * 1024)).append("\"}}");
        // when
        publishDesiredRaw(secondId, big.toString().getBytes(StandardCharsets.UTF_8));
        // then it is rejected TOO_LARGE without being parsed, reported as rejected with that reason
        E2e.until("desired.rejected TOO_LARGE", Duration.ofSeconds(20),
                () -> events(secondId).stream().anyMatch(e -> e.type() == DeviceEvent.Type.DESIRED_REJECTED
                        && e.message().contains("TOO_LARGE")), second);
        E2e.until("reported state rejected TOO_LARGE", Duration.ofSeconds(20),
                () -> lastReported(secondId).filter(r -> r.status() == ReportedState.Status.REJECTED
                        && r.reason().contains("TOO_LARGE")).isPresent(), second);
        assertThat(second.isAlive()).as(E2e.describe(second)).isTrue();
        // and a valid desired state afterwards is accepted and applied: the reconciler is still working
        DevicePublisher publisher = server.context().getBean(DevicePublisher.class);
        publisher.publishDesiredState(new DesiredState(1, secondId, 9, Instant.now(), null,
                Map.of("identify.led", "none"))).get(10, TimeUnit.SECONDS);
        E2e.until("reported state applied for generation 9", Duration.ofSeconds(30),
                () -> lastReported(secondId).filter(r -> r.status() == ReportedState.Status.APPLIED
                        && r.generation() == 9).isPresent(), second);
        assertStillPublishing(second, secondId);
    }

    private CommandResponse send(String deviceId, String command) throws Exception {
        DevicePublisher publisher = server.context().getBean(DevicePublisher.class);
        CommandRequest request = new CommandRequest(1, UUID.randomUUID().toString(), command, null, Instant.now(), 15_000);
        return publisher.sendCommand(deviceId, request, Duration.ofSeconds(15)).get(20, TimeUnit.SECONDS);
    }

    /** Publishes bytes the server's DevicePublisher would refuse to encode, through the broker in this JVM. */
    private static void publishDesiredRaw(String deviceId, byte[] payload) throws Exception {
        Services.publishService().publish(Builders.publish().topic(Topics.desiredState(deviceId))
                .qos(Qos.AT_LEAST_ONCE).retain(true).contentType("application/json")
                .payload(ByteBuffer.wrap(payload)).build()).get(10, TimeUnit.SECONDS);
    }

    private List<DeviceEvent> events(String deviceId) {
        return tap.received(Topics.events(deviceId)).stream()
                .map(m -> codec.decode(MessageType.EVENT, m.payload()).orElseThrow()).toList();
    }

    private Optional<ReportedState> lastReported(String deviceId) {
        List<BrokerTap.Message> all = tap.received(Topics.reportedState(deviceId));
        return all.isEmpty() ? Optional.empty()
                : Optional.of(codec.decode(MessageType.REPORTED_STATE, all.get(all.size() - 1).payload()).orElseThrow());
    }

    /** New readings keep arriving at the query API: a point newer than now within 20 s. */
    private void assertStillPublishing(AgentProcess agent, String deviceId) {
        Instant after = Instant.now();
        E2e.until(agent.name() + " still publishing", Duration.ofSeconds(30), () -> {
            JsonNode points = admin.get("/api/v1/devices/" + deviceId + "/telemetry?bucket=raw&limit=10&from=" + after)
                    .path("points");
            return points.size() > 0;
        }, agent);
        assertThat(agent.isAlive()).as(agent.describe()).isTrue();
    }

    private List<TelemetryBatch> batchesAt(List<String> lines, String deviceId) {
        String prefix = Topics.telemetry(deviceId) + " ";
        return lines.stream().filter(l -> l.startsWith(prefix))
                .map(l -> codec.decode(MessageType.TELEMETRY, l.substring(prefix.length())).orElseThrow()).toList();
    }

    private static List<String> readLines(Process p) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (Exception e) {
                // the process ended
            }
        }, "mosquitto-sub-reader");
        t.setDaemon(true);
        t.start();
        return lines;
    }
}
