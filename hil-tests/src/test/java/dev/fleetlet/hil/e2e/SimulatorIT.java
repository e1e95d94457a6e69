package dev.fleetlet.hil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.hil.server.FleetAdminClient;
import dev.fleetlet.hil.server.InProcessServer;
import dev.fleetlet.hil.sim.FleetSimulator;
import dev.fleetlet.hil.sim.SimulatorConfig;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.server.broker.DevicePublisher;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the real fleet server in this JVM (temp data dir, free ports), 50 simulated devices that
 * enroll with a provisioning token made through the operator API, connect with the credentials they
 * registered and send telemetry; checked only through the server's REST API and its device publisher.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SimulatorIT {

    private static final int DEVICES = 50;
    private static final int READINGS = 6;
    private static final String ADMIN_PASSWORD = "it-admin-password-0123456789";

    @TempDir
    static Path dataDir;

    private InProcessServer server;
    private FleetAdminClient admin;
    private FleetSimulator simulator;

    @BeforeAll
    void startServerAndFleet() throws Exception {
        // fewer PBKDF2 rounds: 50 enrollments + connects at the production cost take ~10 s on 2 cores
        server = InProcessServer.start(dataDir, 0, 0, Map.of("fleetlet.admin.initial-password", ADMIN_PASSWORD,
                "fleetlet.security.pbkdf2-iterations", 1000));
        admin = new FleetAdminClient(server.httpUri(), "admin", ADMIN_PASSWORD);
        FleetAdminClient.Issued token = admin.createProvisioningToken("it-fleet", "SimulatorIT", null);
        SimulatorConfig config = SimulatorConfig.enrolling(server.httpUri(), token.secret())
                .withMqtt("127.0.0.1", server.mqttPort())
                .withDevices(DEVICES)
                .withTelemetry(Duration.ofMillis(500), READINGS)
                .withConcurrency(8, 25, 2);
        simulator = new FleetSimulator(config, Clock.systemUTC());
        simulator.start().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    void stopAll() {
        if (simulator != null) {
            simulator.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void allDevicesEnrollAndAreOnlineInTheRegistry() {
        assertThat(simulator.startErrors()).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode online = admin.devices("online", 0, 100);
            assertThat(online.path("total").asLong()).isEqualTo(DEVICES);
        });
        JsonNode one = admin.device(simulator.deviceIds().get(0));
        assertThat(one.path("serial").asText()).startsWith("SIM-");
        assertThat(one.path("fleet").asText()).isEqualTo("it-fleet");
        assertThat(simulator.counters().snapshot().connected()).isEqualTo(DEVICES);
    }

    @Test
    @Order(2)
    void everyDevicesTelemetryIsQueryable() {
        // when each device has had a few batches acknowledged (the server acknowledges after the commit)
        await().atMost(Duration.ofSeconds(30)).until(() -> simulator.counters().snapshot().pubAcks() >= 3L * DEVICES);
        // then the query API returns at least three batches' worth of readings for every device
        List<String> ids = simulator.deviceIds();
        assertThat(ids).hasSize(DEVICES);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String id : ids) {
                JsonNode points = admin.telemetry(id, null, 1000).path("points");
                assertThat(points.size()).as("points of %s", id).isGreaterThanOrEqualTo(3 * READINGS);
            }
        });
        JsonNode temperatures = admin.telemetry(ids.get(0), "temperature", 100).path("points");
        assertThat(temperatures.size()).isPositive();
        for (JsonNode p : temperatures) {
            assertThat(p.path("unit").asText()).isEqualTo("Cel");
            assertThat(p.path("value").asDouble()).isBetween(5.0, 40.0);
        }
        assertThat(simulator.counters().snapshot().publishFailures()).isZero();
    }

    @Test
    @Order(3)
    void aPingSentThroughTheServerIsAnsweredByTheSimulatedDevice() throws Exception {
        DevicePublisher publisher = server.context().getBean(DevicePublisher.class);
        String deviceId = simulator.deviceIds().get(7);
        CommandRequest ping = new CommandRequest(1, "it-ping-1", "ping", null, Instant.now(), 5000);
        CommandResponse response = publisher.sendCommand(deviceId, ping, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        assertThat(response.id()).isEqualTo("it-ping-1");
        assertThat(response.status()).isEqualTo(CommandResponse.Status.OK);
        assertThat(response.result().path("uptimeSeconds").isNumber()).isTrue();
    }

    @Test
    @Order(4)
    void aDesiredStatePublishedByTheServerIsAcknowledged() throws Exception {
        DevicePublisher publisher = server.context().getBean(DevicePublisher.class);
        String deviceId = simulator.deviceIds().get(3);
        long before = simulator.counters().snapshot().desiredStatesAcknowledged();
        publisher.publishDesiredState(new DesiredState(1, deviceId, 1, Instant.now(), null, Map.of("led", "on")))
                .get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                simulator.counters().snapshot().desiredStatesAcknowledged() == before + 1);
    }

    @Test
    @Order(5)
    void devicesShowOfflineAfterTheFleetShutsDown() {
        simulator.close();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(admin.devices("online", 0, 100).path("total").asLong()).isZero());
        assertThat(admin.devices("offline", 0, 100).path("total").asLong()).isEqualTo(DEVICES);
    }
}
