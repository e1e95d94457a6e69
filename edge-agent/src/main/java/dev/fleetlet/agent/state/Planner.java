package dev.fleetlet.agent.state;

import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Computes the steps from the current state to a desired state. Pure: no I/O, no clock, same input, same
 * plan. Order: config first (cheap, independent of containers), then the release change, then the removal
 * of the release that was replaced. Releases are compared by id and content: a release id is immutable in
 * the fleet, but a changed spec under the same id is still installed rather than silently ignored.
 */
public final class Planner {

    private Planner() {
    }

    public static List<Step> plan(CurrentState current, DesiredState desired) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(desired, "desired");
        List<Step> steps = new ArrayList<>();
        if (!current.config().equals(desired.config())) {
            steps.add(new Step.ApplyConfig(desired.config()));
        }
        Release running = current.release();
        Release wanted = desired.release();
        if (wanted != null && !wanted.equals(running)) {
            steps.add(new Step.InstallRelease(wanted, running == null ? null : running.id()));
        }
        if (running != null && (wanted == null || !wanted.id().equals(running.id()))) {
            steps.add(new Step.RemoveRelease(running.id()));
        }
        return List.copyOf(steps);
    }
}
