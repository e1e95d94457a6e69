package dev.fleetlet.agent.release.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.release.internal.ReleaseJournal.Phase;
import dev.fleetlet.agent.release.internal.ReleaseJournal.State;
import dev.fleetlet.protocol.message.Release;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseJournalTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Release release(String id) throws Exception {
        return new Release(id, "app", id, JSON.readTree("{\"services\": {\"s\": {\"image\": \"reg.local/s:" + id + "\"}}}"));
    }

    private static State idle(Release current) {
        return State.empty().settled(current, null, 0);
    }

    @Test
    void anEmptyDirectoryHoldsTheEmptyState() {
        assertThat(new ReleaseJournal(dir, JSON).load()).isEqualTo(State.empty());
    }

    @Test
    void theLastSaveIsWhatANewJournalLoadsAfterManySaves() throws Exception {
        // given
        ReleaseJournal journal = new ReleaseJournal(dir, JSON);
        journal.load();

        // when
        for (int i = 1; i <= 7; i++) {
            journal.save(idle(release("r" + i)));
        }
        State last = new State(Phase.COMMITTED, release("r7"), release("r8"), release("r6"), 1234L);
        journal.save(last);

        // then
        assertThat(new ReleaseJournal(dir, JSON).load()).isEqualTo(last);
        assertThat(dir.resolve("release-journal.0")).exists();
        assertThat(dir.resolve("release-journal.1")).exists();
    }

    @Test
    void aTornWriteOfTheNewestSlotLeavesTheStateBeforeIt() throws Exception {
        // given: r1 then r2 saved; r2's slot is then damaged as a power cut in the middle of its write would
        ReleaseJournal journal = new ReleaseJournal(dir, JSON);
        journal.save(idle(release("r1")));
        journal.save(idle(release("r2")));
        Path newest = newestSlot();

        // when
        try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap("garbage".getBytes()), 40);
        }

        // then
        assertThat(new ReleaseJournal(dir, JSON).load()).isEqualTo(idle(release("r1")));
    }

    @Test
    void aSaveAfterATornWriteKeepsTheOnlyValidSlot() throws Exception {
        // given: r2's slot torn (cut to its first bytes), r1 valid in the other slot
        ReleaseJournal first = new ReleaseJournal(dir, JSON);
        first.save(idle(release("r1")));
        first.save(idle(release("r2")));
        Path torn = newestSlot();
        try (FileChannel ch = FileChannel.open(torn, StandardOpenOption.WRITE)) {
            ch.truncate(10);
        }

        // when: the restarted agent saves r3, and that write is torn too
        ReleaseJournal restarted = new ReleaseJournal(dir, JSON);
        assertThat(restarted.load()).isEqualTo(idle(release("r1")));
        restarted.save(idle(release("r3")));
        Path written = newestSlot();
        assertThat(written).as("written over the torn slot, not over r1's").isEqualTo(torn);
        try (FileChannel ch = FileChannel.open(written, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 0}), 30);
        }

        // then
        assertThat(new ReleaseJournal(dir, JSON).load()).isEqualTo(idle(release("r1")));
    }

    @Test
    void aShorterRecordOverAnOlderLongerOneReadsBackExactly() throws Exception {
        // given: a long record in each slot
        ReleaseJournal journal = new ReleaseJournal(dir, JSON);
        State longer = new State(Phase.WAITING_HEALTH, release("a-long-release-id-" + "x".repeat(20_000)),
                release("next"), release("prev"), 99L);
        journal.save(longer);
        journal.save(longer);

        // when
        journal.save(idle(release("s")));

        // then
        assertThat(new ReleaseJournal(dir, JSON).load()).isEqualTo(idle(release("s")));
    }

    @Test
    void aJournalOfAnOlderAgentIsReadThenReplacedByTheSlots() throws Exception {
        // given
        State old = new State(Phase.COMMITTED, release("r1"), release("r2"), null, 0);
        Files.write(dir.resolve("release-journal.json"), JSON.writeValueAsBytes(old));
        ReleaseJournal journal = new ReleaseJournal(dir, JSON);

        // when
        State loaded = journal.load();
        journal.save(idle(release("r2")));

        // then
        assertThat(loaded).isEqualTo(old);
        assertThat(dir.resolve("release-journal.json")).doesNotExist();
        assertThat(new ReleaseJournal(dir, JSON).load()).isEqualTo(idle(release("r2")));
    }

    @Test
    void aValidRecordThatIsNotAStateIsAnErrorNamingTheDirectory() throws Exception {
        // given: a checksummed record whose JSON is no journal state (not a torn write)
        new ReleaseJournal(dir, new ObjectMapper() {
            @Override
            public byte[] writeValueAsBytes(Object value) {
                return "{\"phase\": \"SOMEWHERE\"}".getBytes();
            }
        }).save(idle(release("r1")));

        // when / then
        assertThatThrownBy(() -> new ReleaseJournal(dir, JSON).load())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining(dir.toString());
    }

    @Test
    void slotsLeftByAKilledProcessAreMadeDurableBeforeTheyAreTrusted() throws Exception {
        // given: an earlier agent saved r1 and r2 (it may have been killed before their fdatasync or the directory's)
        ReleaseJournal earlier = new ReleaseJournal(dir, JSON);
        earlier.save(idle(release("r1")));
        earlier.save(idle(release("r2")));
        List<String> synced = new ArrayList<>();
        ReleaseJournal restarted = new ReleaseJournal(dir, JSON, recording(synced));

        // when
        State loaded = restarted.load();

        // then: both slots and their directory entries reach the disk before the state is acted on
        assertThat(loaded).isEqualTo(idle(release("r2")));
        assertThat(synced).containsExactly("fdatasync release-journal.0", "fdatasync release-journal.1", "fsync dir");
    }

    @Test
    void aRestartedJournalThatSavesFirstMakesTheSlotItFoundDurableBeforeOverwritingTheOther() throws Exception {
        // given: one slot left by an earlier agent
        new ReleaseJournal(dir, JSON).save(idle(release("r1")));
        List<String> synced = new ArrayList<>();
        ReleaseJournal restarted = new ReleaseJournal(dir, JSON, recording(synced));

        // when: the first thing the new process does is a save (no load before)
        restarted.save(idle(release("r2")));

        // then: r1's slot was synced before r2 went into the new slot
        assertThat(synced).containsExactly("fdatasync release-journal.0", "fsync dir",
                "fdatasync release-journal.1", "fsync dir");
        assertThat(new ReleaseJournal(dir, JSON).load()).isEqualTo(idle(release("r2")));
    }

    @Test
    void aFirstSaveThatCreatesTheJournalDirectorySyncsItsEntryInTheParentToo() throws Exception {
        // given: the journal's directory does not exist yet (first install on a fresh data directory)
        Path journalDir = dir.resolve("data").resolve("releases");
        List<String> synced = new ArrayList<>();
        ReleaseJournal journal = new ReleaseJournal(journalDir, JSON, new ReleaseJournal.Durability() {
            @Override
            public void fdatasync(Path file, FileChannel channel) throws java.io.IOException {
                synced.add("fdatasync " + file.getFileName());
                channel.force(false);
            }

            @Override
            public void fsyncDirectory(Path directory) {
                synced.add("fsync " + dir.relativize(directory));
                ReleaseJournal.Durability.SYSTEM.fsyncDirectory(directory);
            }
        });

        // when
        journal.save(idle(release("r1")));

        // then: the slot, the new directories and their entries in their parents
        assertThat(synced).containsExactly("fdatasync release-journal.0", "fsync data/releases", "fsync data", "fsync ");
        assertThat(new ReleaseJournal(journalDir, JSON).load()).isEqualTo(idle(release("r1")));
    }

    /** Syncs for real and records each call. */
    private static ReleaseJournal.Durability recording(List<String> calls) {
        return new ReleaseJournal.Durability() {
            @Override
            public void fdatasync(Path file, FileChannel channel) throws java.io.IOException {
                calls.add("fdatasync " + file.getFileName());
                ReleaseJournal.Durability.SYSTEM.fdatasync(file, channel);
            }

            @Override
            public void fsyncDirectory(Path directory) {
                calls.add("fsync dir");
                ReleaseJournal.Durability.SYSTEM.fsyncDirectory(directory);
            }
        };
    }

    /** The slot file last written: the one whose record has the higher sequence number (bytes 4..11). */
    private Path newestSlot() throws Exception {
        long best = -1;
        Path out = null;
        for (int i = 0; i < 2; i++) {
            Path p = dir.resolve("release-journal." + i);
            if (Files.exists(p) && Files.size(p) >= 12) {
                long seq = java.nio.ByteBuffer.wrap(Files.readAllBytes(p)).getLong(4);
                if (seq > best) {
                    best = seq;
                    out = p;
                }
            }
        }
        return out;
    }
}
