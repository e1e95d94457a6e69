package dev.fleetlet.hil.demo;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.hil.server.FleetAdminClient;
import dev.fleetlet.hil.sim.RolloutScenario;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's two releases of {@code demo-app} and the rollout from the first to the second.
 *
 * <p>The releases are 1.0 and 1.1 when their compose text is new or unchanged. Their images live in the
 * demo's {@link LoopbackRegistry}, whose port is part of the text; when an earlier run on the same data dir
 * used another port, the server refuses the changed spec (409, releases are immutable) and the versions get
 * a suffix with the start time ({@code 1.0-r1764115200}).
 *
 * @param base the release the simulated devices start on
 * @param next the release the demo rolls out
 */
public record DemoReleases(String base, String next) {

    private static final Logger log = LoggerFactory.getLogger(DemoReleases.class);
    static final String APP = "demo-app";

    /** Creates (or finds) both releases. */
    public static DemoReleases create(FleetAdminClient admin, LoopbackRegistry registry, Clock clock) {
        String suffix = "";
        for (int attempt = 0; ; attempt++) {
            try {
                return new DemoReleases(release(admin, registry, "1.0" + suffix), release(admin, registry, "1.1" + suffix));
            } catch (FleetAdminClient.ApiCallException e) {
                if (e.status() != 409 || attempt > 0) {
                    throw e;
                }
                suffix = "-r" + clock.instant().getEpochSecond();
                log.info("demo releases exist with other image references, using versions with suffix={}", suffix);
            }
        }
    }

    private static String release(FleetAdminClient admin, LoopbackRegistry registry, String version) {
        String image = registry.addImage("fleetlet/demo-app", version);
        return admin.createRelease(APP, version, RolloutScenario.compose(APP, image)).path("id").asText();
    }

    /**
     * Waits up to {@code wait} for the {@code devices} simulated devices to report running {@link #base()}, then
     * creates and starts a rollout of {@link #next()} to every device: canary of one, waves of 50 % and 100 %,
     * 5 at a time, 10 s soak, per-wave limit 20 %, pause on breach. Returns the rollout id.
     */
    public String startRollout(FleetAdminClient admin, int devices, Duration wait) {
        Map<String, Object> plan = RolloutScenario.plan(0, List.of(50.0, 100.0), 5, "PT10S", "PT2M", 20.0, "PAUSE");
        plan.put("canary", Map.of("count", 1));
        Instant deadline = Instant.now().plus(wait);
        while (Instant.now().isBefore(deadline) && onBase(admin) < devices) {
            try {
                MILLISECONDS.sleep(500); // polling the server; nothing to wait on in this process
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        JsonNode planned = admin.createRollout(next, "", plan);
        String id = planned.path("id").asText();
        admin.rolloutCommand(id, "start");
        log.info("demo rollout started rolloutId={} release={} devices={} groups={}", id, next,
                planned.path("devices").asInt(), planned.path("groupSizes"));
        return id;
    }

    /** Devices a rollout of the base release would exclude: those that report running it already. */
    private int onBase(FleetAdminClient admin) {
        JsonNode preview = admin.post("/api/v1/rollouts/preview", Map.of("releaseId", base, "selector", "",
                "plan", RolloutScenario.plan(0, List.of(100.0), 1, "PT1S", "PT10S", null, "PAUSE")));
        return preview.path("excluded").asInt();
    }
}
