package dev.fleetlet.agent.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (SIGKILL) a child JVM while it appends in a loop, three times over the same directory, and checks
 * that the queue opens each time, every record the child reported as appended reads back intact and in
 * order, and numbering continues without reuse.
 */
class QueueCrashRecoveryIT {

    @TempDir
    Path dir;

    static byte[] payloadFor(long seq) {
        // 40 to 1,000 bytes, content derived from the sequence number so it can be checked
        int length = 40 + (int) ((seq * 7919) % 960);
        byte[] out = new byte[length];
        byte[] head = ("record-" + seq + ";").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, out, 0, head.length);
        Arrays.fill(out, head.length, length, (byte) ('a' + seq % 26));
        return out;
    }

    @Test
    void everyReportedAppendSurvivesSigkillInOrder() throws Exception {
        long lastReportedOverall = 0;
        long tornOverall = 0;
        for (int round = 1; round <= 3; round++) {
            long reported = runChildAndKill(1500 * round);

            try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, QueueSettings.defaults()
                    .withSizes(4L * 1024 * 1024, 256 * 1024), Clock.systemUTC())) {
                List<Long> seqs = new ArrayList<>();
                long cursor = 0;
                for (Optional<QueuedRecord> r = q.next(cursor); r.isPresent(); r = q.next(cursor)) {
                    assertThat(r.get().payload()).as("payload of seq %d", r.get().seq())
                            .isEqualTo(payloadFor(r.get().seq()));
                    seqs.add(r.get().seq());
                    cursor = r.get().seq();
                }
                QueueStats stats = q.stats();
                tornOverall += stats.torn();

                assertThat(reported).isGreaterThan(lastReportedOverall);
                assertThat(seqs).as("records 1..n without gaps").hasSizeGreaterThanOrEqualTo((int) reported);
                for (int i = 0; i < seqs.size(); i++) {
                    assertThat(seqs.get(i)).isEqualTo(i + 1L);
                }
                assertThat(stats.corrupted()).isZero();
                assertThat(stats.dropped()).isZero();
                System.out.println("BENCH queue-sigkill round=" + round + " reportedAppends=" + reported
                        + " recovered=" + seqs.size() + " torn=" + stats.torn() + " segments=" + stats.segments());
                lastReportedOverall = reported;
            }
        }
        assertThat(tornOverall).isGreaterThanOrEqualTo(0);
    }

    /** Starts the child, waits until it reported {@code atLeast} appends, SIGKILLs it, returns the last reported seq. */
    private long runChildAndKill(long atLeast) throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                AppendingChild.class.getName(), dir.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process child = pb.start();
        long last = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("ready")) {
                    continue;
                }
                last = Long.parseLong(line.trim());
                if (last >= atLeast) {
                    child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close()
                    break;
                }
            }
            // destroying the process closes its pipe: lines not read yet are lost, so `last` is a lower bound
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } catch (NumberFormatException e) {
            throw new AssertionError("unexpected child output", e);
        }
        assertThat(child.exitValue()).isNotZero();
        return last;
    }
}
