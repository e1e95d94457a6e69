package dev.fleetlet.server.telemetry;

import dev.fleetlet.server.telemetry.internal.TelemetryStore;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes telemetry past its retention, in chunks so no statement holds locks for long: raw readings and
 * batch records older than {@code fleetlet.telemetry.raw-retention}, minute aggregates older than
 * {@code fleetlet.telemetry.aggregate-retention}. Runs every {@code fleetlet.telemetry.retention-interval}
 * (default 1h, first run 1 min after start). Raw readings are aged by their device timestamp.
 */
@Singleton
@Requires(property = "fleetlet.telemetry.retention-enabled", notEquals = "false")
public class TelemetryRetentionJob {

    private static final Logger log = LoggerFactory.getLogger(TelemetryRetentionJob.class);
    private static final int MAX_CHUNKS_PER_RUN = 10_000;

    private final TelemetryStore store;
    private final TelemetrySettings settings;
    private final Clock clock;

    TelemetryRetentionJob(TelemetryStore store, TelemetrySettings settings, Optional<Clock> clock) {
        this.store = store;
        this.settings = settings;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    /** The outcome of one run: rows deleted per table. */
    public record Deleted(long readings, long batches, long minutes) {
    }

    @Scheduled(fixedDelay = "${fleetlet.telemetry.retention-interval:1h}", initialDelay = "1m")
    void scheduled() {
        try {
            runOnce();
        } catch (SQLException | RuntimeException e) {
            log.error("telemetry retention failed error={}", e.toString());
        }
    }

    /** Deletes everything past retention now. */
    public Deleted runOnce() throws SQLException {
        Instant now = clock.instant();
        Instant rawCutoff = now.minus(settings.rawRetention());
        Instant aggCutoff = now.minus(settings.aggregateRetention());
        int chunk = settings.retentionChunk();
        long readings = 0;
        long batches = 0;
        long minutes = 0;
        for (int i = 0, n; i < MAX_CHUNKS_PER_RUN && (n = store.deleteReadingsBefore(rawCutoff, chunk)) > 0; i++) {
            readings += n;
        }
        for (int i = 0, n; i < MAX_CHUNKS_PER_RUN && (n = store.deleteBatchesBefore(rawCutoff, chunk)) > 0; i++) {
            batches += n;
        }
        for (int i = 0, n; i < MAX_CHUNKS_PER_RUN && (n = store.deleteMinutesBefore(aggCutoff, chunk)) > 0; i++) {
            minutes += n;
        }
        if (readings + batches + minutes > 0) {
            log.info("telemetry retention deleted readings={} batches={} minutes={} rawCutoff={} aggregateCutoff={}",
                    readings, batches, minutes, rawCutoff, aggCutoff);
        }
        return new Deleted(readings, batches, minutes);
    }
}
