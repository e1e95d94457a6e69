package dev.fleetlet.agent.queue;

import dev.fleetlet.agent.fs.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's {@code stream} file: a random id written once when the queue is created and kept for its
 * life, so a receiver can tell a restarted queue from a new one. An unreadable file starts a new stream.
 */
final class StreamIdFile {

    /** Logs under the queue's own logger so operators see one source for queue events. */
    private static final Logger log = LoggerFactory.getLogger(StoreAndForwardQueue.class);

    private StreamIdFile() {
    }

    /** Reads the id in {@code file}, or creates and atomically writes a new 16-character base64url id. */
    static String loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (id.matches("[A-Za-z0-9_-]{4,64}")) {
                return id;
            }
            log.warn("telemetry stream id unreadable, starting a new stream path={}", file);
        }
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        AtomicFiles.write(file, (id + "\n").getBytes(StandardCharsets.US_ASCII));
        return id;
    }
}
