package dev.fleetlet.agent.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreAndForwardQueueTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T10:00:00Z"), ZoneOffset.UTC);
    private static final QueueSettings SMALL = QueueSettings.defaults().withSizes(16 * 1024, 4096).strict();

    @TempDir
    Path dir;

    @Test
    void returnsAppendedRecordsInOrderWithIncreasingSequenceNumbers() {
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            long first = q.append((seq, dropped) -> bytes("a"));
            long second = q.append((seq, dropped) -> bytes("b"));

            assertThat(first).isEqualTo(1);
            assertThat(second).isEqualTo(2);
            assertThat(readAll(q, 0)).containsExactly("a", "b");
            assertThat(q.next(2)).isEmpty();
        }
    }

    @Test
    void encoderSeesTheSequenceNumberItIsGiven() {
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            for (int i = 0; i < 3; i++) {
                q.append((seq, dropped) -> bytes("seq=" + seq));
            }
            assertThat(readAll(q, 0)).containsExactly("seq=1", "seq=2", "seq=3");
        }
    }

    @Test
    void unacknowledgedRecordsSurviveARestartAndNumberingContinues() {
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            for (int i = 1; i <= 5; i++) {
                String text = "r" + i;
                q.append((seq, dropped) -> bytes(text));
            }
            q.ack(2);
        }

        try (StoreAndForwardQueue reopened = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            assertThat(reopened.stats().ackedSeq()).isEqualTo(2);
            assertThat(readAll(reopened, reopened.stats().ackedSeq())).containsExactly("r3", "r4", "r5");
            assertThat(reopened.append((seq, dropped) -> bytes("r6"))).isEqualTo(6);
        }
    }

    @Test
    void keepsTheStreamIdAcrossRestarts() {
        String stream;
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            stream = q.streamId();
        }
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            assertThat(q.streamId()).isEqualTo(stream).matches("[A-Za-z0-9_-]{16}");
        }
    }

    @Test
    void persistsTheCursorAtomicallyAndOnlyPerPolicy() throws IOException {
        QueueSettings everyThirdAck = new QueueSettings(16 * 1024, 4096, 1, Duration.ZERO, 3, Duration.ofHours(1));
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, everyThirdAck, CLOCK)) {
            for (int i = 0; i < 4; i++) {
                q.append((seq, dropped) -> bytes("x"));
            }
            q.ack(1);
            q.ack(2);
            assertThat(dir.resolve("cursor")).doesNotExist();

            q.ack(3);

            assertThat(Files.readString(dir.resolve("cursor")).trim()).isEqualTo("acked=3");
            assertThat(dir.resolve("cursor.tmp")).doesNotExist();
            q.ack(4);
        }
        // close flushes the last acknowledgement
        assertThat(Files.readString(dir.resolve("cursor")).trim()).isEqualTo("acked=4");
    }

    @Test
    void cutsATornTailRecordAndCountsIt() throws IOException {
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            q.append((seq, dropped) -> bytes("complete-1"));
            q.append((seq, dropped) -> bytes("complete-2"));
            q.append((seq, dropped) -> bytes("will-be-torn"));
        }
        Path segment = onlySegment();
        truncate(segment, Files.size(segment) - 5);

        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            assertThat(q.stats().torn()).isEqualTo(1);
            assertThat(readAll(q, 0)).containsExactly("complete-1", "complete-2");
            List<Long> reported = new ArrayList<>();
            long seq = q.append((s, dropped) -> {
                reported.add(dropped);
                return bytes("after");
            });
            assertThat(seq).isEqualTo(3);
            assertThat(reported).containsOnly(1L);
            assertThat(readAll(q, 2)).containsExactly("after");
        }
    }

    @Test
    void skipsAndCountsACorruptedRecordInTheMiddle() throws IOException {
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            q.append((seq, dropped) -> bytes("first"));
            q.append((seq, dropped) -> bytes("second-will-be-damaged"));
            q.append((seq, dropped) -> bytes("third"));
        }
        Path segment = onlySegment();
        int secondPayloadOffset = 20 + "first".length() + 20 + 3;
        flipByte(segment, secondPayloadOffset);

        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            assertThat(readAll(q, 0)).containsExactly("first", "third");
            assertThat(q.stats().corrupted()).isEqualTo(1);
            assertThat(q.stats().torn()).isZero();
            // reading the same region again does not count it twice
            readAll(q, 0);
            assertThat(q.stats().corrupted()).isEqualTo(1);
        }
    }

    @Test
    void findsTheNextRecordWhenALengthFieldIsDamaged() throws IOException {
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            for (int i = 1; i <= 4; i++) {
                String text = "record-" + i;
                q.append((seq, dropped) -> bytes(text));
            }
        }
        Path segment = onlySegment();
        int recordBytes = 20 + "record-1".length();
        flipByte(segment, recordBytes + 5); // inside the length field of record 2

        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            assertThat(readAll(q, 0)).containsExactly("record-1", "record-3", "record-4");
            assertThat(q.stats().corrupted()).isEqualTo(1);
        }
    }

    @Test
    void dropsTheOldestSegmentsWhenFullAndReportsTheLossInTheNextAppend() {
        List<Long> reportedDrops = new ArrayList<>();
        byte[] kilobyte = new byte[1000];
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            for (int i = 0; i < 40; i++) {
                q.append((seq, dropped) -> {
                    if (dropped > 0) {
                        reportedDrops.add(dropped);
                    }
                    return kilobyte;
                });
            }
            QueueStats stats = q.stats();

            assertThat(stats.bytesOnDisk()).isLessThanOrEqualTo(16 * 1024);
            assertThat(stats.dropped()).isPositive();
            assertThat(reportedDrops.stream().mapToLong(Long::longValue).sum()).isEqualTo(stats.dropped());
            Optional<QueuedRecord> oldest = q.next(0);
            assertThat(oldest).isPresent();
            assertThat(oldest.get().seq()).isEqualTo(stats.dropped() + 1);
            assertThat(readSeqs(q, 0)).hasSize((int) (40 - stats.dropped()));
        }
    }

    @Test
    void doesNotCountAcknowledgedRecordsAsDroppedWhenSpaceIsReclaimed() {
        byte[] kilobyte = new byte[1000];
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            for (int i = 0; i < 40; i++) {
                long seq = q.append((s, dropped) -> kilobyte);
                q.ack(seq);
            }
            assertThat(q.stats().dropped()).isZero();
            assertThat(q.stats().segments()).isEqualTo(1);
        }
    }

    @Test
    void deletesSegmentsOnceEveryRecordInThemIsAcknowledged() throws IOException {
        byte[] kilobyte = new byte[1000];
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            for (int i = 0; i < 10; i++) {
                q.append((s, dropped) -> kilobyte);
            }
            assertThat(segmentFiles()).hasSizeGreaterThan(2);

            q.ack(10);

            assertThat(segmentFiles()).hasSize(1);
            assertThat(q.next(10)).isEmpty();
        }
    }

    @Test
    void refusesARecordLargerThanASegment() {
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, SMALL, CLOCK)) {
            assertThatThrownBy(() -> q.append((s, d) -> new byte[5000]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not fit a segment of 4096 bytes");
            assertThat(q.append((s, d) -> bytes("ok"))).isEqualTo(1);
        }
    }

    @Test
    void fsyncsOnlyEveryNRecordsUnderTheRelaxedPolicy() {
        QueueSettings every4 = new QueueSettings(16 * 1024, 4096, 4, Duration.ofHours(1), 1, Duration.ZERO);
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, every4, CLOCK)) {
            for (int i = 0; i < 8; i++) {
                q.append((s, d) -> bytes("x"));
            }
            assertThat(q.stats().fsyncs()).isEqualTo(2);
        }
    }

    @Test
    void rejectsSettingsWithAMaximumBelowTwoSegments() {
        assertThatThrownBy(() -> QueueSettings.defaults().withSizes(5000, 4096))
                .hasMessageContaining("maxBytes: expected at least twice segmentBytes");
    }

    static List<String> readAll(StoreAndForwardQueue q, long after) {
        List<String> out = new ArrayList<>();
        long cursor = after;
        for (Optional<QueuedRecord> r = q.next(cursor); r.isPresent(); r = q.next(cursor)) {
            out.add(new String(r.get().payload(), StandardCharsets.UTF_8));
            cursor = r.get().seq();
        }
        return out;
    }

    static List<Long> readSeqs(StoreAndForwardQueue q, long after) {
        List<Long> out = new ArrayList<>();
        long cursor = after;
        for (Optional<QueuedRecord> r = q.next(cursor); r.isPresent(); r = q.next(cursor)) {
            out.add(r.get().seq());
            cursor = r.get().seq();
        }
        return out;
    }

    private Path onlySegment() throws IOException {
        List<Path> files = segmentFiles();
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList();
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0xFF);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
