package dev.fleetlet.agent.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.fs.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists the {@link CurrentState} ({@code applied.json}, atomic writes) after every step the executor
 * completes. A missing file means nothing applied yet; an unreadable one is logged and treated the same
 * way, which makes the planner plan every step again (steps are idempotent).
 */
public final class AppliedStateStore {

    static final String FILE = "applied.json";
    private static final Logger log = LoggerFactory.getLogger(AppliedStateStore.class);

    private final Path file;
    private final ObjectMapper mapper;

    public AppliedStateStore(Path dir, ObjectMapper mapper) {
        this.file = dir.resolve(FILE);
        this.mapper = mapper;
    }

    public CurrentState load() {
        if (!Files.isRegularFile(file)) {
            return CurrentState.empty();
        }
        try {
            return mapper.readValue(Files.readAllBytes(file), CurrentState.class);
        } catch (IOException | RuntimeException e) {
            log.error("applied state unreadable, planning from scratch path={} error={}", file, e.toString());
            return CurrentState.empty();
        }
    }

    /** @throws IOException when the state cannot be written durably */
    public void save(CurrentState state) throws IOException {
        AtomicFiles.write(file, mapper.writeValueAsBytes(state));
    }
}
