package dev.fleetlet.agent.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.agent.events.EventPublisher;
import dev.fleetlet.agent.mqtt.IncomingMessage;
import dev.fleetlet.protocol.codec.Decoded;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.codec.Rejection;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.protocol.message.ReportedState;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives desired states and drives the device towards the last accepted one.
 *
 * <p>Incoming payloads ({@link #onMessage}) and the startup reconcile ({@link #start}) run one at a time
 * on the {@code state-reconciler} thread, never on the MQTT callback thread. For each payload:
 * zero length → "no change" (the server clears the retained message when decommissioning); over the
 * 256 KiB limit, not decodable, or for another device → {@code desired.rejected} event and a
 * {@code rejected} reported state with the reason (the device keeps running what it runs);
 * generation not above the last accepted one → ignored (retained copy seen again, QoS 1 redelivery);
 * otherwise persisted, planned and executed.
 *
 * <p>{@link #start} reconciles from the persisted desired state at once, without waiting for the broker,
 * and says so if the previous run was interrupted in the middle of a step.
 */
public final class StateReconciler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateReconciler.class);

    private final String deviceId;
    private final ProtocolCodec codec;
    private final DesiredStateStore desired;
    private final AppliedStateStore applied;
    private final StepJournal journal;
    private final Executor executor;
    private final StateReporter reporter;
    private final EventPublisher events;
    private final ReleaseRuntime runtime;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "state-reconciler");
        t.setDaemon(true);
        return t;
    });
    private long lastRejectedGeneration = -1;

    public StateReconciler(String deviceId, ProtocolCodec codec, DesiredStateStore desired, AppliedStateStore applied,
                           StepJournal journal, Executor executor, StateReporter reporter, EventPublisher events,
                           ReleaseRuntime runtime) {
        this.deviceId = deviceId;
        this.codec = codec;
        this.desired = desired;
        this.applied = applied;
        this.journal = journal;
        this.executor = executor;
        this.reporter = reporter;
        this.events = events;
        this.runtime = runtime;
    }

    /** Queues the startup reconcile from the persisted desired state. */
    public Future<?> start() {
        return worker.submit(this::reconcileFromDisk);
    }

    /** Queues a message from {@code state/desired}. Returns at once (safe on the MQTT callback thread). */
    public Future<?> onMessage(IncomingMessage message) {
        return worker.submit(() -> handle(message.payload()));
    }

    /** Queues the after-connect work: republish the reported state, send pending events. */
    public Future<?> onConnected() {
        return worker.submit(() -> {
            reporter.republish();
            events.flush();
        });
    }

    /** Reconciles towards the persisted desired state, if any; reports idle when there is none. */
    void reconcileFromDisk() {
        Optional<StepJournal.Entry> interrupted = journal.interrupted();
        String note = interrupted.map(e -> "resumed after the agent stopped during " + e.describe()).orElse(null);
        interrupted.ifPresent(e -> log.warn("previous run was interrupted during {}", e.describe()));
        Optional<DesiredState> state = desired.current();
        if (state.isEmpty()) {
            CurrentState current = applied.load();
            reporter.report(ReportedState.Status.IDLE, current.generation(), current.releaseId(), null, null,
                    runtime.services());
            return;
        }
        log.info("reconciling from the persisted desired state generation={}", state.get().generation());
        reconcile(state.get(), note);
    }

    /** Handles one {@code state/desired} payload. Never throws. */
    void handle(byte[] payload) {
        try {
            if (payload.length == 0) {
                log.debug("empty desired state (retained message cleared): no change");
                return;
            }
            if (payload.length > MessageType.DESIRED_STATE.maxBytes()) {
                reject(new Rejection(Rejection.Reason.TOO_LARGE, "", "desired-state payload is " + payload.length
                        + " bytes, limit is " + MessageType.DESIRED_STATE.maxBytes()), -1);
                return;
            }
            Decoded<DesiredState> decoded = codec.decode(MessageType.DESIRED_STATE, deviceId, payload);
            if (decoded instanceof Decoded.Rejected<DesiredState> r) {
                reject(r.rejection(), generationHint(payload));
                return;
            }
            DesiredState state = decoded.orElseThrow();
            long last = desired.lastAcceptedGeneration();
            if (state.generation() <= last) {
                log.debug("ignoring desired state generation={} lastAccepted={} (stale or redelivered)",
                        state.generation(), last);
                return;
            }
            try {
                desired.save(state, payload);
            } catch (IOException e) {
                log.error("cannot persist desired state, applying it anyway generation={} error={}",
                        state.generation(), e.toString());
            }
            log.info("desired state accepted generation={} releaseId={} configValues={}", state.generation(),
                    state.release() == null ? null : state.release().id(), state.config().size());
            reconcile(state, null);
        } catch (RuntimeException e) {
            log.error("desired state handling failed error={}", e.toString(), e);
        }
    }

    private void reconcile(DesiredState state, String note) {
        CurrentState current = withRunningRelease(applied.load());
        List<Step> plan = Planner.plan(current, state);
        if (plan.isEmpty() && current.generation() == state.generation()) {
            journal.finish();
            reporter.report(ReportedState.Status.APPLIED, state.generation(), current.releaseId(), null, null,
                    runtime.services());
            return;
        }
        executor.execute(state.generation(), current, plan, note);
    }

    /**
     * The applied state, but with the release the runtime actually runs when the two name different releases: the
     * runtime's records recovered to another release than the one applied last (a power cut between the runtime's
     * commit and the applied state's save), or could not be read at all and nothing runs. The plan then starts
     * from what runs, so the device reinstalls what it should run instead of reporting it applied.
     */
    private CurrentState withRunningRelease(CurrentState recorded) {
        Release running = runtime.running().orElse(null);
        String runningId = running == null ? null : running.id();
        if (Objects.equals(runningId, recorded.releaseId())) {
            return recorded;
        }
        log.warn("the applied state names release={} but the container runtime runs release={}: planning from what runs",
                recorded.releaseId(), runningId);
        return new CurrentState(recorded.generation(), running, recorded.config());
    }

    private void reject(Rejection rejection, long generationHint) {
        long generation = generationHint > 0 ? generationHint : desired.lastAcceptedGeneration();
        if (generationHint > 0 && generationHint == lastRejectedGeneration) {
            log.debug("desired state generation={} already rejected", generationHint);
            return;
        }
        lastRejectedGeneration = generationHint;
        String reason = "desired state rejected: " + rejection;
        log.warn("desired state rejected deviceId={} reason={} field={} message={}", deviceId, rejection.reason(),
                rejection.field(), rejection.message());
        events.raise(DeviceEvent.Type.DESIRED_REJECTED, generation, null, reason);
        CurrentState current = applied.load();
        reporter.report(ReportedState.Status.REJECTED, generation, current.releaseId(), null, reason,
                runtime.services());
    }

    /** The generation of a payload that failed validation, when it still reads as a positive integer. */
    private long generationHint(byte[] payload) {
        try {
            JsonNode g = codec.mapper().readTree(payload).path("generation");
            return g.canConvertToExactIntegral() && g.asLong() > 0 ? g.asLong() : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Stops the worker, waiting up to 10 s for a running step. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
