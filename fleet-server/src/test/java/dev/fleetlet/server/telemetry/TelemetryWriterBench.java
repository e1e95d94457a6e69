package dev.fleetlet.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.message.TelemetryBatch;
import dev.fleetlet.server.broker.Mqtt;
import dev.fleetlet.server.broker.TelemetrySink;
import dev.fleetlet.server.telemetry.internal.PendingBatch;
import dev.fleetlet.server.telemetry.internal.TelemetryStore;
import dev.fleetlet.server.telemetry.internal.TelemetryWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backlog throughput of the telemetry writer alone on H2 (file, {@code WRITE_DELAY=0} as in production):
 * {@code bench.devices} devices (default 10,000) each with {@code bench.warmBatches} batches already stored
 * (indexes of realistic size), then {@code bench.batches} batches per device of {@code bench.readings}
 * readings all offered at once, as after a connect burst; readings per second until the last commit.
 * {@code bench.cacheMb} sets H2's page cache (default 128; H2's own default is 16). Run:
 * {@code ./mvnw -B -ntp -o -Pbench -pl fleet-server surefire:test -Dtest=TelemetryWriterBench}.
 */
class TelemetryWriterBench {

    private static final int DEVICES = Integer.getInteger("bench.devices", 10_000);
    private static final int WARM_BATCHES = Integer.getInteger("bench.warmBatches", 2);
    private static final int BATCHES = Integer.getInteger("bench.batches", 3);
    private static final int READINGS = Integer.getInteger("bench.readings", 10);
    private static final int CACHE_MB = Integer.getInteger("bench.cacheMb", 128);

    @TempDir
    Path dir;

    @Test
    void writesABackloggedQueue() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("bench") + ";DB_CLOSE_DELAY=-1;WRITE_DELAY=0;CACHE_SIZE=" + CACHE_MB * 1024);
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        TelemetryStore store = new TelemetryStore(ds);
        Instant t0 = Instant.now().minusSeconds(3600);

        run(store, t0, 1, WARM_BATCHES, "warm-up");
        double perS = run(store, t0, WARM_BATCHES + 1, BATCHES, "backlog");
        System.out.printf(Locale.ROOT, "BENCH telemetry-writer devices=%d readings_per_batch=%d backlog_readings=%d "
                + "readings_per_s=%.0f h2_cache_mb=%d%n", DEVICES, READINGS, (long) DEVICES * BATCHES * READINGS, perS, CACHE_MB);
        assertThat(perS).isPositive();
    }

    private static double run(TelemetryStore store, Instant t0, int firstSeq, int batches, String phase) throws Exception {
        List<CompletableFuture<TelemetrySink.Outcome>> done = new ArrayList<>();
        List<Long> flushMs = new ArrayList<>();
        try (TelemetryWriter writer = new TelemetryWriter(store, Long.MAX_VALUE, Duration.ZERO, Duration.ofMillis(20), 5_000,
                50_000, Clock.systemUTC(), new TelemetryWriter.Listener() {
                    @Override
                    public void flushed(List<PendingBatch> stored, int readings, long durationNanos, Instant committedAt) {
                        synchronized (flushMs) {
                            flushMs.add(durationNanos / 1_000_000);
                        }
                    }

                    @Override
                    public void failed(List<PendingBatch> batches, Exception error) {
                    }
                })) {
            long start = System.nanoTime();
            for (int s = firstSeq; s < firstSeq + batches; s++) {
                for (int d = 0; d < DEVICES; d++) {
                    TelemetryBatch b = Mqtt.batch(String.format("dev-%06d", d), "main", s, READINGS, t0.plusSeconds(10L * s));
                    CompletableFuture<TelemetrySink.Outcome> f = new CompletableFuture<>();
                    writer.offer(new PendingBatch(b, Instant.now(), System.nanoTime(), f));
                    done.add(f);
                }
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
            double secs = (System.nanoTime() - start) / 1e9;
            long readings = (long) DEVICES * batches * READINGS;
            assertThat(done).allSatisfy(f -> assertThat(f.join()).isEqualTo(TelemetrySink.Outcome.STORED));
            System.out.printf(Locale.ROOT, "%s: %d readings in %.1f s = %.0f readings/s; flushes=%d max_flush_ms=%d%n", phase,
                    readings, secs, readings / secs, flushMs.size(), flushMs.stream().mapToLong(Long::longValue).max().orElse(0));
            return readings / secs;
        }
    }
}
