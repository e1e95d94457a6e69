package dev.fleetlet.hil.releasee2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.oci.testing.TestRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #7's end-to-end proof with real parts: the packaged fleet server (child JVM, H2, embedded broker), three
 * packaged edge agents (simulated boards) running releases with the host's runc, and a real registry on loopback.
 * The tests run in order on one fleet: baseline v1 on every device; (a) v2 rolls out canary → wave 1 → wave 2 →
 * COMPLETED, keeping the volume's data; (b) v3-broken fails its health check on the canary, whose agent rolls back
 * by itself, the rollout pauses at its threshold with no other device touched, and a roll back ends it with every
 * device running v2 and the canary told to run v2 again (a new generation), so its agent does not retry v3 at its
 * next start; (c) a rollout back to v1 survives a SIGKILL of the server after the canary applied and completes after
 * a restart with exactly one dispatch per device (reports re-published on reconnect for an older generation are not
 * taken for the outcome of the new dispatch).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutEndToEndIT {

    @RegisterExtension
    static final TestRegistry REGISTRY = TestRegistry.anonymous();

    private static final Duration APPLY = Duration.ofMinutes(3);
    private static final Duration ROLLOUT = Duration.ofMinutes(5);

    private static Path work;
    private static ReleaseFleet fleet;
    private static final Map<String, String> RELEASES = new HashMap<>();
    private static String canaryOfBrokenRollout;
    private static long canaryGenerationBeforeRollBack;

    @BeforeAll
    static void startFleet() throws IOException {
        work = Files.createDirectories(Path.of(System.getProperty("fleetlet.agent.workDir", "target/agent-e2e"))
                .resolve("RolloutEndToEndIT-" + System.currentTimeMillis()));
        AppImages.buildAndPush(work.resolve("images"), REGISTRY);
        fleet = ReleaseFleet.start(work);
        fleet.startAgents(work, 3, REGISTRY.host()); // on failure @AfterAll still stops every agent started
    }

    @AfterAll
    static void cleanUp() {
        if (fleet == null) {
            return;
        }
        fleet.close();
        for (String id : fleet.deviceIds()) {
            assertThat(ReleaseFleet.runcContainers(fleet.agent(id))).as("containers left of " + id).isEmpty();
        }
        assertThat(ReleaseFleet.mountsUnder(work)).as("mounts left under " + work).isEmpty();
    }

    @Test
    @Order(1)
    void baselineV1RunsOnEveryDeviceWithTheDigestTheRegistryNames() throws Exception {
        // given v1 created through the API
        JsonNode v1 = fleet.admin().createRelease("roe2e", "1.0.0", AppImages.compose(REGISTRY, "v1"));
        RELEASES.put("v1", v1.path("id").asText());
        assertThat(v1.path("images").toString()).contains(AppImages.registryDigest(REGISTRY, "v1"));
        assertThat(v1.path("spec").toString()).contains("@" + AppImages.registryDigest(REGISTRY, "v1"));

        // when every device is pinned to it (assigned at once), then unpinned again for the rollouts
        fleet.deviceIds().forEach(id -> fleet.pin(id, RELEASES.get("v1")));
        fleet.until("every device runs v1 healthy", APPLY, () -> all(id -> fleet.runsHealthy(id, RELEASES.get("v1"))));
        fleet.deviceIds().forEach(fleet::unpin);

        // then one container per device runs under the agent's own runc root and v1 wrote into the volume
        for (String id : fleet.deviceIds()) {
            assertThat(fleet.runcContainers(id)).as(id).hasSize(1).containsValue("running");
            assertThat(fleet.read(fleet.volume(id).resolve("versions"))).as(id).isEqualTo("v1\n");
        }
    }

    @Test
    @Order(2)
    void goodReleaseRollsOutCanaryThenWavesToCompletedKeepingVolumeData() throws Exception {
        long t0 = System.nanoTime();
        // given v2 and a rollout: canary 1, wave 1 of 1, wave 2 the rest, one at a time, 3 s soak
        RELEASES.put("v2", fleet.admin().createRelease("roe2e", "2.0.0", AppImages.compose(REGISTRY, "v2"))
                .path("id").asText());
        String rollout = createAndStart("v2", List.of(Map.of("count", 1), Map.of("percent", 100)));

        // when it runs, the groups it works on are observed in order
        List<String> groupsSeen = new ArrayList<>();
        fleet.until("v2 rollout COMPLETED", ROLLOUT, () -> {
            JsonNode r = fleet.admin().rollout(rollout);
            String group = r.path("currentGroupName").asText();
            if (groupsSeen.isEmpty() || !groupsSeen.get(groupsSeen.size() - 1).equals(group)) {
                groupsSeen.add(group);
            }
            assertThat(r.path("phase").asText()).isNotIn("PAUSED", "ABORTED", "ROLLING_BACK", "ROLLED_BACK");
            return "COMPLETED".equals(r.path("phase").asText());
        });

        // then canary → wave 1 → wave 2, one device each, all succeeded, each group's gate audited with its numbers
        assertThat(groupsSeen).as("groups seen").containsSubsequence("canary", "wave 1", "wave 2");
        List<JsonNode> members = fleet.admin().rolloutDevices(rollout, null);
        assertThat(members).extracting(m -> m.path("group").asInt()).containsExactly(0, 1, 2);
        assertThat(members).allSatisfy(m -> assertThat(m.path("status").asText()).isEqualTo("SUCCEEDED"));
        List<String> audit = fleet.admin().rolloutAudit(rollout);
        assertThat(gateLines(audit, "canary:")).as(String.join("\n", audit)).hasSize(1).first().asString()
                .contains("0/1 failed", "next wave (wave 1: 1 devices)");
        assertThat(gateLines(audit, "wave 1:")).hasSize(1).first().asString().contains("0/1 failed", "next wave");
        assertThat(gateLines(audit, "wave 2:")).hasSize(1).first().asString()
                .contains("0/1 failed", "rollout completed: 3/3 devices succeeded");
        // and every device runs v2 healthy, with the data v1 wrote still in its volume
        for (String id : fleet.deviceIds()) {
            assertThat(fleet.runsHealthy(id, RELEASES.get("v2"))).as(id + ": " + fleet.reported(id)).isTrue();
            assertThat(fleet.runcContainers(id)).as(id).hasSize(1).containsValue("running");
            assertThat(fleet.read(fleet.volume(id).resolve("versions"))).as(id).isEqualTo("v1\nv2\n");
        }
        System.out.printf("RolloutEndToEndIT (a) good rollout took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    @Order(5)
    void rolloutSurvivesAServerKillAfterTheCanaryAndCompletesWithOneDispatchPerDevice() throws Exception {
        long t0 = System.nanoTime();
        // given a rollout back to v1 whose canary has applied
        Map<String, Long> generations = generations();
        String rollout = createAndStart("v1", List.of(Map.of("count", 1), Map.of("percent", 100)));
        fleet.until("canary applied", ROLLOUT, () -> {
            String s = fleet.admin().rolloutDevices(rollout, null).get(0).path("status").asText();
            return s.equals("HEALTHY") || s.equals("SUCCEEDED");
        });

        // when the server is killed (SIGKILL) mid-rollout and started again on the same data dir and ports
        JsonNode beforeKill = fleet.admin().rollout(rollout);
        fleet.server().kill();
        assertThat(beforeKill.path("phase").asText()).isEqualTo("RUNNING");
        assertThat(beforeKill.path("total").path("succeeded").asInt()).as(beforeKill.toString()).isLessThan(3);
        fleet.server().start(Duration.ofMinutes(3));

        // then the rollout goes on to COMPLETED
        fleet.until("v1 rollout COMPLETED after the restart", ROLLOUT, () -> {
            String phase = fleet.admin().rollout(rollout).path("phase").asText();
            assertThat(phase).isNotIn("PAUSED", "ABORTED", "ROLLING_BACK", "ROLLED_BACK");
            return phase.equals("COMPLETED");
        });
        List<JsonNode> members = fleet.admin().rolloutDevices(rollout, null);
        assertThat(members).extracting(m -> m.path("group").asInt()).containsExactly(0, 1, 2);
        assertThat(members).allSatisfy(m -> assertThat(m.path("status").asText()).isEqualTo("SUCCEEDED"));
        // and each device was dispatched exactly once (one generation bump) and runs v1 healthy
        for (String id : fleet.deviceIds()) {
            JsonNode desired = fleet.admin().desiredState(id);
            assertThat(desired.path("releaseId").asText()).as(id).isEqualTo(RELEASES.get("v1"));
            assertThat(desired.path("generation").asLong()).as(id).isEqualTo(generations.get(id) + 1);
        }
        fleet.until("every device reports v1 healthy", APPLY, () -> all(id -> fleet.runsHealthy(id, RELEASES.get("v1"))));
        for (String id : fleet.deviceIds()) {
            assertThat(fleet.runcContainers(id)).as(id).hasSize(1).containsValue("running");
        }
        System.out.printf("RolloutEndToEndIT (c) rollout across a server kill took %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
    }

    @Test
    @Order(3)
    void failingHealthCheckRollsBackOnTheCanaryPausesTheRolloutAndRollBackReturnsEveryDevice() throws Exception {
        long t0 = System.nanoTime();
        // given v3-broken (its health check never passes), every device on v2 (from (a)), and the desired states
        // before the rollout
        RELEASES.put("v3", fleet.admin().createRelease("roe2e", "3.0.0-broken", AppImages.compose(REGISTRY, "v3-broken"))
                .path("id").asText());
        Map<String, Long> generations = generations();
        String rollout = createAndStart("v3", List.of(Map.of("percent", 100)));

        // when the rollout runs into the canary's failure
        fleet.until("v3 rollout PAUSED", ROLLOUT, () -> "PAUSED".equals(fleet.admin().rollout(rollout).path("phase").asText()));

        // then the canary's agent rolled back by itself for the health check and runs v2 again
        JsonNode canary = fleet.admin().rolloutDevices(rollout, null).get(0);
        String canaryId = canary.path("deviceId").asText();
        assertThat(canary.path("status").asText()).isEqualTo("ROLLED_BACK_LOCALLY");
        JsonNode reported = fleet.reported(canaryId);
        assertThat(reported.path("status").asText()).as(reported.toString()).isEqualTo("rolled_back");
        assertThat(reported.path("releaseId").asText()).isEqualTo(RELEASES.get("v2"));
        assertThat(reported.path("reason").asText()).as(reported.toString()).containsIgnoringCase("health");
        assertThat(fleet.reportedApp(canaryId).path("state").asText()).isEqualTo("running");
        assertThat(fleet.runcContainers(canaryId)).hasSize(1).containsValue("running");
        // and the gate says why it paused, and no other device was told to run v3
        List<String> audit = fleet.admin().rolloutAudit(rollout);
        assertThat(gateLines(audit, "canary:")).as(String.join("\n", audit)).hasSize(1).first().asString()
                .contains("1/1 failed", "count 1 > 0", "→ breach → pause");
        for (String id : fleet.deviceIds()) {
            if (!id.equals(canaryId)) {
                JsonNode desired = fleet.admin().desiredState(id);
                assertThat(desired.path("releaseId").asText()).as(id).isEqualTo(RELEASES.get("v2"));
                assertThat(desired.path("generation").asLong()).as(id).isEqualTo(generations.get(id));
            }
        }

        // when the operator rolls the paused rollout back
        canaryGenerationBeforeRollBack = fleet.admin().desiredState(canaryId).path("generation").asLong();
        fleet.admin().rolloutCommand(rollout, "rollback");
        fleet.until("v3 rollout ROLLED_BACK", ROLLOUT,
                () -> "ROLLED_BACK".equals(fleet.admin().rollout(rollout).path("phase").asText()));

        // then every device runs v2; the devices never dispatched are still told to run v2 (the canary's desired
        // state is the subject of canaryIsToldToRunThePreviousReleaseAgainAfterTheRollBack)
        canaryOfBrokenRollout = canaryId;
        fleet.untilAsserted("every device running v2", APPLY, () -> {
            for (String id : fleet.deviceIds()) {
                assertThat(fleet.runcContainers(id)).as(id).hasSize(1).containsValue("running");
                assertThat(fleet.reported(id).path("releaseId").asText()).as(id).isEqualTo(RELEASES.get("v2"));
                if (!id.equals(canaryId)) {
                    assertThat(fleet.admin().desiredState(id).path("releaseId").asText()).as(id)
                            .isEqualTo(RELEASES.get("v2"));
                }
            }
        });
        assertThat(fleet.admin().rolloutAudit(rollout)).anySatisfy(l -> assertThat(l).startsWith("rollback finished:"));
        System.out.printf("RolloutEndToEndIT (b) failing rollout took %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    @Test
    @Order(4)
    void canaryIsToldToRunThePreviousReleaseAgainAfterTheRollBack() {
        // given the canary of the rolled back v3-broken rollout, whose agent restored v2 by itself
        assertThat(canaryOfBrokenRollout).isNotNull();
        // then its desired state is v2 again, in a newer generation than the v3 dispatch, and it reports it applied
        JsonNode desired = fleet.admin().desiredState(canaryOfBrokenRollout);
        assertThat(desired.path("releaseId").asText()).as(desired.toString()).isEqualTo(RELEASES.get("v2"));
        assertThat(desired.path("generation").asLong()).as(desired.toString())
                .isGreaterThan(canaryGenerationBeforeRollBack);
        fleet.untilAsserted("the canary reports v2 applied for its new generation", APPLY, () -> {
            JsonNode reported = fleet.reported(canaryOfBrokenRollout);
            assertThat(reported.path("status").asText()).as(reported.toString()).isEqualTo("applied");
            assertThat(reported.path("releaseId").asText()).as(reported.toString()).isEqualTo(RELEASES.get("v2"));
            assertThat(reported.path("generation").asLong()).as(reported.toString())
                    .isEqualTo(desired.path("generation").asLong());
        });
        assertThat(fleet.runcContainers(canaryOfBrokenRollout)).hasSize(1).containsValue("running");
    }

    private static String createAndStart(String version, List<Map<String, Object>> waves) {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("canary", Map.of("count", 1));
        plan.put("waves", waves);
        plan.put("maxConcurrent", 1);
        plan.put("soak", "PT3S");
        plan.put("deviceTimeout", "PT120S");
        plan.put("thresholds", Map.of("perWave", Map.of("count", 0)));
        plan.put("onBreach", "PAUSE");
        JsonNode planned = fleet.admin().createRollout(RELEASES.get(version), "", plan);
        assertThat(planned.path("devices").asInt()).as(planned.toString()).isEqualTo(3);
        String id = planned.path("id").asText();
        fleet.diagnoseRollout(id);
        fleet.admin().rolloutCommand(id, "start");
        return id;
    }

    private static Map<String, Long> generations() {
        Map<String, Long> out = new HashMap<>();
        fleet.deviceIds().forEach(id -> out.put(id, fleet.admin().desiredState(id).path("generation").asLong()));
        return out;
    }

    private static List<String> gateLines(List<String> audit, String prefix) {
        return audit.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    private interface DeviceCheck {
        boolean test(String deviceId) throws Exception;
    }

    private static boolean all(DeviceCheck check) throws Exception {
        for (String id : fleet.deviceIds()) {
            if (!check.test(id)) {
                return false;
            }
        }
        return true;
    }
}
