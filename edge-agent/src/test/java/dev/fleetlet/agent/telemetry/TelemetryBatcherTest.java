package dev.fleetlet.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.agent.clock.ClockStatus;
import dev.fleetlet.agent.queue.QueueSettings;
import dev.fleetlet.agent.queue.StoreAndForwardQueue;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryBatcherTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final ProtocolCodec CODEC = new ProtocolCodec(ProtocolCodec.SenderCheck.STRUCTURAL);

    @TempDir
    Path tmp;

    @Test
    void queuesTheFirstReadingsAfterStartAtOnceThenWaitsForFlush() {
        try (StoreAndForwardQueue queue = StoreAndForwardQueue.open(tmp.resolve("q"), QueueSettings.defaults(), CLOCK)) {
            AtomicInteger wakes = new AtomicInteger();
            TelemetryBatcher batcher = new TelemetryBatcher("pi-kitchen-01", queue, CODEC,
                    ClockStatus.systemd(tmp), CLOCK, 100, wakes::incrementAndGet);

            batcher.add(List.of(reading("temperature")));
            batcher.add(List.of(reading("humidity"), reading("pressure")));

            List<TelemetryBatch> queued = drain(queue, 0);
            assertThat(queued).hasSize(1);
            assertThat(queued.get(0).readings()).extracting(Reading::quantity).containsExactly("temperature");
            assertThat(wakes).hasValue(1);

            batcher.flush();

            assertThat(drain(queue, 1)).singleElement()
                    .satisfies(b -> assertThat(b.readings()).extracting(Reading::quantity)
                            .containsExactly("humidity", "pressure"));
        }
    }

    @Test
    void closesABatchAtBatchSizeAfterTheFirst() {
        try (StoreAndForwardQueue queue = StoreAndForwardQueue.open(tmp.resolve("q"), QueueSettings.defaults(), CLOCK)) {
            TelemetryBatcher batcher = new TelemetryBatcher("pi-kitchen-01", queue, CODEC,
                    ClockStatus.systemd(tmp), CLOCK, 2, () -> { });
            batcher.add(List.of(reading("temperature")));

            batcher.add(List.of(reading("humidity"), reading("pressure"), reading("voltage")));

            assertThat(drain(queue, 0)).extracting(b -> b.readings().size()).containsExactly(1, 2);
        }
    }

    /** The batches queued after {@code afterSeq}, decoded with the schema. */
    private static List<TelemetryBatch> drain(StoreAndForwardQueue queue, long afterSeq) {
        List<TelemetryBatch> out = new ArrayList<>();
        long after = afterSeq;
        for (var next = queue.next(after); next.isPresent(); next = queue.next(after)) {
            after = next.get().seq();
            out.add(CODEC.decode(MessageType.TELEMETRY, next.get().payload()).orElseThrow());
        }
        return out;
    }

    private static Reading reading(String quantity) {
        return Reading.ok("bme280", quantity, "1", 1.0, NOW);
    }
}
