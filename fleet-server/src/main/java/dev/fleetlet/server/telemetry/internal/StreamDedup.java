package dev.fleetlet.server.telemetry.internal;

import dev.fleetlet.server.broker.TelemetrySink;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exact de-duplication of telemetry batches by {@code (deviceId, stream, seq)}.
 *
 * <p>Per stream it keeps the highest sequence number seen (loaded lazily from the database on first
 * use, then advanced in memory) and the batches admitted but not yet committed. A sequence number above
 * the high-water mark is new without touching the database (the common case). One at or below it is a
 * duplicate when it is pending (the caller then waits for the pending copy's outcome) or stored (a
 * primary-key lookup); otherwise it is a late batch and is admitted. The database primary key stays the
 * final guard (see {@link TelemetryStore#write}).
 */
public final class StreamDedup {

    private final TelemetryStore store;
    private final Map<StreamKey, StreamState> streams = new ConcurrentHashMap<>();

    public StreamDedup(TelemetryStore store) {
        this.store = store;
    }

    /** The decision for one batch. */
    public sealed interface Decision permits Admitted, Duplicate, InFlight {
    }

    /** New: the caller must store it and then call {@link #settled}. */
    public record Admitted() implements Decision {
    }

    /** Already stored. */
    public record Duplicate() implements Decision {
    }

    /** The same batch is being stored right now; its outcome decides this copy's outcome. */
    public record InFlight(CompletableFuture<TelemetrySink.Outcome> original) implements Decision {
    }

    /**
     * Decides whether a batch is new. For {@link Admitted} the batch is registered as pending with
     * {@code done}, which must be completed (the caller then calls {@link #settled}).
     *
     * @throws SQLException when the database lookup needed for the decision fails
     */
    public Decision admit(String deviceId, String stream, long seq, CompletableFuture<TelemetrySink.Outcome> done)
            throws SQLException {
        StreamState state = streams.computeIfAbsent(new StreamKey(deviceId, stream), k -> new StreamState());
        synchronized (state) {
            if (!state.loaded) {
                state.maxSeen = store.maxSeq(deviceId, stream);
                state.loaded = true;
            }
            if (seq > state.maxSeen) {
                state.maxSeen = seq;
                state.pending.put(seq, done);
                return new Admitted();
            }
            CompletableFuture<TelemetrySink.Outcome> pending = state.pending.get(seq);
            if (pending != null) {
                return new InFlight(pending);
            }
            if (store.batchExists(deviceId, stream, seq)) {
                return new Duplicate();
            }
            state.pending.put(seq, done);
            return new Admitted();
        }
    }

    /** Forgets the pending mark of an admitted batch once its outcome is known. */
    public void settled(String deviceId, String stream, long seq) {
        StreamState state = streams.get(new StreamKey(deviceId, stream));
        if (state != null) {
            synchronized (state) {
                state.pending.remove(seq);
            }
        }
    }

    /** Streams with state in memory. */
    public int trackedStreams() {
        return streams.size();
    }

    private record StreamKey(String deviceId, String stream) {
    }

    private static final class StreamState {
        boolean loaded;
        long maxSeen;
        final Map<Long, CompletableFuture<TelemetrySink.Outcome>> pending = new HashMap<>();
    }
}
