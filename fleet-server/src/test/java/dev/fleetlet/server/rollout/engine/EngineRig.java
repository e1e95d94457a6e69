package dev.fleetlet.server.rollout.engine;

import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.desired.DesiredStateService;
import dev.fleetlet.server.rollout.Command;
import dev.fleetlet.server.rollout.DeviceProgress;
import dev.fleetlet.server.rollout.Observation;
import dev.fleetlet.server.rollout.ProgressStatus;
import dev.fleetlet.server.rollout.RolloutState;
import dev.fleetlet.server.rollout.plan.BreachAction;
import dev.fleetlet.server.rollout.plan.RolloutPlan;
import dev.fleetlet.server.rollout.plan.Threshold;
import dev.fleetlet.server.rollout.plan.WavePlanner;
import dev.fleetlet.server.rollout.plan.WaveSize;
import dev.fleetlet.server.support.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The rollout engine without Micronaut: a migrated database, the real store and desired-state service, an
 * in-memory release catalog and publisher, a hand-moved clock. Engines are stepped by calling
 * {@link RolloutEngine#tick()} (no thread), so every test is deterministic.
 */
final class EngineRig implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-05-04T08:00:00Z");

    final Jdbc jdbc;
    final MutableClock clock = new MutableClock(T0);
    final InMemoryReleaseCatalog catalog = new InMemoryReleaseCatalog();
    final RecordingPublisher publisher = new RecordingPublisher();
    final DesiredStateService desired;
    final RolloutStore store;
    final List<RolloutEngine> engines = new ArrayList<>();
    final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    EngineRig(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new Jdbc(ds);
        for (String t : List.of("rollout_leases", "rollout_audit", "rollout_commands", "rollout_devices", "rollouts",
                "device_desired_state", "device_reported_state", "device_pins", "device_event_seqs")) {
            jdbc.update("DELETE FROM " + t);
        }
        desired = new DesiredStateService(jdbc, () -> catalog, () -> publisher, clock);
        store = new RolloutStore(jdbc);
    }

    RolloutEngine engine(String owner) {
        RolloutEngine e = new RolloutEngine(store, desired, clock, owner, Duration.ofSeconds(15), Duration.ofMillis(500),
                new RolloutListener() {
                    @Override
                    public void phase(String id, dev.fleetlet.server.rollout.Phase from, dev.fleetlet.server.rollout.Phase to,
                                      Instant at) {
                        events.add("phase " + from + "->" + to);
                    }

                    @Override
                    public void progress(String id, dev.fleetlet.server.rollout.Phase phase, int group, RolloutCounts total,
                                         List<RolloutCounts> groups) {
                        events.add("progress " + total.succeeded());
                    }
                }, new SimpleMeterRegistry());
        engines.add(e);
        return e;
    }

    static RolloutPlan plan(WaveSize canary, List<WaveSize> waves, int maxConcurrent, Threshold perWave, BreachAction onBreach) {
        return new RolloutPlan(canary, waves, maxConcurrent, Duration.ofMinutes(1), Duration.ofMinutes(5), perWave,
                Threshold.NONE, onBreach, List.of());
    }

    /** A DRAFT rollout of app-2 to {@code n} devices that run app-1 (their desired state says so too). */
    String create(String id, RolloutPlan plan, int n) {
        List<String> ids = new ArrayList<>();
        Map<String, String> current = new HashMap<>();
        List<dev.fleetlet.server.desired.Assignment> before = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String d = String.format("dev-%03d", i);
            ids.add(d);
            current.put(d, "app-1");
            before.add(new dev.fleetlet.server.desired.Assignment(d, "app-1", Map.of("LOG", "info"), "enrolled"));
        }
        desired.record(before);
        RolloutState s = RolloutState.draft(id, plan, WavePlanner.assign(id, ids, plan), "app-2", current);
        store.insert(new RolloutRecord(id, RolloutRecord.Kind.RELEASE, "app-2", "", "tester", clock.instant(), null), s,
                clock.instant());
        return id;
    }

    Command command(String id, Command.Kind kind) {
        return store.appendCommand(id, kind, "tester", clock.instant());
    }

    RolloutState state(String id) {
        return store.load(id).orElseThrow().state();
    }

    List<String> withStatus(String id, ProgressStatus status) {
        List<String> out = new ArrayList<>();
        for (DeviceProgress d : state(id).devices()) {
            if (d.status() == status) {
                out.add(d.deviceId());
            }
        }
        return out;
    }

    /** Every dispatched device reports {@code kind} for the release it was sent. */
    void reportDispatched(RolloutEngine e, String id, Observation.Kind kind) {
        List<Observation> obs = new ArrayList<>();
        for (String d : withStatus(id, ProgressStatus.DISPATCHED)) {
            obs.add(new Observation(d, clock.instant(), kind, kind == Observation.Kind.HEALTHY ? "app-2" : null,
                    kind == Observation.Kind.HEALTHY ? null : "health check failed"));
        }
        e.observe(obs);
    }

    List<String> audit(String id) {
        return jdbc.query("SELECT text FROM rollout_audit WHERE rollout_id = ? ORDER BY id", rs -> rs.getString(1), id);
    }

    @Override
    public void close() {
        engines.forEach(RolloutEngine::close);
        desired.close();
    }
}
