package dev.fleetlet.agent.state;

import static dev.fleetlet.agent.state.StateHarness.DEVICE;
import static dev.fleetlet.agent.state.StateHarness.desired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.protocol.message.ReportedState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateReconcilerTest {

    private static final Release A = PlannerTest.release("app-1.0.0", "sampler:1");
    private static final Release B = PlannerTest.release("app-1.1.0", "sampler:2");

    @TempDir
    Path dir;

    @Test
    void appliesAConfigOnlyDesiredStateAndReportsApplied() throws Exception {
        // given
        StateHarness h = new StateHarness(dir, ReleaseRuntime.unavailable());
        // when
        h.reconciler.handle(desired(3, null, Map.of("identify.led", "status-led")));
        // then
        assertThat(h.overlay.get("identify.led")).contains("status-led");
        assertThat(Files.readString(dir.resolve(ConfigOverlay.FILE))).contains("\"identify.led\":\"status-led\"");
        assertThat(h.reports()).extracting(ReportedState::status)
                .containsExactly(ReportedState.Status.IDLE, ReportedState.Status.APPLYING, ReportedState.Status.APPLIED);
        assertThat(h.lastReport().generation()).isEqualTo(3);
        assertThat(h.eventTypes()).containsExactly(DeviceEvent.Type.UPDATE_APPLIED);
        assertThat(h.store.lastAcceptedGeneration()).isEqualTo(3);
        assertThat(dir.resolve(StepJournal.FILE)).doesNotExist();
    }

    @Test
    void reportsAReleaseItCannotRunAsFailedWithTheReasonNeverAsApplied() {
        // given
        StateHarness h = new StateHarness(dir, ReleaseRuntime.unavailable());
        // when
        h.reconciler.handle(desired(1, A, Map.of()));
        // then
        ReportedState last = h.lastReport();
        assertThat(last.status()).isEqualTo(ReportedState.Status.FAILED);
        assertThat(last.generation()).isEqualTo(1);
        assertThat(last.reason()).isEqualTo("container runtime not available in this build");
        assertThat(last.releaseId()).isNull();
        assertThat(h.events()).extracting(DeviceEvent::type).containsExactly(DeviceEvent.Type.UPDATE_FAILED);
        assertThat(h.events().get(0).releaseId()).isEqualTo(A.id());
        assertThat(h.applied.load().generation()).as("generation not marked applied").isZero();
    }

    @Test
    void swapsReleasesThroughTheRuntimePortWithProgressEvents() {
        // given
        FakeReleaseRuntime runtime = new FakeReleaseRuntime();
        StateHarness h = new StateHarness(dir, runtime);
        h.reconciler.handle(desired(1, A, Map.of()));
        // when
        h.reconciler.handle(desired(2, B, Map.of()));
        // then
        assertThat(runtime.calls).containsExactly("install app-1.0.0", "install app-1.1.0 replacing app-1.0.0",
                "remove app-1.0.0");
        ReportedState last = h.lastReport();
        assertThat(last.status()).isEqualTo(ReportedState.Status.APPLIED);
        assertThat(last.releaseId()).isEqualTo(B.id());
        assertThat(last.previousReleaseId()).isEqualTo(A.id());
        assertThat(h.eventTypes()).containsSubsequence(DeviceEvent.Type.UPDATE_DOWNLOADING,
                DeviceEvent.Type.UPDATE_STARTING, DeviceEvent.Type.UPDATE_HEALTHY, DeviceEvent.Type.UPDATE_APPLIED);
    }

    @Test
    void rejectsMalformedJsonWithAnEventAndARejectedReportAndKeepsTheAcceptedState() {
        // given
        StateHarness h = new StateHarness(dir, ReleaseRuntime.unavailable());
        h.reconciler.handle(desired(2, null, Map.of("a", "1")));
        // when
        h.reconciler.handle("{\"v\":1, \"deviceId\": ".getBytes(StandardCharsets.UTF_8));
        // then
        ReportedState last = h.lastReport();
        assertThat(last.status()).isEqualTo(ReportedState.Status.REJECTED);
        assertThat(last.reason()).startsWith("desired state rejected: MALFORMED_JSON");
        assertThat(last.generation()).as("unknown generation: the last accepted one").isEqualTo(2);
        assertThat(h.eventTypes()).endsWith(DeviceEvent.Type.DESIRED_REJECTED);
        assertThat(h.overlay.get("a")).contains("1");
        assertThat(h.store.lastAcceptedGeneration()).isEqualTo(2);
    }

    @Test
    void rejectsASchemaViolationNamingTheFieldAndTheGenerationItCarried() {
        // given
        StateHarness h = new StateHarness(dir, ReleaseRuntime.unavailable());
        String bad = "{\"v\":1,\"deviceId\":\"" + DEVICE + "\",\"generation\":7,\"issuedAt\":\"2025-03-14T10:00:00Z\","
                + "\"config\":{\"telemetry.interval\":10}}";
        // when
        h.reconciler.handle(bad.getBytes(StandardCharsets.UTF_8));
        // then
        ReportedState last = h.lastReport();
        assertThat(last.status()).isEqualTo(ReportedState.Status.REJECTED);
        assertThat(last.generation()).isEqualTo(7);
        assertThat(last.reason()).contains("SCHEMA_VIOLATION").contains("/config/telemetry.interval");
        assertThat(h.events().get(h.events().size() - 1).generation()).isEqualTo(7L);
    }

    @Test
    void rejectsADesiredStateForAnotherDevice() {
        // given
        StateHarness h = new StateHarness(dir, ReleaseRuntime.unavailable());
        String other = new String(desired(4, null, Map.of()), StandardCharsets.UTF_8).replace(DEVICE, "pi-other-02");
        // when
        h.reconciler.handle(other.getBytes(StandardCharsets.UTF_8));
        // then
        assertThat(h.lastReport().status()).isEqualTo(ReportedState.Status.REJECTED);
        assertThat(h.lastReport().reason()).contains("/deviceId").contains("pi-other-02");
        assertThat(h.store.lastAcceptedGeneration()).isZero();
    }

    @Test
    void rejectsAnOversizedDesiredStateWithoutParsingIt() {
        // given
        StateHarness h = new StateHarness(dir, ReleaseRuntime.unavailable());
        byte[] huge = new byte[256 * 1024 + 1];
        Arrays.fill(huge, (byte) '{');
        // when
        h.reconciler.handle(huge);
        // then
        assertThat(h.lastReport().status()).isEqualTo(ReportedState.Status.REJECTED);
        assertThat(h.lastReport().reason()).contains("TOO_LARGE").contains("262145 bytes");
        assertThat(h.eventTypes()).containsExactly(DeviceEvent.Type.DESIRED_REJECTED);
    }

    @Test
    void ignoresAGenerationNotAboveTheLastAcceptedOne() {
        // given
        StateHarness h = new StateHarness(dir, ReleaseRuntime.unavailable());
        h.reconciler.handle(desired(5, null, Map.of("k", "five")));
        h.publisher.clear();
        // when
        h.reconciler.handle(desired(5, null, Map.of("k", "five")));
        h.reconciler.handle(desired(4, null, Map.of("k", "four")));
        // then
        assertThat(h.publisher.sent()).isEmpty();
        assertThat(h.overlay.get("k")).contains("five");
    }

    @Test
    void treatsAnEmptyPayloadAsNoChange() {
        // given
        StateHarness h = new StateHarness(dir, ReleaseRuntime.unavailable());
        h.publisher.clear();
        // when
        h.reconciler.handle(new byte[0]);
        // then
        assertThat(h.publisher.sent()).isEmpty();
    }

    @Test
    void actsOnThePersistedDesiredStateAfterARestartBeforeTheBrokerIsReachable() {
        // given: generation 6 accepted, config applied, release failed (no runtime)
        StateHarness before = new StateHarness(dir, ReleaseRuntime.unavailable());
        before.reconciler.handle(desired(6, A, Map.of("k", "v")));
        // when: the agent restarts with a working runtime and no broker
        FakeReleaseRuntime runtime = new FakeReleaseRuntime();
        StateHarness after = new StateHarness(dir, runtime);
        after.publisher.connected(false);
        after.reconciler.reconcileFromDisk();
        // then: it installed the persisted release without waiting for the server ...
        assertThat(runtime.calls).containsExactly("install app-1.0.0");
        assertThat(after.applied.load().generation()).isEqualTo(6);
        assertThat(after.reporter.latest().orElseThrow().status()).isEqualTo(ReportedState.Status.APPLIED);
        // ... and publishes the report and events once connected
        after.publisher.connected(true);
        after.reconciler.onConnected();
        org.awaitility.Awaitility.await().until(() -> !after.reports().isEmpty());
        assertThat(after.lastReport().status()).isEqualTo(ReportedState.Status.APPLIED);
        assertThat(after.lastReport().generation()).isEqualTo(6);
        assertThat(after.eventTypes()).contains(DeviceEvent.Type.UPDATE_APPLIED);
    }

    @Test
    void reportsAppliedWithoutRerunningWhenTheGenerationIsAlreadyApplied() {
        // given
        FakeReleaseRuntime runtime = new FakeReleaseRuntime();
        new StateHarness(dir, runtime).reconciler.handle(desired(2, A, Map.of()));
        runtime.calls.clear();
        // when
        StateHarness after = new StateHarness(dir, runtime);
        after.reconciler.reconcileFromDisk();
        // then
        assertThat(runtime.calls).isEmpty();
        assertThat(after.lastReport().status()).isEqualTo(ReportedState.Status.APPLIED);
        assertThat(after.eventTypes()).isEmpty();
    }

    @Test
    void reinstallsTheAppliedReleaseWhenTheRuntimeRunsNothingAfterARestart() {
        // given release A applied for generation 2
        FakeReleaseRuntime runtime = new FakeReleaseRuntime();
        new StateHarness(dir, runtime).reconciler.handle(desired(2, A, Map.of()));
        // when the agent restarts and the runtime's own records could not be read: its recovery left nothing running
        runtime.running = null;
        runtime.calls.clear();
        StateHarness after = new StateHarness(dir, runtime);
        after.reconciler.reconcileFromDisk();
        // then A is installed again rather than reported applied while nothing runs
        assertThat(runtime.calls).containsExactly("install app-1.0.0");
        assertThat(runtime.running().orElseThrow().id()).isEqualTo("app-1.0.0");
        assertThat(after.lastReport().status()).isEqualTo(ReportedState.Status.APPLIED);
        assertThat(after.applied.load().releaseId()).isEqualTo("app-1.0.0");
    }

    @Test
    void updatesFromTheReleaseTheRuntimeRunsWhenItRecoveredToAnOlderOne() {
        // given B applied for generation 3 (after A), but the runtime recovered to A (its records lost the update)
        FakeReleaseRuntime runtime = new FakeReleaseRuntime();
        StateHarness before = new StateHarness(dir, runtime);
        before.reconciler.handle(desired(2, A, Map.of()));
        before.reconciler.handle(desired(3, B, Map.of()));
        runtime.running = A;
        runtime.calls.clear();
        // when the agent restarts
        StateHarness after = new StateHarness(dir, runtime);
        after.reconciler.reconcileFromDisk();
        // then it updates A to B, naming A as the release it replaces, and B runs
        assertThat(runtime.calls).containsExactly("install app-1.1.0 replacing app-1.0.0", "remove app-1.0.0");
        assertThat(runtime.running().orElseThrow().id()).isEqualTo("app-1.1.0");
        assertThat(after.lastReport().status()).isEqualTo(ReportedState.Status.APPLIED);
    }

    @Test
    void resumesAfterARestartInTheMiddleOfAStepAndSaysSo() throws Exception {
        // given: a run that stopped during step 1 of generation 3 (journal left behind, nothing applied)
        StateHarness before = new StateHarness(dir, ReleaseRuntime.unavailable());
        before.store.save(before.CODEC.decode(dev.fleetlet.protocol.codec.MessageType.DESIRED_STATE,
                desired(3, null, Map.of("k", "v"))).orElseThrow(), desired(3, null, Map.of("k", "v")));
        before.journal.begin(new StepJournal.Entry(3, 1, 1, Step.Kind.APPLY_CONFIG, "apply config (1 values)",
                Instant.parse("2025-03-14T10:00:00Z")));
        // when
        StateHarness after = new StateHarness(dir, ReleaseRuntime.unavailable());
        assertThat(after.journal.interrupted()).isPresent();
        after.reconciler.reconcileFromDisk();
        // then
        assertThat(after.lastReport().status()).isEqualTo(ReportedState.Status.APPLIED);
        assertThat(after.overlay.get("k")).contains("v");
        DeviceEvent applied = after.events().get(after.events().size() - 1);
        assertThat(applied.type()).isEqualTo(DeviceEvent.Type.UPDATE_APPLIED);
        assertThat(applied.message()).contains("resumed after the agent stopped during step 1/1 (apply config");
        assertThat(after.journal.interrupted()).isEmpty();
    }

    @Test
    void reportsIdleWithGenerationZeroWhenNothingWasEverReceived() {
        // given
        StateHarness h = new StateHarness(dir, ReleaseRuntime.unavailable());
        h.publisher.clear();
        // when
        h.reconciler.reconcileFromDisk();
        // then
        assertThat(h.lastReport().status()).isEqualTo(ReportedState.Status.IDLE);
        assertThat(h.lastReport().generation()).isZero();
    }

    @Test
    void publishesTheReportedStateRetainedWithQos1() {
        // given
        StateHarness h = new StateHarness(dir, ReleaseRuntime.unavailable());
        // when
        h.reconciler.handle(desired(1, null, Map.of()));
        // then
        assertThat(h.publisher.on(dev.fleetlet.protocol.Topics.reportedState(DEVICE)))
                .allSatisfy(m -> {
                    assertThat(m.retained()).isTrue();
                    assertThat(m.qos()).isEqualTo(1);
                });
    }

    @Test
    void reportsAnInstallTheRuntimeRolledBackAsRolledBackWithItsReasonAndKeepsTheOldRelease() {
        // given
        FakeReleaseRuntime runtime = new FakeReleaseRuntime();
        StateHarness h = new StateHarness(dir, runtime);
        h.reconciler.handle(desired(1, A, Map.of()));
        runtime.failInstallWith = "service web unhealthy after 3 probes";
        runtime.failInstallAs = ReleaseRuntime.Failure.ROLLED_BACK;
        // when
        h.reconciler.handle(desired(2, B, Map.of()));
        // then
        ReportedState last = h.lastReport();
        assertThat(last.status()).isEqualTo(ReportedState.Status.ROLLED_BACK);
        assertThat(last.reason()).isEqualTo("service web unhealthy after 3 probes");
        assertThat(last.releaseId()).isEqualTo(A.id());
        assertThat(h.eventTypes()).endsWith(DeviceEvent.Type.UPDATE_ROLLED_BACK);
        assertThat(runtime.calls).doesNotContain("remove app-1.0.0");
        assertThat(h.applied.load().generation()).isEqualTo(1);
    }

    @Test
    void reportsAFailedRollbackAsRollbackFailed() {
        // given
        FakeReleaseRuntime runtime = new FakeReleaseRuntime();
        StateHarness h = new StateHarness(dir, runtime);
        h.reconciler.handle(desired(1, A, Map.of()));
        runtime.failInstallWith = "new release unhealthy; old release did not come back";
        runtime.failInstallAs = ReleaseRuntime.Failure.ROLLBACK_FAILED;
        // when
        h.reconciler.handle(desired(2, B, Map.of()));
        // then
        assertThat(h.lastReport().status()).isEqualTo(ReportedState.Status.ROLLBACK_FAILED);
        assertThat(h.eventTypes()).endsWith(DeviceEvent.Type.UPDATE_ROLLBACK_FAILED);
    }
}
