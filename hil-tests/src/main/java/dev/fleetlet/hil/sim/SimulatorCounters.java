package dev.fleetlet.hil.sim;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of a simulator run, updated from the Netty and scheduler threads; {@link #snapshot()}
 * reads them without stopping anything (the fields are read one by one, so a snapshot taken under load
 * is consistent per field, not across fields).
 */
public final class SimulatorCounters {

    private static final String NO_RELEASE = "\u0000none";

    private final LongAdder enrolled = new LongAdder();
    private final LongAdder enrollPending = new LongAdder();
    private final LongAdder enrollFailures = new LongAdder();
    private final AtomicLong connected = new AtomicLong();
    private final LongAdder connects = new LongAdder();
    private final LongAdder disconnects = new LongAdder();
    private final LongAdder reconnectsScheduled = new LongAdder();
    private final LongAdder batchesSent = new LongAdder();
    private final LongAdder readingsSent = new LongAdder();
    private final LongAdder pubAcks = new LongAdder();
    private final LongAdder readingsAcked = new LongAdder();
    private final LongAdder publishFailures = new LongAdder();
    private final LongAdder batchFailures = new LongAdder();
    private final LongAdder skippedTicks = new LongAdder();
    private final LongAdder commandsAnswered = new LongAdder();
    private final LongAdder desiredStatesAcknowledged = new LongAdder();
    private final LongAdder desiredReceived = new LongAdder();
    private final LongAdder releasesApplied = new LongAdder();
    private final LongAdder releasesFailed = new LongAdder();
    private final LongAdder silentIgnored = new LongAdder();
    private final LongAdder superseded = new LongAdder();
    private final ConcurrentHashMap<String, ReleaseReceipts> byRelease = new ConcurrentHashMap<>();

    /** Desired states received for one release: how many, and when the last one arrived. */
    private static final class ReleaseReceipts {
        final LongAdder count = new LongAdder();
        final AtomicLong lastNanos = new AtomicLong();
    }

    /** Counting hooks, called by the simulator's devices. */
    public void onEnrolled() {
        enrolled.increment();
    }

    public void onEnrollPending() {
        enrollPending.increment();
    }

    public void onEnrollFailure() {
        enrollFailures.increment();
    }

    public void onConnected() {
        connected.incrementAndGet();
        connects.increment();
    }

    /**
     * A connection ended or a connect attempt failed ({@code wasConnected} false); {@code expected} for
     * the simulator's own disconnect at shutdown, which is not counted as a disconnect.
     */
    public void onDisconnected(boolean wasConnected, boolean expected) {
        if (wasConnected) {
            connected.decrementAndGet();
        }
        if (!expected) {
            disconnects.increment();
        }
    }

    public void onReconnectScheduled() {
        reconnectsScheduled.increment();
    }

    public void onBatchSent(int readings) {
        batchesSent.increment();
        readingsSent.add(readings);
    }

    public void onBatchAcked(int readings) {
        pubAcks.increment();
        readingsAcked.add(readings);
    }

    /** A telemetry batch was refused or failed (also counted as a publish failure). */
    public void onBatchFailed() {
        batchFailures.increment();
        publishFailures.increment();
    }

    public void onPublishFailure() {
        publishFailures.increment();
    }

    public void onSkippedTick() {
        skippedTicks.increment();
    }

    public void onCommandAnswered() {
        commandsAnswered.increment();
    }

    public void onDesiredStateAcknowledged() {
        desiredStatesAcknowledged.increment();
    }

    /**
     * A new (not stale) desired state arrived for a device, naming {@code releaseId} (null: run nothing); counted
     * in total and per release with the {@link System#nanoTime()} of arrival.
     */
    public void onDesiredReceived(String releaseId) {
        desiredReceived.increment();
        ReleaseReceipts r = byRelease.computeIfAbsent(releaseId == null ? NO_RELEASE : releaseId,
                k -> new ReleaseReceipts());
        r.count.increment();
        r.lastNanos.accumulateAndGet(System.nanoTime(), Math::max);
    }

    /** A device reported a release applied and healthy. */
    public void onReleaseApplied() {
        releasesApplied.increment();
    }

    /** A device reported a release rolled back (its failing profile). */
    public void onReleaseFailed() {
        releasesFailed.increment();
    }

    /** A silent device ignored a desired state. */
    public void onSilentIgnored() {
        silentIgnored.increment();
    }

    /** A desired state was replaced by a newer one before the device finished applying it. */
    public void onSuperseded() {
        superseded.increment();
    }

    /** Desired states received so far that name {@code releaseId} (null: "run nothing"). */
    public long desiredReceivedFor(String releaseId) {
        ReleaseReceipts r = byRelease.get(releaseId == null ? NO_RELEASE : releaseId);
        return r == null ? 0 : r.count.sum();
    }

    /** {@link System#nanoTime()} of the latest desired state naming {@code releaseId}, 0 when none arrived. */
    public long lastDesiredReceivedNanos(String releaseId) {
        ReleaseReceipts r = byRelease.get(releaseId == null ? NO_RELEASE : releaseId);
        return r == null ? 0 : r.lastNanos.get();
    }

    /** A point-in-time copy of the counters. */
    public Snapshot snapshot() {
        return new Snapshot(enrolled.sum(), enrollPending.sum(), enrollFailures.sum(), connected.get(), connects.sum(),
                disconnects.sum(), reconnectsScheduled.sum(), batchesSent.sum(), readingsSent.sum(), pubAcks.sum(),
                readingsAcked.sum(), publishFailures.sum(), batchFailures.sum(), skippedTicks.sum(), commandsAnswered.sum(),
                desiredStatesAcknowledged.sum(), desiredReceived.sum(), releasesApplied.sum(), releasesFailed.sum(),
                silentIgnored.sum(), superseded.sum());
    }

    /**
     * Counter values.
     *
     * @param enrolled          devices whose enrollment was accepted (or that skipped enrollment)
     * @param enrollPending     202 pending answers received (each retry counts)
     * @param enrollFailures    enrollment attempts that failed (non-2xx other than 202, or I/O)
     * @param connected         devices connected right now
     * @param connects          successful MQTT connects, reconnects included
     * @param disconnects       unexpected disconnects and failed connect attempts
     * @param reconnectsScheduled reconnect attempts scheduled with back-off
     * @param batchesSent       telemetry batches handed to the MQTT client
     * @param readingsSent      readings in those batches
     * @param pubAcks           telemetry batches acknowledged by the broker (PUBACK success)
     * @param readingsAcked     readings in acknowledged batches
     * @param publishFailures   publishes (any topic) that failed or were refused by the broker
     * @param batchFailures     telemetry batches among them
     * @param skippedTicks      telemetry ticks skipped because the device was not connected
     * @param commandsAnswered  command requests answered
     * @param desiredStatesAcknowledged desired states answered with a final reported state (applied or rolled back)
     * @param desiredReceived   new desired states received (stale generations not counted)
     * @param releasesApplied   desired states answered {@code applied} and healthy
     * @param releasesFailed    desired states answered {@code rolled_back} (failing devices)
     * @param silentIgnored     desired states a silent device left unanswered
     * @param superseded        desired states replaced by a newer generation before their final report
     */
    public record Snapshot(long enrolled, long enrollPending, long enrollFailures, long connected, long connects,
                           long disconnects, long reconnectsScheduled, long batchesSent, long readingsSent,
                           long pubAcks, long readingsAcked, long publishFailures, long batchFailures,
                           long skippedTicks,
                           long commandsAnswered, long desiredStatesAcknowledged, long desiredReceived,
                           long releasesApplied, long releasesFailed, long silentIgnored, long superseded) {

        /** Telemetry batches handed to the client and neither acknowledged nor failed yet. */
        public long batchesInFlight() {
            return batchesSent - pubAcks - batchFailures;
        }
    }
}
