package dev.fleetlet.agent.release;

import dev.fleetlet.agent.network.AppNetworks;
import dev.fleetlet.agent.release.internal.ReadinessGate;
import dev.fleetlet.agent.release.internal.ReleaseJournal;
import dev.fleetlet.agent.release.internal.ReleaseJournal.Phase;
import dev.fleetlet.agent.release.internal.ServiceStats;
import dev.fleetlet.agent.runtime.ServiceState;
import dev.fleetlet.agent.runtime.Supervisor;
import dev.fleetlet.agent.state.ReleaseRuntime;
import dev.fleetlet.protocol.app.AppSpec;
import dev.fleetlet.protocol.app.AppSpecJson;
import dev.fleetlet.protocol.app.DependencyCondition;
import dev.fleetlet.protocol.app.UpdateStrategy;
import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.protocol.message.ServiceStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs releases as supervised containers: {@link #install} per the app's update strategy with local rollback,
 * {@link #remove}, {@link #services} for the reported state, and {@link #recover} once at agent start.
 *
 * <p>Strategies: download-then-kill pulls and assembles everything while the old release runs, then stops it
 * and starts the new one; kill-then-download stops the old one first, collects images neither release
 * needs, then pulls; hand-over starts the new release next to the old one and stops the old one only once
 * the new one is up. Services start in {@code depends_on} order ({@code service_healthy} waits for the
 * dependency's health). If the new release cannot start, fails a health check or crash-loops, it is
 * stopped and the old one started again ({@code ROLLED_BACK}); if the old one does not come up either:
 * {@code ROLLBACK_FAILED}. An image that cannot be pulled before anything was stopped is a plain failure.
 *
 * <p>Crash consistency: before every irreversible action whose recovery differs from what the {@link ReleaseJournal}
 * file holds, the new state is written atomically and durably; a first install writes once, when it settles, an
 * update twice (COMMITTED, settled). {@link #recover} makes exactly one release run: the new one if the transition
 * was COMMITTED, otherwise the old one; containers of the current release that outlived the agent are adopted
 * without restart, every other container is removed, and rootfs of removed containers released.
 *
 * <p>The previous release's images are kept for the soak window after an update, then collected.
 * Methods that change containers are serialized; {@link #services} may be called from any thread.
 */
public final class ContainerReleaseRuntime implements ReleaseRuntime {

    private static final Logger log = LoggerFactory.getLogger(ContainerReleaseRuntime.class);

    private final Supervisor supervisor;
    private final ReleaseImages images;
    private final AppNetworks networks;
    private final ReleaseJournal journal;
    private final ReleaseSettings settings;
    private final Clock clock;
    private final ReadinessGate gate;
    private final ServiceStats stats;
    private final ReleasePlans planner;
    private volatile ReleaseJournal.State state;
    /** What the journal file holds (the last durable write); {@link #state} may be ahead by phases recovery ignores. */
    private ReleaseJournal.State persisted;
    private volatile List<ServicePlan> running = List.of();
    private volatile Duration lastServiceGap;

    /**
     * @param networks the app networks, or null when CNI is not available (then only host-network services run)
     * @param dataDir  where the release journal lives
     */
    public ContainerReleaseRuntime(Supervisor supervisor, ReleaseImages images, AppNetworks networks, Path dataDir,
                                   com.fasterxml.jackson.databind.ObjectMapper json, ReleaseSettings settings, Clock clock) {
        this.supervisor = supervisor;
        this.images = images;
        this.networks = networks;
        this.journal = new ReleaseJournal(dataDir, json);
        this.settings = settings;
        this.clock = clock;
        this.gate = new ReadinessGate(supervisor, settings, clock);
        this.stats = new ServiceStats(supervisor, clock);
        this.planner = new ReleasePlans(images, networks);
        this.state = journal.load();
        this.persisted = state;
    }

    /** The journal phase, for tests and logs. */
    public Phase phase() {
        return state.phase();
    }

    /** The release that runs (or should run), or null. */
    public Release current() {
        return state.current();
    }

    @Override
    public Optional<Release> running() {
        return Optional.ofNullable(state.current());
    }

    /** Time between the old release's first service being stopped and the new release being up, in the last update. */
    public Optional<Duration> lastServiceGap() {
        return Optional.ofNullable(lastServiceGap);
    }

    /**
     * Drives the device to one complete release after an agent start: the new release if the interrupted
     * transition was COMMITTED, else the old one. Adopts containers of that release, removes every other
     * container and rootfs. Call once before the first {@link #install}; safe to call again.
     */
    public synchronized void recover() {
        ReleaseJournal.State s = journal.load();
        Release target = s.phase() == Phase.COMMITTED ? s.next() : s.current();
        Release previous = s.phase() == Phase.COMMITTED ? s.current() : s.previous();
        long keep = s.phase() == Phase.COMMITTED ? clock.millis() + settings.soak().toMillis() : s.keepPreviousUntil();
        log.info("release recovery phase={} target={} next={}", s.phase(), idOf(target), idOf(s.next()));
        Set<String> keepIds = target == null ? Set.of() : Set.copyOf(ids(target));
        Set<String> present = new LinkedHashSet<>(supervisor.unsupervised());
        supervisor.states().forEach(st -> present.add(st.id()));
        for (String id : present) {
            if (!keepIds.contains(id)) {
                log.info("removing container of no current release id={}", id);
                supervisor.release(id, settings.stopGrace());
            }
        }
        for (String id : images.rootfsIds()) {
            if (!keepIds.contains(id)) {
                releaseRootfs(id);
            }
        }
        if (previous != null && target != null && !previous.name().equals(target.name()) && networks != null) {
            networks.detach(previous.name());
        }
        if (target != null) {
            try {
                List<ServicePlan> plans = planner.prepare(target, false, null);
                start(plans, false);
                running = plans;
            } catch (StartFailure | RuntimeException e) {
                log.error("release recovery could not start release={} reason={}", target.id(), e.getMessage());
            }
        }
        save(new ReleaseJournal.State(Phase.IDLE, target, null, previous, keep));
    }

    @Override
    public synchronized void install(Release release, String replacing, Progress progress) throws ReleaseException {
        Objects.requireNonNull(release, "release");
        if (state.phase() != Phase.IDLE) {
            recover();
        }
        collectExpired();
        Release old = state.current();
        if (old != null && !Objects.equals(old.id(), replacing)) {
            log.warn("install replacing={} but the runtime runs release={}; replacing that", replacing, old.id());
        }
        AppSpec spec = parse(release);
        if (old != null && old.id().equals(release.id())) {
            old = null; // same release again: start what is missing, adopt what runs
        }
        UpdateStrategy strategy = old == null ? UpdateStrategy.DOWNLOAD_THEN_KILL : spec.updateStrategy();
        if (strategy == UpdateStrategy.HAND_OVER && !spec.hostNetworkServices().isEmpty()) {
            throw new ReleaseException("hand-over refused: services " + spec.hostNetworkServices()
                    + " use network_mode host and cannot run next to the old release (same ports); use download-then-kill");
        }
        log.info("installing release={} replacing={} strategy={}", release.id(), idOf(old), strategy.wire());
        switch (strategy) {
            case DOWNLOAD_THEN_KILL -> downloadThenKill(old, release, progress);
            case KILL_THEN_DOWNLOAD -> killThenDownload(old, release, progress);
            case HAND_OVER -> handOver(old, release, progress);
            default -> throw new IllegalStateException("unknown strategy " + strategy);
        }
    }

    private void downloadThenKill(Release old, Release next, Progress progress) throws ReleaseException {
        save(state.in(Phase.PULLING, next));
        List<ServicePlan> plans;
        try {
            plans = planner.prepare(next, true, progress);
        } catch (RuntimeException e) {
            discard(next);
            save(state.in(Phase.IDLE, null));
            throw new ReleaseException("release " + next.id() + " not installed: " + reason(e), e);
        }
        progress.starting("starting " + plans.size() + " service(s)");
        Instant gapStart = clock.instant();
        if (old != null) {
            save(state.in(Phase.STOPPING_OLD, next));
            stop(old);
        }
        startAndCommit(old, next, plans, progress, gapStart);
    }

    private void killThenDownload(Release old, Release next, Progress progress) throws ReleaseException {
        Instant gapStart = clock.instant();
        save(state.in(Phase.STOPPING_OLD, next));
        stop(old);
        save(state.in(Phase.PULLING, next));
        Set<String> keep = new LinkedHashSet<>(refs(old));
        keep.addAll(refs(next));
        int removed = images.collectGarbage(keep);
        log.info("kill-then-download collected images removed={}", removed);
        List<ServicePlan> plans;
        try {
            plans = planner.prepare(next, true, progress);
        } catch (RuntimeException e) {
            rollback(old, next, "release " + next.id() + " not installed: " + reason(e));
            return;
        }
        progress.starting("starting " + plans.size() + " service(s)");
        startAndCommit(old, next, plans, progress, gapStart);
    }

    private void handOver(Release old, Release next, Progress progress) throws ReleaseException {
        save(state.in(Phase.PULLING, next));
        List<ServicePlan> plans;
        try {
            plans = planner.prepare(next, true, progress);
        } catch (RuntimeException e) {
            discard(next);
            save(state.in(Phase.IDLE, null));
            throw new ReleaseException("release " + next.id() + " not installed: " + reason(e), e);
        }
        progress.starting("starting " + plans.size() + " service(s) next to release " + old.id());
        save(state.in(Phase.STARTING_NEW, next));
        Optional<String> failure = startAndWait(plans);
        if (failure.isPresent()) {
            rollback(old, next, failure.get());
            return;
        }
        save(state.in(Phase.COMMITTED, next));
        Instant oldStop = clock.instant();
        stop(old);
        lastServiceGap = Duration.ZERO;
        log.info("hand-over done release={} oldStoppedIn={}ms serviceGapMs=0", next.id(),
                Duration.between(oldStop, clock.instant()).toMillis());
        commit(old, next, plans);
        progress.healthy(plans.size() + " service(s) up");
    }

    private void startAndCommit(Release old, Release next, List<ServicePlan> plans, Progress progress, Instant gapStart)
            throws ReleaseException {
        save(state.in(Phase.STARTING_NEW, next));
        Optional<String> failure = startAndWait(plans);
        if (failure.isPresent()) {
            rollback(old, next, failure.get());
            return;
        }
        if (old != null) {
            lastServiceGap = Duration.between(gapStart, clock.instant());
            log.info("release up release={} serviceGapMs={}", next.id(), lastServiceGap.toMillis());
            save(state.in(Phase.COMMITTED, next));
        } else {
            // nothing to release between COMMITTED and settled without an old release: the settled write commits
            state = state.in(Phase.COMMITTED, next);
        }
        commit(old, next, plans);
        progress.healthy(plans.size() + " service(s) up");
    }

    private Optional<String> startAndWait(List<ServicePlan> plans) throws ReleaseException {
        try {
            Map<String, Integer> base = start(plans, true);
            save(state.in(Phase.WAITING_HEALTH, state.next()));
            return gate.await(plans, base);
        } catch (StartFailure e) {
            return Optional.of(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while waiting for the release to come up");
        }
    }

    private void commit(Release old, Release next, List<ServicePlan> plans) {
        if (old != null) {
            for (String id : ids(old)) {
                releaseRootfs(id);
            }
            if (networks != null && !old.name().equals(next.name())) {
                networks.detach(old.name());
            }
        }
        running = plans;
        Release previous = old != null ? old : state.previous();
        long keep = old != null ? clock.millis() + settings.soak().toMillis() : state.keepPreviousUntil();
        save(state.settled(next, previous, keep));
        log.info("release committed release={} previous={} keepPreviousImagesUntil={}", next.id(), idOf(previous),
                Instant.ofEpochMilli(keep));
    }

    private void rollback(Release old, Release next, String reason) throws ReleaseException {
        log.warn("release failed, rolling back release={} to={} reason={}", next.id(), idOf(old), reason);
        save(state.in(Phase.ROLLING_BACK, next));
        stop(next);
        discard(next);
        if (old == null) {
            running = List.of();
            save(state.settled(null, state.previous(), state.keepPreviousUntil()));
            throw new ReleaseException("release " + next.id() + " failed: " + reason);
        }
        Optional<String> failure;
        try {
            List<ServicePlan> plans = planner.prepare(old, false, null);
            failure = startAndWait(plans);
            running = plans;
        } catch (RuntimeException e) {
            failure = Optional.of(reason(e));
        }
        save(state.settled(old, state.previous(), state.keepPreviousUntil()));
        if (failure.isPresent()) {
            throw new ReleaseException(Failure.ROLLBACK_FAILED, reason + "; rollback to " + old.id() + " failed: "
                    + failure.get(), null);
        }
        throw new ReleaseException(Failure.ROLLED_BACK, reason + "; rolled back to " + old.id(), null);
    }

    @Override
    public synchronized void remove(String releaseId) throws ReleaseException {
        if (state.phase() != Phase.IDLE) {
            recover();
        }
        Release current = state.current();
        Release previous = state.previous();
        if (current != null && current.id().equals(releaseId)) {
            stop(current);
            discard(current);
            if (networks != null) {
                networks.detach(current.name());
            }
            running = List.of();
            save(state.settled(null, current, clock.millis() + settings.soak().toMillis()));
        } else if (previous != null && previous.id().equals(releaseId)) {
            for (String id : ids(previous)) {
                supervisor.release(id, settings.stopGrace());
                images.releaseRootfs(id);
            }
        }
        collectExpired();
    }

    @Override
    public List<ServiceStatus> services() {
        List<ServiceStatus> out = new ArrayList<>();
        for (ServicePlan p : running) {
            Optional<ServiceState> s = supervisor.state(p.id());
            out.add(stats.status(p, s.orElse(null)));
        }
        return out;
    }

    /** Collects the previous release's images once its soak window is over. */
    public synchronized void collectExpired() {
        ReleaseJournal.State s = state;
        if (s.phase() == Phase.IDLE && s.previous() != null && clock.millis() >= s.keepPreviousUntil()) {
            int removed = images.collectGarbage(refs(s.current()));
            log.info("soak window over, previous release images collected previous={} removedImages={}",
                    s.previous().id(), removed);
            save(new ReleaseJournal.State(Phase.IDLE, s.current(), null, null, 0));
        }
    }

    // ---- helpers ----

    /**
     * Starts (or adopts) services in order, waiting for service_healthy dependencies when {@code waitForDependencies}
     * (not during recovery: what runs is adopted as it is); returns restart counts at start.
     */
    private Map<String, Integer> start(List<ServicePlan> plans, boolean waitForDependencies) throws StartFailure {
        Map<String, ServicePlan> byService = new HashMap<>();
        Map<String, Integer> base = new HashMap<>();
        for (ServicePlan p : plans) {
            for (Map.Entry<String, DependencyCondition> d : p.dependsOn().entrySet()) {
                ServicePlan dep = byService.get(d.getKey());
                if (waitForDependencies && d.getValue() == DependencyCondition.SERVICE_HEALTHY && dep != null
                        && dep.health() != null) {
                    Optional<String> f;
                    try {
                        f = gate.await(List.of(dep), base);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new StartFailure("interrupted while waiting for " + dep.service());
                    }
                    if (f.isPresent()) {
                        throw new StartFailure(f.get() + " (service " + p.service() + " depends on it)");
                    }
                }
            }
            ServiceState s;
            try {
                s = waitForDependencies ? supervisor.supervise(p.container(), p.restart(), p.health()) : recoverOne(p);
            } catch (RuntimeException e) {
                throw new StartFailure("service " + p.service() + " cannot start: " + reason(e));
            }
            if (s.state() == ServiceState.State.EXITED && s.lastError() != null) {
                throw new StartFailure("service " + p.service() + " cannot start: " + s.lastError());
            }
            base.put(p.id(), s.restarts());
            byService.put(p.service(), p);
        }
        return base;
    }

    /**
     * Recovery of one container: adopt it if it runs; one that was stopped (e.g. by the interrupted update), exited
     * while no agent ran, or left half-created by a kill is removed and started again at once, not after a
     * restart back-off.
     */
    private ServiceState recoverOne(ServicePlan p) {
        ServiceState s;
        try {
            s = supervisor.supervise(p.container(), p.restart(), p.health());
            if (s.state() == ServiceState.State.RUNNING) {
                return s;
            }
            log.info("recovery restarts container id={} state={}", p.id(), s.state());
        } catch (RuntimeException e) {
            log.warn("recovery cannot adopt container id={}, recreating it error={}", p.id(), e.toString());
        }
        supervisor.release(p.id(), settings.stopGrace());
        return supervisor.supervise(p.container(), p.restart(), p.health());
    }

    private void stop(Release release) {
        if (release == null) {
            return;
        }
        List<String> ids = ids(release);
        for (int i = ids.size() - 1; i >= 0; i--) {
            supervisor.release(ids.get(i), settings.stopGrace());
        }
    }

    /** Releases the rootfs of a release that is not running (failed or removed). */
    private void discard(Release release) {
        for (String id : ids(release)) {
            releaseRootfs(id);
        }
    }

    /**
     * Releases the rootfs of a container that no longer runs. A rootfs that cannot be released (an overlay mount the
     * kernel reports busy while some process still uses it, say) is logged and left for the next {@link #recover}:
     * it must not stop a recovery, a rollback or a committed update half-way.
     */
    private void releaseRootfs(String id) {
        try {
            images.releaseRootfs(id);
        } catch (RuntimeException e) {
            log.warn("rootfs not released, left for the next recovery id={} error={}", id, reason(e));
        }
    }

    /** Container ids of a release in start order (from its spec alone, no image needed). */
    static List<String> ids(Release release) {
        return ReleasePlans.ids(release);
    }

    private static Set<String> refs(Release release) {
        return ReleasePlans.refs(release);
    }

    private static AppSpec parse(Release release) throws ReleaseException {
        try {
            return AppSpecJson.fromJson(release.spec(), release.name());
        } catch (RuntimeException e) {
            throw new ReleaseException("release " + release.id() + " has an invalid app spec: " + reason(e), e);
        }
    }

    /**
     * Moves to {@code next}, writing the journal durably unless recovery would do exactly the same from what the
     * file already holds. {@link #recover} tells only COMMITTED (run {@code next}) from everything else (run
     * {@code current}, keep {@code previous}): an IDLE file and one in any uncommitted transition phase with the same
     * {@code current}, {@code previous} and soak deadline recover alike. So the start of a transition (IDLE to
     * PULLING or STOPPING_OLD) and its uncommitted steps need no fsync; COMMITTED and the settled IDLE state are
     * always written when they differ from the file (recovery must leave an IDLE file); ROLLING_BACK is always
     * written (off the hot path; it marks a rollback for whoever reads the file).
     */
    private void save(ReleaseJournal.State next) {
        if (next.equals(persisted) || sameRecovery(persisted, next)) {
            state = next;
            return;
        }
        state = journal.save(next);
        persisted = next;
    }

    private static boolean sameRecovery(ReleaseJournal.State onDisk, ReleaseJournal.State next) {
        return onDisk.phase() != Phase.COMMITTED && uncommittedTransition(next.phase())
                && next.phase() != Phase.ROLLING_BACK
                && Objects.equals(onDisk.current(), next.current()) && Objects.equals(onDisk.previous(), next.previous())
                && onDisk.keepPreviousUntil() == next.keepPreviousUntil();
    }

    private static boolean uncommittedTransition(Phase p) {
        return p != Phase.IDLE && p != Phase.COMMITTED;
    }

    private static String idOf(Release r) {
        return r == null ? null : r.id();
    }

    private static String reason(Throwable e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
    }

    /** A service could not be started; the message is the reason. */
    private static final class StartFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StartFailure(String message) {
            super(message);
        }
    }
}
