package dev.fleetlet.agent.state;

import static dev.fleetlet.agent.state.StateHarness.CODEC;
import static dev.fleetlet.agent.state.StateHarness.DEVICE;
import static dev.fleetlet.agent.state.StateHarness.desired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.message.DesiredState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DesiredStateStoreTest {

    @TempDir
    Path dir;

    @Test
    void keepsTheAcceptedStateAndGenerationAcrossARestart() throws Exception {
        // given
        DesiredStateStore store = new DesiredStateStore(dir, DEVICE, CODEC);
        // when
        save(store, 4, "a");
        // then
        DesiredStateStore reopened = new DesiredStateStore(dir, DEVICE, CODEC);
        assertThat(reopened.lastAcceptedGeneration()).isEqualTo(4);
        assertThat(reopened.current().orElseThrow().config()).containsEntry("k", "a");
        assertThat(dir.resolve("desired.json.tmp")).doesNotExist();
    }

    @Test
    void fallsBackToThePreviousCopyWhenTheCurrentOneIsCorrupt() throws Exception {
        // given
        DesiredStateStore store = new DesiredStateStore(dir, DEVICE, CODEC);
        save(store, 4, "a");
        save(store, 5, "b");
        byte[] current = Files.readAllBytes(dir.resolve(DesiredStateStore.CURRENT));
        current[current.length - 3] ^= 0x20; // one flipped bit in the payload
        Files.write(dir.resolve(DesiredStateStore.CURRENT), current);
        // when
        DesiredStateStore reopened = new DesiredStateStore(dir, DEVICE, CODEC);
        // then
        assertThat(reopened.lastAcceptedGeneration()).isEqualTo(4);
        assertThat(reopened.current().orElseThrow().config()).containsEntry("k", "a");
    }

    @Test
    void detectsATruncatedFile() throws Exception {
        // given
        DesiredStateStore store = new DesiredStateStore(dir, DEVICE, CODEC);
        save(store, 4, "a");
        save(store, 5, "b");
        byte[] current = Files.readAllBytes(dir.resolve(DesiredStateStore.CURRENT));
        Files.write(dir.resolve(DesiredStateStore.CURRENT), java.util.Arrays.copyOf(current, current.length / 2));
        // when
        DesiredStateStore reopened = new DesiredStateStore(dir, DEVICE, CODEC);
        // then
        assertThat(reopened.lastAcceptedGeneration()).isEqualTo(4);
    }

    @Test
    void startsEmptyWhenBothCopiesAreUnusable() throws Exception {
        // given
        Files.writeString(dir.resolve(DesiredStateStore.CURRENT), "garbage");
        Files.writeString(dir.resolve(DesiredStateStore.PREVIOUS), "");
        // when
        DesiredStateStore store = new DesiredStateStore(dir, DEVICE, CODEC);
        // then
        assertThat(store.current()).isEmpty();
        assertThat(store.lastAcceptedGeneration()).isZero();
    }

    @Test
    void refusesAStoredCopyThatNamesAnotherDevice() throws Exception {
        // given: a data directory copied from another board
        DesiredStateStore store = new DesiredStateStore(dir, DEVICE, CODEC);
        save(store, 4, "a");
        // when
        DesiredStateStore other = new DesiredStateStore(dir, "pi-other-02", CODEC);
        // then
        assertThat(other.current()).isEmpty();
    }

    private static void save(DesiredStateStore store, long generation, String value) throws Exception {
        byte[] payload = desired(generation, null, Map.of("k", value));
        DesiredState state = CODEC.decode(MessageType.DESIRED_STATE, payload).orElseThrow();
        store.save(state, payload);
    }
}
