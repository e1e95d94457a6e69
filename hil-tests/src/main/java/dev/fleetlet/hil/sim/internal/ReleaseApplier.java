package dev.fleetlet.hil.sim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.hil.sim.ReleaseBehaviour;
import dev.fleetlet.hil.sim.ReleaseBehaviour.Profile;
import dev.fleetlet.hil.sim.SimulatorCounters;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.ServiceStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated device's release state machine, answering desired states as an agent would.
 *
 * <p>Per new desired-state generation: the {@link ReleaseBehaviour} decides the profile; a silent device does
 * nothing; otherwise the device publishes the event {@code update.starting} and a retained reported state
 * {@code applying} (still naming the release it runs), then after the apply delay either {@code applied}
 * (release id = the new release, previous release id = the one it ran, one healthy service per service of
 * the spec) with the event {@code update.healthy}, or, for a failing device told to run another release,
 * {@code rolled_back} with the reason {@value ReleaseBehaviour#FAILURE_REASON}, still running its previous
 * release, with the event {@code update.rolled_back}. A newer generation arriving meanwhile supersedes the
 * pending one. Event sequence numbers grow monotonically per device and start at the boot time in
 * milliseconds × 1000, so a device simulated again later continues above its earlier numbers.
 *
 * <p>Thread-safe: desired states arrive on Netty threads, apply timers fire on the simulator's scheduler.
 */
public final class ReleaseApplier {

    /** Publishes one payload (QoS 1) on a topic of this device. */
    @FunctionalInterface
    public interface Publisher {
        CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain);
    }

    private final String deviceId;
    private final ReleaseBehaviour behaviour;
    private final ProtocolCodec codec;
    private final Clock clock;
    private final SimulatorCounters counters;
    private final ScheduledExecutorService scheduler;
    private final Publisher publisher;
    private final AtomicLong eventSeq;
    private final int index;
    private final java.util.function.Supplier<dev.fleetlet.protocol.message.SystemHealth> health;
    private String running;
    private long currentGeneration;
    private ScheduledFuture<?> pending;
    private boolean initialReported;

    public ReleaseApplier(String deviceId, ReleaseBehaviour behaviour, ProtocolCodec codec, Clock clock,
                          SimulatorCounters counters, ScheduledExecutorService scheduler, Publisher publisher) {
        this(deviceId, behaviour, codec, clock, counters, scheduler, publisher, 0, () -> null);
    }

    /**
     * @param index  the simulated device's index (gives its services' resource use)
     * @param health the board health every report carries ({@link SimulatedHealth}); may return null
     */
    public ReleaseApplier(String deviceId, ReleaseBehaviour behaviour, ProtocolCodec codec, Clock clock,
                          SimulatorCounters counters, ScheduledExecutorService scheduler, Publisher publisher, int index,
                          java.util.function.Supplier<dev.fleetlet.protocol.message.SystemHealth> health) {
        this.index = index;
        this.health = health;
        this.deviceId = deviceId;
        this.behaviour = behaviour;
        this.codec = codec;
        this.clock = clock;
        this.counters = counters;
        this.scheduler = scheduler;
        this.publisher = publisher;
        this.running = behaviour.initialRelease();
        this.eventSeq = new AtomicLong(clock.millis() * 1000);
    }

    /** The release this device runs now, or null. */
    public synchronized String runningRelease() {
        return running;
    }

    /** This device's own profile (before the per-desired-state overrides). */
    public Profile profile() {
        return behaviour.profileOf(deviceId);
    }

    /**
     * On the first connect: reports the initial release applied at generation 0 (retained), or {@code idle}
     * without one, so the server learns the board's health as from a real agent.
     */
    public synchronized void onConnected() {
        if (initialReported || currentGeneration > 0) {
            return;
        }
        initialReported = true;
        report(0, behaviour.initialRelease() == null ? ReportedState.Status.IDLE : ReportedState.Status.APPLIED,
                running, null, null, List.of());
    }

    /** A desired state whose generation is newer than every earlier one. */
    public synchronized void onDesired(DesiredState desired) {
        String target = desired.release() == null ? null : desired.release().id();
        counters.onDesiredReceived(target);
        long generation = desired.generation();
        currentGeneration = generation;
        if (pending != null && pending.cancel(false)) {
            counters.onSuperseded();
        }
        pending = null;
        Profile profile = behaviour.decide(deviceId, target, desired.config());
        if (profile == Profile.SILENT) {
            counters.onSilentIgnored();
            return;
        }
        event(DeviceEvent.Type.UPDATE_STARTING, generation, target, null);
        report(generation, ReportedState.Status.APPLYING, running, null, null, List.of());
        Duration delay = behaviour.applyDelay(profile, ThreadLocalRandom.current().nextDouble());
        try {
            pending = scheduler.schedule(() -> finish(generation, target, profile, desired), delay.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending = null; // the simulator is closing
        }
    }

    private synchronized void finish(long generation, String target, Profile profile, DesiredState desired) {
        if (generation != currentGeneration) {
            return;
        }
        pending = null;
        boolean changes = target != null && !target.equals(running);
        if (profile == Profile.FAILING && changes) {
            report(generation, ReportedState.Status.ROLLED_BACK, running, null, ReleaseBehaviour.FAILURE_REASON,
                    List.of());
            event(DeviceEvent.Type.UPDATE_ROLLED_BACK, generation, target, ReleaseBehaviour.FAILURE_REASON);
            counters.onReleaseFailed();
        } else {
            String previous = changes ? running : null;
            running = target;
            report(generation, ReportedState.Status.APPLIED, running, previous, null, services(desired, index));
            event(DeviceEvent.Type.UPDATE_HEALTHY, generation, target, null);
            counters.onReleaseApplied();
        }
        counters.onDesiredStateAcknowledged();
    }

    private void report(long generation, ReportedState.Status status, String releaseId, String previous, String reason,
                        List<ServiceStatus> services) {
        ReportedState state = new ReportedState(1, deviceId, generation, clock.instant(), status, releaseId, previous,
                reason, services, health.get());
        publisher.publish(Topics.reportedState(deviceId), codec.encode(MessageType.REPORTED_STATE, state), true);
    }

    private void event(DeviceEvent.Type type, long generation, String releaseId, String message) {
        DeviceEvent event = new DeviceEvent(1, deviceId, eventSeq.incrementAndGet(), clock.instant(), type, generation,
                releaseId, null, message);
        publisher.publish(Topics.events(deviceId), codec.encode(MessageType.EVENT, event), false);
    }

    /** One running, healthy service per service of the release's spec (at most 64, as the schema allows). */
    private static List<ServiceStatus> services(DesiredState desired, int index) {
        if (desired.release() == null || desired.release().spec() == null) {
            return List.of();
        }
        JsonNode services = desired.release().spec().path("services");
        List<ServiceStatus> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : services.properties()) {
            if (out.size() >= 64) {
                break;
            }
            String image = e.getValue().path("image").asText("");
            if (!e.getKey().matches("[a-z0-9][a-z0-9_.-]{0,63}") || image.isEmpty()) {
                continue;
            }
            out.add(SimulatedHealth.running(index, e.getKey(), image));
        }
        return out;
    }
}
