package dev.fleetlet.server.rollout.api;

import dev.fleetlet.server.events.EventBus;
import dev.fleetlet.server.rollout.Phase;
import dev.fleetlet.server.rollout.engine.RolloutCounts;
import dev.fleetlet.server.rollout.engine.RolloutListener;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts rollout changes on the event bus, hence on {@code GET /api/v1/events/stream}:
 * {@value #PHASE} (rolloutId, from, to), {@value #GATE} (rolloutId, text: every audit line, gate decisions
 * with their numbers) and {@value #PROGRESS} (rolloutId, phase, currentGroup and the total counts; at most
 * about two per second per rollout, throttled by the engine). These events name no device and are not stored
 * in {@code device_events}; the audit log is their history.
 */
@Singleton
public class RolloutEventRelay implements RolloutListener {

    public static final String PHASE = "rollout.phase";
    public static final String GATE = "rollout.gate";
    public static final String PROGRESS = "rollout.progress";

    private final EventBus bus;

    public RolloutEventRelay(EventBus bus) {
        this.bus = bus;
    }

    @Override
    public void phase(String rolloutId, Phase from, Phase to, Instant at) {
        bus.publish(PHASE, null, Map.of("rolloutId", rolloutId, "from", from.name(), "to", to.name()));
    }

    @Override
    public void audit(String rolloutId, Instant at, String text) {
        bus.publish(GATE, null, Map.of("rolloutId", rolloutId, "text", text));
    }

    @Override
    public void progress(String rolloutId, Phase phase, int currentGroup, RolloutCounts t, List<RolloutCounts> groups) {
        Map<String, String> d = new HashMap<>();
        d.put("rolloutId", rolloutId);
        d.put("phase", phase.name());
        d.put("currentGroup", Integer.toString(currentGroup));
        d.put("devices", Integer.toString(t.devices()));
        d.put("pending", Integer.toString(t.pending()));
        d.put("updating", Integer.toString(t.updating()));
        d.put("soaking", Integer.toString(t.soaking()));
        d.put("succeeded", Integer.toString(t.succeeded()));
        d.put("failed", Integer.toString(t.failed()));
        d.put("silent", Integer.toString(t.silent()));
        d.put("rollingBack", Integer.toString(t.rollingBack()));
        d.put("rolledBack", Integer.toString(t.rolledBack()));
        d.put("rollbackFailed", Integer.toString(t.rollbackFailed()));
        bus.publish(PROGRESS, null, d);
    }
}
