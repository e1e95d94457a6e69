package dev.fleetlet.agent.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.fs.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step in progress ({@code journal.json}): written durably before a step starts and deleted when the
 * plan has finished, either way. Finding an entry at startup means the agent stopped (crash, power cut,
 * reboot command) in the middle of that step; the reconciler then plans again from the applied state and
 * says in its report and events that it resumed.
 */
public final class StepJournal {

    static final String FILE = "journal.json";
    private static final Logger log = LoggerFactory.getLogger(StepJournal.class);

    /**
     * @param generation the generation being applied
     * @param index      step number from 1
     * @param total      steps in the plan
     * @param kind       the step kind
     * @param step       the step's description
     * @param startedAt  when the step started (device clock)
     */
    public record Entry(long generation, int index, int total, Step.Kind kind, String step, Instant startedAt) {
        String describe() {
            return "step " + index + "/" + total + " (" + step + ") of generation " + generation;
        }
    }

    private final Path file;
    private final ObjectMapper mapper;

    public StepJournal(Path dir, ObjectMapper mapper) {
        this.file = dir.resolve(FILE);
        this.mapper = mapper;
    }

    /** The interrupted step, if the last run did not finish its plan. */
    public Optional<Entry> interrupted() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapper.readValue(Files.readAllBytes(file), Entry.class));
        } catch (IOException | RuntimeException e) {
            log.warn("step journal unreadable; a step was interrupted but which is unknown path={} error={}",
                    file, e.toString());
            return Optional.of(new Entry(0, 0, 0, null, "unknown", null));
        }
    }

    void begin(Entry entry) throws IOException {
        AtomicFiles.write(file, mapper.writeValueAsBytes(entry));
    }

    void finish() {
        try {
            Files.deleteIfExists(file);
            AtomicFiles.fsyncDirectory(file.getParent());
        } catch (IOException e) {
            log.warn("cannot clear the step journal path={} error={}", file, e.toString());
        }
    }
}
