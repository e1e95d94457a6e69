package dev.fleetlet.agent.release.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.fs.AtomicFiles;
import dev.fleetlet.protocol.message.Release;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The release runtime's own journal: one small JSON file ({@code release-journal.json}) rewritten
 * atomically (write, fsync, rename) before every irreversible action, so that after a SIGKILL or a power
 * cut {@code ContainerReleaseRuntime.recover()} knows which release must run.
 */
public final class ReleaseJournal {

    /** Where a release transition stands. {@link #IDLE}: no transition, {@code current} runs. */
    public enum Phase { IDLE, PULLING, STOPPING_OLD, STARTING_NEW, WAITING_HEALTH, COMMITTED, ROLLING_BACK }

    /**
     * The journal content.
     *
     * @param phase            where the transition stands
     * @param current          the release that runs (during a transition: the old one, until COMMITTED)
     * @param next             the release being installed, null when IDLE
     * @param previous         the release replaced last, whose images are kept until {@code keepPreviousUntil}
     * @param keepPreviousUntil epoch millis after which the previous release's images may be collected
     */
    public record State(Phase phase, Release current, Release next, Release previous, long keepPreviousUntil) {

        public static State empty() {
            return new State(Phase.IDLE, null, null, null, 0);
        }

        public State in(Phase p, Release nextRelease) {
            return new State(p, current, nextRelease, previous, keepPreviousUntil);
        }

        /** The transition ended with {@code running} in place. */
        public State settled(Release running, Release prev, long keepUntil) {
            return new State(Phase.IDLE, running, null, prev, keepUntil);
        }
    }

    private final Path file;
    private final ObjectMapper json;

    public ReleaseJournal(Path dir, ObjectMapper json) {
        this.file = dir.resolve("release-journal.json");
        this.json = json;
    }

    /** The persisted state; {@link State#empty()} when none was written. */
    public State load() {
        if (!Files.exists(file)) {
            return State.empty();
        }
        try {
            return json.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read release journal " + file, e);
        }
    }

    /** Persists {@code state} atomically; returns it. */
    public State save(State state) {
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, json.writeValueAsBytes(state));
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write release journal " + file, e);
        }
    }
}
