package dev.fleetlet.agent.state;

import dev.fleetlet.agent.events.EventPublisher;
import dev.fleetlet.agent.events.EventSequence;
import dev.fleetlet.agent.fakes.FakePublisher;
import dev.fleetlet.drivers.testing.MutableClock;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.protocol.message.ReportedState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The state components wired over one data directory, as AgentMain wires them; "restart" = a new harness. */
final class StateHarness {

    static final String DEVICE = "pi-test-01";
    static final ProtocolCodec CODEC = new ProtocolCodec();

    final Path dir;
    final FakePublisher publisher = new FakePublisher();
    final MutableClock clock = new MutableClock(Instant.parse("2025-03-14T10:00:00Z"));
    final ReleaseRuntime runtime;
    final ConfigOverlay overlay;
    final DesiredStateStore store;
    final AppliedStateStore applied;
    final StepJournal journal;
    final StateReporter reporter;
    final EventPublisher events;
    final StateReconciler reconciler;

    StateHarness(Path dir, ReleaseRuntime runtime) {
        this.dir = dir;
        this.runtime = runtime;
        overlay = new ConfigOverlay(dir, CODEC.mapper());
        store = new DesiredStateStore(dir, DEVICE, CODEC);
        applied = new AppliedStateStore(dir, CODEC.mapper());
        journal = new StepJournal(dir, CODEC.mapper());
        reporter = new StateReporter(DEVICE, publisher, CODEC, clock);
        events = new EventPublisher(DEVICE, publisher, CODEC, new EventSequence(dir.resolve("event-seq")), clock);
        reconciler = new StateReconciler(DEVICE, CODEC, store, applied, journal,
                new Executor(runtime, overlay, applied, journal, events, reporter, clock), reporter, events, runtime);
    }

    static byte[] desired(long generation, Release release, Map<String, String> config) {
        return CODEC.encode(MessageType.DESIRED_STATE,
                new DesiredState(1, DEVICE, generation, Instant.parse("2025-03-14T09:59:00Z"), release, config));
    }

    List<ReportedState> reports() {
        return publisher.decoded(Topics.reportedState(DEVICE), MessageType.REPORTED_STATE, CODEC);
    }

    ReportedState lastReport() {
        List<ReportedState> r = reports();
        return r.get(r.size() - 1);
    }

    List<DeviceEvent> events() {
        return publisher.decoded(Topics.events(DEVICE), MessageType.EVENT, CODEC);
    }

    List<DeviceEvent.Type> eventTypes() {
        return events().stream().map(DeviceEvent::type).toList();
    }
}
