package dev.fleetlet.agent.state;

import dev.fleetlet.agent.events.EventPublisher;
import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.ReportedState;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan in order: journals each step before it starts, persists the applied state after each step
 * that succeeded, raises progress events and publishes the reported state ({@code applying}, then
 * {@code applied} or {@code failed} with the reason). The first failing step stops the plan; what was
 * applied before it stays applied and the generation is not marked applied, so the next reconcile plans
 * only what is still missing. A failed install that the runtime rolled back is reported {@code rolled_back}
 * ({@code update.rolled_back} event), one whose rollback failed {@code rollback_failed}. Not thread-safe: the reconciler calls it from its single worker thread.
 */
public final class Executor {

    private static final Logger log = LoggerFactory.getLogger(Executor.class);

    /** The result of a plan. */
    public record Outcome(ReportedState.Status status, CurrentState state, String reason) {
    }

    private final ReleaseRuntime runtime;
    private final ConfigOverlay overlay;
    private final AppliedStateStore applied;
    private final StepJournal journal;
    private final EventPublisher events;
    private final StateReporter reporter;
    private final Clock clock;

    public Executor(ReleaseRuntime runtime, ConfigOverlay overlay, AppliedStateStore applied, StepJournal journal,
                    EventPublisher events, StateReporter reporter, Clock clock) {
        this.runtime = runtime;
        this.overlay = overlay;
        this.applied = applied;
        this.journal = journal;
        this.events = events;
        this.reporter = reporter;
        this.clock = clock;
    }

    /**
     * Applies {@code plan} for {@code generation} starting from {@code current}.
     *
     * @param note extra words for the final event (e.g. that this run resumes an interrupted one), or null
     */
    public Outcome execute(long generation, CurrentState current, List<Step> plan, String note) {
        String previous = current.releaseId();
        if (!plan.isEmpty()) {
            reporter.report(ReportedState.Status.APPLYING, generation, previous, null, null, runtime.services());
        }
        CurrentState state = current;
        try {
            for (int i = 0; i < plan.size(); i++) {
                Step step = plan.get(i);
                journal.begin(new StepJournal.Entry(generation, i + 1, plan.size(), step.kind(), step.describe(),
                        clock.instant()));
                log.info("executing step generation={} step={}/{} {}", generation, i + 1, plan.size(), step.describe());
                state = run(step, state, generation);
                applied.save(state);
            }
            state = state.withGeneration(generation);
            applied.save(state);
        } catch (ReleaseRuntime.ReleaseException | IOException | RuntimeException e) {
            String reason = e instanceof IOException ? "cannot persist state: " + e
                    : e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
            journal.finish();
            ReleaseRuntime.Failure failure = e instanceof ReleaseRuntime.ReleaseException r ? r.failure()
                    : ReleaseRuntime.Failure.FAILED;
            ReportedState.Status status = switch (failure) {
                case FAILED -> ReportedState.Status.FAILED;
                case ROLLED_BACK -> ReportedState.Status.ROLLED_BACK;
                case ROLLBACK_FAILED -> ReportedState.Status.ROLLBACK_FAILED;
            };
            DeviceEvent.Type event = switch (failure) {
                case FAILED -> DeviceEvent.Type.UPDATE_FAILED;
                case ROLLED_BACK -> DeviceEvent.Type.UPDATE_ROLLED_BACK;
                case ROLLBACK_FAILED -> DeviceEvent.Type.UPDATE_ROLLBACK_FAILED;
            };
            log.warn("desired state not applied generation={} status={} reason={}", generation, status, reason);
            events.raise(event, generation, releaseOf(plan), reason);
            reporter.report(status, generation, state.releaseId(), null, reason, runtime.services());
            return new Outcome(status, state, reason);
        }
        journal.finish();
        String summary = plan.isEmpty() ? "nothing to change" : plan.size() + " step(s) done";
        events.raise(DeviceEvent.Type.UPDATE_APPLIED, generation, state.releaseId(),
                note == null ? summary : summary + "; " + note);
        String prev = previous != null && !previous.equals(state.releaseId()) ? previous : null;
        reporter.report(ReportedState.Status.APPLIED, generation, state.releaseId(), prev, null, runtime.services());
        return new Outcome(ReportedState.Status.APPLIED, state, null);
    }

    private CurrentState run(Step step, CurrentState state, long generation)
            throws ReleaseRuntime.ReleaseException, IOException {
        switch (step.kind()) {
            case APPLY_CONFIG -> {
                Step.ApplyConfig c = (Step.ApplyConfig) step;
                overlay.apply(c.values());
                return state.withConfig(c.values());
            }
            case INSTALL_RELEASE -> {
                Step.InstallRelease s = (Step.InstallRelease) step;
                String id = s.release().id();
                runtime.install(s.release(), s.replacing(), progress(generation, id));
                return state.withRelease(s.release());
            }
            case REMOVE_RELEASE -> {
                Step.RemoveRelease s = (Step.RemoveRelease) step;
                runtime.remove(s.releaseId());
                return s.releaseId().equals(state.releaseId()) ? state.withRelease(null) : state;
            }
            default -> throw new IllegalStateException("unknown step kind " + step.kind());
        }
    }

    private ReleaseRuntime.Progress progress(long generation, String releaseId) {
        return new ReleaseRuntime.Progress() {
            @Override
            public void downloading(long bytes, Long totalBytes, String message) {
                Double percent = totalBytes == null || totalBytes == 0 ? null
                        : Math.min(100.0, Math.round(1000.0 * bytes / totalBytes) / 10.0);
                events.raise(DeviceEvent.Type.UPDATE_DOWNLOADING, generation, releaseId,
                        new DeviceEvent.Progress(bytes, totalBytes, percent), message);
            }

            @Override
            public void starting(String message) {
                events.raise(DeviceEvent.Type.UPDATE_STARTING, generation, releaseId, message);
            }

            @Override
            public void healthy(String message) {
                events.raise(DeviceEvent.Type.UPDATE_HEALTHY, generation, releaseId, message);
            }
        };
    }

    private static String releaseOf(List<Step> plan) {
        for (Step s : plan) {
            if (s instanceof Step.InstallRelease i) {
                return i.release().id();
            }
        }
        return null;
    }
}
