package dev.fleetlet.server.rollout.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.server.broker.DeviceStateSink;
import dev.fleetlet.server.device.DeviceHardware;
import dev.fleetlet.server.device.DeviceRepository;
import dev.fleetlet.server.device.NewDevice;
import dev.fleetlet.server.rollout.Command;
import dev.fleetlet.server.rollout.Phase;
import dev.fleetlet.server.rollout.ProgressStatus;
import dev.fleetlet.server.rollout.RolloutState;
import dev.fleetlet.server.support.FleetTestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server (Micronaut, H2 file) is stopped mid-rollout and started again on the same data: the rollout
 * continues where it was, driven by reported states through the broker's {@link DeviceStateSink}.
 */
class RolloutRestartTest {

    @TempDir
    Path dir;

    static final Map<String, Object> PROPS = Map.of("fleetlet.test.release-catalog", "memory",
            "fleetlet.test.publisher", "memory", "fleetlet.rollouts.tick", "50ms", "fleetlet.rollouts.lease-ttl", "2s");

    private static void reportHealthy(FleetTestServer server, String rolloutId) {
        RolloutState s = server.bean(RolloutStore.class).load(rolloutId).orElseThrow().state();
        DeviceStateSink sink = server.bean(DeviceStateSink.class);
        s.devices().stream().filter(d -> d.status() == ProgressStatus.DISPATCHED).forEach(d -> sink.reported(
                new ReportedState(1, d.deviceId(), 2, Instant.now(), ReportedState.Status.APPLIED, "app-2", "app-1", null,
                        List.of()), Instant.now()));
    }

    private static RolloutState state(FleetTestServer server, String id) {
        return server.bean(RolloutStore.class).load(id).orElseThrow().state();
    }

    @Test
    void aRolloutContinuesAfterTheServerRestarts() throws Exception {
        String id;
        try (FleetTestServer server = FleetTestServer.start(dir, PROPS)) {
            DeviceRepository devices = server.bean(DeviceRepository.class);
            for (int i = 0; i < 5; i++) {
                devices.insert(new NewDevice("dev-" + i, "s-" + i, "dev-" + i, "default", Map.of(),
                        new DeviceHardware(null, "arm64", null, 1024L, null, null, null, List.of()), null, Instant.now()));
            }
            RolloutService rollouts = server.bean(RolloutService.class);
            String plan = "{\"canary\":{\"count\":1},\"waves\":[{\"count\":2},{\"percent\":100}],\"maxConcurrent\":10,"
                    + "\"soak\":\"PT0S\",\"deviceTimeout\":\"PT5M\",\"onBreach\":\"PAUSE\"}";
            id = rollouts.create(rollouts.validate("app-2", "", new ObjectMapper().readTree(plan)), "tester").id();
            rollouts.command(id, Command.Kind.START, "tester");
            String rid = id;
            await().atMost(Duration.ofSeconds(10)).until(() -> state(server, rid).count(ProgressStatus.DISPATCHED) == 1);
            reportHealthy(server, id);
            await().atMost(Duration.ofSeconds(10)).until(() -> state(server, rid).currentGroup() == 1
                    && state(server, rid).count(ProgressStatus.DISPATCHED) == 2);
        }
        // when the server comes back on the same data
        try (FleetTestServer server = FleetTestServer.start(dir, PROPS)) {
            String rid = id;
            RolloutState s = state(server, id);
            assertThat(s.phase()).isEqualTo(Phase.RUNNING);
            assertThat(s.count(ProgressStatus.SUCCEEDED)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.bean(RolloutEngine.class).held().contains(rid));
            // then it re-published the unconfirmed desired states and goes on to the end
            RecordingPublisher published = server.bean(RecordingPublisher.class);
            await().untilAsserted(() -> assertThat(published.retained).hasSizeGreaterThanOrEqualTo(2));
            for (int round = 0; round < 3 && state(server, id).phase() != Phase.COMPLETED; round++) {
                reportHealthy(server, id);
                await().atMost(Duration.ofSeconds(10)).until(() -> state(server, rid).phase() == Phase.COMPLETED
                        || state(server, rid).count(ProgressStatus.DISPATCHED) > 0);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> state(server, rid).phase() == Phase.COMPLETED);
            assertThat(state(server, id).count(ProgressStatus.SUCCEEDED)).isEqualTo(5);
            assertThat(server.bean(RolloutQueries.class).audit(id, 0, 100).items())
                    .anyMatch(l -> l.text().contains("canary")).anyMatch(l -> l.text().contains("wave 2"));
        }
    }
}
