package dev.fleetlet.server.rollout.engine;

import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.desired.Assignment;
import dev.fleetlet.server.desired.DesiredStateService;
import dev.fleetlet.server.desired.StoredDesiredState;
import dev.fleetlet.server.rollout.Command;
import dev.fleetlet.server.rollout.Decision;
import dev.fleetlet.server.rollout.Effect;
import dev.fleetlet.server.rollout.Observation;
import dev.fleetlet.server.rollout.Observations;
import dev.fleetlet.server.rollout.RolloutController;
import dev.fleetlet.server.rollout.RolloutState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable rollout engine: one thread that, every {@code tick} (and at once when observations or
 * commands arrive), takes the lease of every active rollout it can ({@code rollout_leases}: one controller
 * per rollout across replicas), and for each rollout it holds feeds the commands not applied yet and the
 * observations since the last step to {@link RolloutController#step}. It then writes, in transactions fenced
 * by renewing its lease, the new state (changed device rows only), the audit lines, command outcomes and the
 * desired-state generation bumps of every dispatch, hold and rollback. A step with up to
 * {@value StepParts#PART_SIZE} dispatches is one transaction; a larger one is cut into parts
 * ({@link StepParts}): the first carries the rollout row, audit, outcomes and all non-dispatch changes, each
 * later one only plain dispatches. After each commit it hands that part's desired states to the publish
 * threads (so the first devices get theirs while the next part commits) and, after the first, tells the
 * {@link RolloutListener}. When a later part fails the cached state is dropped and loaded again.
 *
 * <p>Crash safety: a device is marked dispatched in the same commit as its generation bump, and a device
 * whose part did not commit is still waiting (PENDING / ROLLBACK_PENDING) in the database, so the next step
 * dispatches it; the desired
 * states a device has not confirmed are published again at start ({@link DesiredStateService#republishUnconfirmed()}).
 * State is cached while the lease is held (this engine is the only writer) and loaded again after a lease
 * is (re)taken. Observations for devices of rollouts held by another replica are dropped here.
 */
public class RolloutEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RolloutEngine.class);
    private static final Pattern SEQ = Pattern.compile("#(\\d+)");

    private static final class Held {
        RolloutState state;
        final Map<String, Integer> index = new HashMap<>();
        final List<Observation> pending = new ArrayList<>();
        Instant leaseRenewedAt;
        Instant lastProgressAt = Instant.EPOCH;
        boolean progressDue = true;

        Held(RolloutState state, Instant now) {
            this.state = state;
            this.leaseRenewedAt = now;
            for (int i = 0; i < state.devices().size(); i++) {
                index.put(state.devices().get(i).deviceId(), i);
            }
        }
    }

    private final RolloutStore store;
    private final DesiredStateService desired;
    private final Clock clock;
    private final String owner;
    private final Duration leaseTtl;
    private final Duration tick;
    private final RolloutListener listener;
    private final Map<String, Held> held = new LinkedHashMap<>();
    private final ConcurrentLinkedQueue<Observation> inbox = new ConcurrentLinkedQueue<>();
    private final BlockingQueue<Boolean> wakeups = new ArrayBlockingQueue<>(1);
    private final AtomicInteger active = new AtomicInteger();
    private final Counter dispatches;
    private final Timer stepTimer;
    private volatile Thread thread;
    private volatile boolean running;

    /**
     * @param owner    this replica's lease owner name (unique per process)
     * @param leaseTtl how long a lease lasts without renewal (another replica takes over after it)
     * @param tick     the longest time between two steps of a rollout
     */
    public RolloutEngine(RolloutStore store, DesiredStateService desired, Clock clock, String owner, Duration leaseTtl,
                         Duration tick, RolloutListener listener, MeterRegistry registry) {
        this.store = store;
        this.desired = desired;
        this.clock = clock;
        this.owner = owner;
        this.leaseTtl = leaseTtl;
        this.tick = tick;
        this.listener = listener == null ? RolloutListener.NONE : listener;
        Gauge.builder("fleetlet.rollouts.active", active, AtomicInteger::get)
                .description("Rollouts not in a final phase").register(registry);
        this.dispatches = Counter.builder("fleetlet.rollouts.dispatches")
                .description("Desired states assigned by rollouts (dispatch, hold, rollback)").register(registry);
        this.stepTimer = Timer.builder("fleetlet.rollouts.step.duration")
                .description("Time of one engine pass over the rollouts it holds").register(registry);
    }

    /** Starts the engine thread; publishes unconfirmed desired states first (in the background). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "rollout-engine");
        thread.setDaemon(true);
        thread.start();
    }

    /** Lease owner name of this engine. */
    public String owner() {
        return owner;
    }

    /** Hands device observations over (any thread, never blocks); they are routed at the next step. */
    public void observe(List<Observation> observations) {
        inbox.addAll(observations);
        wake();
    }

    /** Asks for a step soon (a command was appended). */
    public void wake() {
        wakeups.offer(Boolean.TRUE);
    }

    private void loop() {
        try {
            desired.republishUnconfirmed();
        } catch (RuntimeException e) {
            log.error("unconfirmed desired states not published again", e);
        }
        while (running) {
            try {
                tick();
            } catch (RuntimeException e) {
                log.error("rollout engine pass failed", e);
            }
            try {
                wakeups.poll(tick.toMillis(), TimeUnit.MILLISECONDS);
                // coalesce bursts of wake-ups (observations arrive in batches)
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One pass: leases, routing, one step per held rollout. Public for tests; not thread-safe against itself. */
    public synchronized void tick() {
        long t0 = System.nanoTime();
        Instant now = clock.instant();
        List<String> ids = store.activeIds();
        active.set(ids.size());
        Set<String> activeSet = new HashSet<>(ids);
        held.keySet().removeIf(id -> !activeSet.contains(id));
        for (String id : ids) {
            if (!held.containsKey(id) && store.acquireLease(id, owner, now, leaseTtl)) {
                store.load(id).ifPresent(s -> {
                    held.put(id, new Held(s.state(), now));
                    log.info("rollout lease taken rolloutId={} owner={} phase={}", id, owner, s.state().phase());
                });
            }
        }
        route();
        for (Iterator<Map.Entry<String, Held>> it = held.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Held> e = it.next();
            try {
                if (!step(e.getKey(), e.getValue(), now)) {
                    it.remove();
                }
            } catch (RuntimeException ex) {
                log.error("rollout step failed rolloutId={}", e.getKey(), ex);
            }
        }
        stepTimer.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
    }

    private void route() {
        Observation o;
        while ((o = inbox.poll()) != null) {
            for (Held h : held.values()) {
                if (h.index.containsKey(o.deviceId())) {
                    h.pending.add(o);
                }
            }
        }
    }

    /** Steps one rollout; false when it is no longer held (lease lost, or finished). */
    private boolean step(String id, Held h, Instant now) {
        RolloutState before = h.state;
        long q0 = System.nanoTime();
        List<Command> commands = store.commandsAfter(id, before.lastCommandSeq());
        long s0 = System.nanoTime();
        Decision d = RolloutController.step(before, new Observations(h.pending, commands), now);
        long s1 = System.nanoTime();
        boolean changed = !d.state().equals(before) || !d.effects().isEmpty() || !d.rejected().isEmpty();
        if (!changed) {
            h.pending.clear();
            if (Duration.between(h.leaseRenewedAt, now).compareTo(leaseTtl.dividedBy(3)) >= 0) {
                if (!store.acquireLease(id, owner, now, leaseTtl)) {
                    log.warn("rollout lease lost rolloutId={} owner={}", id, owner);
                    return false;
                }
                h.leaseRenewedAt = now;
            }
            emitProgress(id, h, now);
            return true;
        }
        List<StepParts.Part> parts = StepParts.split(before, d, StepParts.assignments(id, d));
        Jdbc jdbc = store.jdbc();
        int storedCount = 0;
        long commitNanos = 0;
        long firstPartAt = 0;
        for (int k = 0; k < parts.size(); k++) {
            StepParts.Part part = parts.get(k);
            boolean first = k == 0;
            List<StoredDesiredState> stored = new ArrayList<>();
            long c0 = System.nanoTime();
            boolean fenced;
            try {
                fenced = jdbc.tx(c -> {
                    // fence: the lease must still name this engine (an expired lease nobody took over is still ours);
                    // the row stays locked until commit, so a replica cannot take it over mid-step
                    if (Jdbc.update(c, "UPDATE rollout_leases SET expires_at = ? WHERE rollout_id = ? AND owner = ?",
                            now.plus(leaseTtl), id, owner) != 1) {
                        return false;
                    }
                    if (first) {
                        writeStepFacts(c, id, d, commands, now);
                    }
                    store.saveDevices(c, id, part.devices(), now);
                    stored.addAll(desired.record(part.assignments()));
                    return true;
                });
            } catch (RuntimeException ex) {
                if (first) {
                    throw ex;
                }
                // earlier parts are committed: the cached state is ahead of the database, load it again
                log.error("rollout step part failed, state is loaded again rolloutId={} part={} of={}", id, k + 1,
                        parts.size(), ex);
                return false;
            }
            commitNanos += System.nanoTime() - c0;
            if (!fenced) {
                log.warn("rollout lease lost before commit rolloutId={} owner={} part={} of={}", id, owner, k + 1,
                        parts.size());
                return false;
            }
            desired.publish(stored);
            dispatches.increment(stored.size());
            storedCount += stored.size();
            if (first) {
                firstPartAt = System.nanoTime();
                tellListener(id, d);
            }
        }
        long s2 = System.nanoTime();
        if (s2 - q0 >= 1_000_000_000L) {
            log.info("slow rollout step rolloutId={} devices={} commandsMs={} decideMs={} firstPartCommittedMs={} commitMs={} "
                            + "parts={} desiredStates={}", id, before.devices().size(), (s0 - q0) / 1_000_000,
                    (s1 - s0) / 1_000_000, (firstPartAt - s0) / 1_000_000, commitNanos / 1_000_000, parts.size(),
                    storedCount);
        } else {
            log.debug("rollout step rolloutId={} decideMs={} commitMs={} parts={} desiredStates={}", id,
                    (s1 - s0) / 1_000_000, commitNanos / 1_000_000, parts.size(), storedCount);
        }
        h.state = d.state();
        h.pending.clear();
        h.leaseRenewedAt = now;
        h.progressDue = true;
        emitProgress(id, h, now);
        if (h.state.phase().isFinal()) {
            emitProgressNow(id, h, now);
            store.releaseLease(id, owner);
            return false;
        }
        return true;
    }

    /** The rollout row, audit lines and command outcomes of a step (written with its first part). */
    private void writeStepFacts(Connection c, String id, Decision d, List<Command> commands, Instant now)
            throws SQLException {
        store.saveRollout(c, d.state(), now);
        List<RolloutStore.AuditLine> lines = new ArrayList<>();
        for (Effect e : d.effects()) {
            if (e instanceof Effect.AuditEntry a) {
                lines.add(new RolloutStore.AuditLine(a.at(), a.text()));
            }
        }
        for (String r : d.rejected()) {
            lines.add(new RolloutStore.AuditLine(now, "command rejected: " + r));
        }
        store.audit(c, id, lines);
        Set<Long> rejectedSeqs = new HashSet<>();
        for (String r : d.rejected()) {
            Matcher m = SEQ.matcher(r);
            if (m.find()) {
                long seq = Long.parseLong(m.group(1));
                rejectedSeqs.add(seq);
                store.commandOutcome(c, id, seq, "rejected: " + r);
            }
        }
        for (Command cmd : commands) {
            if (!rejectedSeqs.contains(cmd.seq()) && cmd.seq() <= d.state().lastCommandSeq()) {
                store.commandOutcome(c, id, cmd.seq(), "applied");
            }
        }
    }

    private void tellListener(String id, Decision d) {
        for (Effect e : d.effects()) {
            if (e instanceof Effect.AuditEntry a) {
                listener.audit(id, a.at(), a.text());
            } else if (e instanceof Effect.PhaseChanged p) {
                log.info("rollout phase rolloutId={} from={} to={}", id, p.from(), p.to());
                listener.phase(id, p.from(), p.to(), p.at());
            }
        }
    }

    private void emitProgress(String id, Held h, Instant now) {
        if (h.progressDue && Duration.between(h.lastProgressAt, now).toMillis() >= 500) {
            emitProgressNow(id, h, now);
        }
    }

    private void emitProgressNow(String id, Held h, Instant now) {
        h.progressDue = false;
        h.lastProgressAt = now;
        listener.progress(id, h.state.phase(), h.state.currentGroup(), RolloutCounts.total(h.state),
                RolloutCounts.perGroup(h.state));
    }

    /** Ids of the rollouts this engine holds the lease of. */
    public synchronized Set<String> held() {
        return Set.copyOf(held.keySet());
    }

    /** The cached state of a held rollout, or null. */
    public synchronized RolloutState heldState(String id) {
        Held h = held.get(id);
        return h == null ? null : h.state;
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            for (String id : held.keySet()) {
                try {
                    store.releaseLease(id, owner);
                } catch (RuntimeException e) {
                    log.warn("rollout lease not released rolloutId={} error={}", id, e.toString());
                }
            }
            held.clear();
        }
    }
}
