package dev.fleetlet.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryWriterTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private TelemetryStore store;
    private final List<Integer> flushSizes = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private TelemetryWriter writer;

    @BeforeEach
    void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("writer") + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        store = new TelemetryStore(ds);
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        if (writer != null) {
            writer.close();
        }
    }

    /** A writer whose first flush blocks (after its commit) until {@link #release} opens: a backlog builds up. */
    private TelemetryWriter writer(long capacityReadings, int flushReadings, int flushReadingsMax) {
        return writer(capacityReadings, Duration.ZERO, flushReadings, flushReadingsMax);
    }

    private TelemetryWriter writer(long capacityReadings, Duration maxQueueWait, int flushReadings, int flushReadingsMax) {
        return new TelemetryWriter(store, capacityReadings, maxQueueWait, Duration.ofMillis(1), flushReadings, flushReadingsMax,
                Clock.systemUTC(), new TelemetryWriter.Listener() {
                    @Override
                    public void flushed(List<PendingBatch> stored, int readings, long durationNanos, Instant committedAt) {
                        flushSizes.add(readings);
                        try {
                            release.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }

                    @Override
                    public void failed(List<PendingBatch> batches, Exception error) {
                    }
                });
    }

    @Test
    void drainsABacklogInOneLargeTransactionInsteadOfManySmallOnes() {
        // given a writer flushing at 100 readings normally and up to 10,000 under a backlog, busy with a first batch
        writer = writer(1_000_000, 100, 10_000);
        List<CompletableFuture<TelemetrySink.Outcome>> done = new CopyOnWriteArrayList<>();
        done.add(offer(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> flushSizes.size() == 1);

        // when 300 batches of 10 readings queue up behind it and the writer frees up
        for (int seq = 2; seq <= 301; seq++) {
            done.add(offer(seq));
        }
        release.countDown();

        // then all of them are committed in one transaction of 3,000 readings, not 30 of 100
        await().atMost(Duration.ofSeconds(10)).until(() -> done.stream().allMatch(CompletableFuture::isDone));
        assertThat(done).allSatisfy(f -> assertThat(f.join()).isEqualTo(TelemetrySink.Outcome.STORED));
        assertThat(flushSizes).containsExactly(10, 3_000);
    }

    @Test
    void boundsTheQueueInReadingsNotBatches() {
        // given a queue for 1,000 readings behind a busy writer
        writer = writer(1_000, 100, 10_000);
        offer(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> flushSizes.size() == 1);

        // when 10-reading batches arrive: 100 of them fill it
        int admitted = 0;
        for (int seq = 2; seq <= 150; seq++) {
            if (writer.offer(pending(seq, 10))) {
                admitted++;
            }
        }

        // then exactly 1,000 readings were admitted and the rest refused
        assertThat(admitted).isEqualTo(100);
        assertThat(writer.queuedReadings()).isEqualTo(1_000);
        assertThat(writer.offer(pending(200, 1))).isFalse();
    }

    @Test
    void refusesBatchesWhileTheOldestQueuedBatchHasWaitedLongerThanTheBoundAndAdmitsAgainOnceDrained() {
        // given a queue with room for ten million readings but a 300 ms wait bound, behind a busy writer
        Duration bound = Duration.ofMillis(300);
        writer = writer(10_000_000, bound, 100, 1_000_000);
        offer(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> flushSizes.size() == 1);

        // when batches queue up: admitted while the oldest is younger than the bound
        CompletableFuture<TelemetrySink.Outcome> queued = offer(2);
        assertThat(writer.offer(pending(3, 10))).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> writer.oldestWait().compareTo(bound) > 0);

        // then the next one is refused although the reading capacity is far from reached
        assertThat(writer.offer(pending(4, 10))).isFalse();
        assertThat(writer.queuedReadings()).isEqualTo(20);
        assertThat(writer.expectedWait()).isPositive();

        // and once the writer has taken the queue, batches are admitted again
        release.countDown();
        assertThat(queued.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(TelemetrySink.Outcome.STORED);
        await().atMost(Duration.ofSeconds(5)).until(() -> writer.queuedReadings() == 0);
        assertThat(writer.offer(pending(5, 10))).isTrue();
    }

    @Test
    void doesNotWriteABatchThatWaitedLongerThanTheIngestTimeoutAndFailsItAsExpired() throws Exception {
        // given a busy writer whose batches expire after 200 ms, and a batch queued behind the busy flush
        writer = writer(1_000_000, 100, 10_000);
        writer.expireAfter(Duration.ofMillis(200));
        offer(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> flushSizes.size() == 1);
        CompletableFuture<TelemetrySink.Outcome> late = offer(2);

        // when it has waited past the bound before the writer frees up
        await().atMost(Duration.ofSeconds(5)).until(() -> writer.oldestWait().compareTo(Duration.ofMillis(250)) > 0);
        release.countDown();

        // then it is answered FAILED "expired" and not stored, and a fresh batch is stored normally
        TelemetrySink.Outcome outcome = late.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(outcome.status()).isEqualTo(TelemetrySink.Outcome.Status.FAILED);
        assertThat(outcome.detail()).isEqualTo("expired");
        assertThat(store.batchExists("dev-writer01", "main", 2)).isFalse();
        assertThat(offer(3).orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(TelemetrySink.Outcome.STORED);
        assertThat(store.batchExists("dev-writer01", "main", 3)).isTrue();
    }

    @Test
    void admitsABatchLargerThanTheCapacityIntoAnEmptyQueue() {
        // given a queue for 5 readings and an idle writer
        writer = writer(5, 100, 10_000);
        release.countDown();

        // when one batch of 20 readings arrives, then it is stored
        CompletableFuture<TelemetrySink.Outcome> done = new CompletableFuture<>();
        assertThat(writer.offer(new PendingBatch(batch(1, 20), T0, System.nanoTime(), done))).isTrue();
        assertThat(done.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo(TelemetrySink.Outcome.STORED);
    }

    private CompletableFuture<TelemetrySink.Outcome> offer(long seq) {
        CompletableFuture<TelemetrySink.Outcome> done = new CompletableFuture<>();
        assertThat(writer.offer(new PendingBatch(batch(seq, 10), T0, System.nanoTime(), done))).isTrue();
        return done;
    }

    private static PendingBatch pending(long seq, int readings) {
        return new PendingBatch(batch(seq, readings), T0, System.nanoTime(), new CompletableFuture<>());
    }

    private static TelemetryBatch batch(long seq, int readings) {
        return Mqtt.batch("dev-writer01", "main", seq, readings, T0.plusSeconds(seq));
    }
}
