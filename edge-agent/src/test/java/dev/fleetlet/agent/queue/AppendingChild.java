package dev.fleetlet.agent.queue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The process {@link QueueCrashRecoveryIT} kills: appends records to the queue in a loop, printing each
 * sequence number once {@code append} returned, until it is killed.
 */
public final class AppendingChild {

    private AppendingChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (StoreAndForwardQueue q = StoreAndForwardQueue.open(dir, QueueSettings.defaults()
                .withSizes(4L * 1024 * 1024, 256 * 1024), Clock.systemUTC())) {
            out.println("ready");
            while (true) {
                long seq = q.append((s, dropped) -> QueueCrashRecoveryIT.payloadFor(s));
                out.println(seq);
            }
        }
    }
}
