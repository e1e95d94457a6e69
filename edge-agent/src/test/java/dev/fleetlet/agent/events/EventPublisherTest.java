package dev.fleetlet.agent.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.agent.fakes.FakePublisher;
import dev.fleetlet.drivers.testing.MutableClock;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.DeviceEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventPublisherTest {

    private static final ProtocolCodec CODEC = new ProtocolCodec();
    private static final String DEVICE = "pi-test-01";

    @TempDir
    Path dir;

    private final FakePublisher publisher = new FakePublisher();
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-14T10:00:00Z"));

    @Test
    void keepsEventsRaisedOfflineAndSendsThemInOrderAfterTheConnect() {
        // given
        EventPublisher events = new EventPublisher(DEVICE, publisher, CODEC, new EventSequence(dir.resolve("seq")), clock);
        publisher.connected(false);
        // when
        events.raise(DeviceEvent.Type.AGENT_STARTED, null, null, "one");
        events.raise(DeviceEvent.Type.COMMAND_REJECTED, null, null, "two");
        assertThat(events.pendingCount()).isEqualTo(2);
        publisher.connected(true);
        events.flush();
        // then
        List<DeviceEvent> sent = publisher.decoded(Topics.events(DEVICE), MessageType.EVENT, CODEC);
        assertThat(sent).extracting(DeviceEvent::message).containsExactly("one", "two");
        assertThat(sent).extracting(DeviceEvent::seq).containsExactly(1L, 2L);
        assertThat(publisher.sent()).allSatisfy(m -> assertThat(m.retained()).isFalse());
        assertThat(events.pendingCount()).isZero();
    }

    @Test
    void dropsTheOldestWhenTooManyWaitAndCountsThem() {
        // given
        EventPublisher events = new EventPublisher(DEVICE, publisher, CODEC, new EventSequence(dir.resolve("seq")), clock);
        publisher.connected(false);
        // when
        for (int i = 0; i < EventPublisher.MAX_PENDING + 5; i++) {
            events.raise(DeviceEvent.Type.AGENT_STARTED, null, null, "e" + i);
        }
        publisher.connected(true);
        events.flush();
        // then
        assertThat(events.droppedWhileOffline()).isEqualTo(5);
        List<DeviceEvent> sent = publisher.decoded(Topics.events(DEVICE), MessageType.EVENT, CODEC);
        assertThat(sent).hasSize(EventPublisher.MAX_PENDING);
        assertThat(sent.get(0).message()).isEqualTo("e5");
    }

    @Test
    void continuesTheSequenceAboveTheReservedBlockAfterARestart() {
        // given
        EventSequence first = new EventSequence(dir.resolve("seq"));
        long a = first.next();
        long b = first.next();
        // when
        EventSequence afterRestart = new EventSequence(dir.resolve("seq"));
        // then
        assertThat(List.of(a, b)).containsExactly(1L, 2L);
        assertThat(afterRestart.next()).isGreaterThan(b).isEqualTo(EventSequence.BLOCK + 1L);
    }

    @Test
    void dropsAnEventTheBrokerRefusesWhileConnectedInsteadOfResendingIt() {
        // given
        EventPublisher events = new EventPublisher(DEVICE, publisher, CODEC, new EventSequence(dir.resolve("seq")), clock);
        publisher.refuse(true);
        // when
        events.raise(DeviceEvent.Type.AGENT_STARTED, null, null, "refused");
        publisher.refuse(false);
        events.flush();
        // then
        assertThat(events.pendingCount()).isZero();
        assertThat(publisher.sent()).isEmpty();
    }

    @Test
    void shortensAMessageOverTheProtocolLimit() {
        // given
        EventPublisher events = new EventPublisher(DEVICE, publisher, CODEC, new EventSequence(dir.resolve("seq")), clock);
        // when
        events.raise(DeviceEvent.Type.UPDATE_FAILED, 3L, null, "x".repeat(5000));
        // then
        DeviceEvent e = publisher.decoded(Topics.events(DEVICE), MessageType.EVENT, CODEC).get(0);
        assertThat(e.message()).hasSize(1024).endsWith("...");
        assertThat(e.generation()).isEqualTo(3L);
    }
}
