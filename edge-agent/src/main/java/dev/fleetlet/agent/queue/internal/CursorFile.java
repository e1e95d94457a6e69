package dev.fleetlet.agent.queue.internal;

import dev.fleetlet.agent.fs.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted read cursor: the highest acknowledged sequence number, as text {@code acked=<n>}.
 * Written atomically (temp, fsync, rename), so it is either the old or the new value after a crash.
 */
public final class CursorFile {

    private static final Logger log = LoggerFactory.getLogger(CursorFile.class);

    private final Path path;

    public CursorFile(Path path) {
        this.path = path;
    }

    /** The stored value, or 0 when there is none or it is unreadable (which only causes re-delivery). */
    public long load() {
        try {
            String text = Files.readString(path, StandardCharsets.US_ASCII).trim();
            if (!text.startsWith("acked=")) {
                log.warn("queue cursor unreadable, re-delivering from the oldest record path={}", path);
                return 0;
            }
            return Math.max(0, Long.parseLong(text.substring("acked=".length())));
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException | NumberFormatException e) {
            log.warn("queue cursor unreadable, re-delivering from the oldest record path={} error={}", path,
                    e.toString());
            return 0;
        }
    }

    public void store(long acked) throws IOException {
        AtomicFiles.write(path, ("acked=" + acked + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
