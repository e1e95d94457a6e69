package dev.fleetlet.server.device;

import dev.fleetlet.protocol.message.Presence;
import dev.fleetlet.server.broker.PresenceListener;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.events.EventBus;
import dev.fleetlet.server.events.EventTypes;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry's presence (online, last seen, offline reason, hardware facts from birth messages) in
 * step with the broker, without ever losing an update.
 *
 * <p>Calls return at once and never block or drop: each call replaces the device's pending state in a map
 * keyed by device id (latest state wins; the facts of a pending birth message and a pending online that an
 * offline replaced are kept, so hardware facts and a short connection's online/offline pair survive), and a
 * device id enters the ready queue only when it had no pending state. Memory is therefore
 * bounded by the number of devices, not by the number of notifications. One worker thread takes up to
 * {@value #MAX_BATCH} ready devices at a time and writes them in one transaction, so a connect burst of
 * 10,000 devices costs a few commits, not 10,000. Per-device order holds: a device's newer state is
 * written by the same thread in a later batch. {@code device.online}/{@code device.offline} events are
 * published after the commit, only for real transitions (the stored state changed). Unknown or
 * decommissioned devices are ignored. A failing write is logged and retried with the next batch unless a
 * newer state for that device arrived meanwhile.
 *
 * <p>Start and stop: the constructor first marks devices that a previous run left online (it ended without
 * a clean shutdown) offline with reason {@value #SERVER_RESTART}; the broker depends on this bean, so that
 * happens before it accepts clients. At server stop {@link ServerShutdown} calls {@link #shutdown(Duration)}
 * after the broker stopped: queued states are written (offline reasons become {@value #SERVER_SHUTDOWN}),
 * within a bound, and every device still stored as online is then marked offline in one statement.
 */
@Singleton
public class PresenceTracker implements PresenceListener {

    private static final Logger log = LoggerFactory.getLogger(PresenceTracker.class);
    static final int MAX_BATCH = 1_000;
    /** Offline reason of devices connected when the server stopped. */
    public static final String SERVER_SHUTDOWN = "server_shutdown";
    /** Offline reason, set at start, of devices a previous run left online (it ended without a clean stop). */
    public static final String SERVER_RESTART = "server_restart";

    /**
     * The latest not-yet-written presence of one device. An offline that replaced a pending online keeps when
     * that online happened ({@code onlineAt}) and the birth message's facts, so the hardware facts and the
     * online/offline pair of a short connection are not lost by coalescing.
     */
    private record Pending(boolean online, Instant at, Presence birth, String reason, Instant onlineAt) {

        Pending mergedAfter(Pending older) {
            if (older == null) {
                return this;
            }
            if (online) {
                return birth != null || older.birth() == null ? this : new Pending(true, at, older.birth(), null, null);
            }
            Instant wasOnlineAt = older.online() ? older.at() : older.onlineAt();
            return new Pending(false, at, older.birth(), reason, wasOnlineAt);
        }
    }

    private final DeviceRepository devices;
    private final EventBus events;
    private final Jdbc jdbc;
    private final Clock clock;
    private final Object progress = new Object();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<String> ready = new LinkedBlockingQueue<>();
    private final LongAdder written = new LongAdder();
    private volatile int inFlight;
    private final Thread worker;
    private volatile boolean running = true;
    private volatile boolean shuttingDown;
    private volatile boolean closed;

    @Inject
    public PresenceTracker(DeviceRepository devices, EventBus events, Jdbc jdbc, Clock clock) {
        this.devices = devices;
        this.events = events;
        this.jdbc = jdbc;
        this.clock = clock;
        resetLeftOnline();
        this.worker = new Thread(this::run, "fleetlet-presence");
        this.worker.setDaemon(true);
        this.worker.start();
    }

    @Override
    public void online(String deviceId, Instant at, Presence birth) {
        enqueue(deviceId, new Pending(true, at, birth, null, null));
    }

    @Override
    public void offline(String deviceId, Instant at, String reason) {
        enqueue(deviceId, new Pending(false, at, null, shuttingDown ? SERVER_SHUTDOWN : reason, null));
    }

    private void enqueue(String deviceId, Pending state) {
        if (deviceId == null || closed) {
            return;
        }
        boolean[] fresh = new boolean[1];
        pending.compute(deviceId, (id, older) -> {
            fresh[0] = older == null;
            return state.mergedAfter(older);
        });
        if (fresh[0]) {
            ready.add(deviceId);
        }
    }

    /** Devices whose latest presence is not written yet (pending or being written), for tests and metrics. */
    public int backlog() {
        return inFlight + pending.size();
    }

    /** Device presence states written since start (after coalescing), for tests and metrics. */
    public long written() {
        return written.sum();
    }

    private void run() {
        List<String> ids = new ArrayList<>(MAX_BATCH);
        while (running || !ready.isEmpty()) {
            try {
                String first = ready.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                ids.add(first);
                ready.drainTo(ids, MAX_BATCH - 1);
                writeBatch(ids);
                synchronized (progress) {
                    progress.notifyAll();
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                log.error("presence worker loop error", e);
            } finally {
                ids.clear();
            }
        }
    }

    private void writeBatch(List<String> ids) {
        inFlight = ids.size();
        try {
            writeBatch(ids, new HashMap<>(ids.size() * 2));
        } finally {
            inFlight = 0;
        }
    }

    private void writeBatch(List<String> ids, Map<String, Pending> batch) {
        for (String id : ids) {
            Pending p = pending.remove(id);
            if (p != null) {
                batch.put(id, p);
            }
        }
        List<Runnable> transitions = new ArrayList<>();
        try {
            jdbc.tx(c -> {
                transitions.clear();
                for (Map.Entry<String, Pending> e : batch.entrySet()) {
                    apply(e.getKey(), e.getValue(), transitions);
                }
                return null;
            });
        } catch (RuntimeException e) {
            log.warn("presence batch failed devices={} error={}; retrying", batch.size(), e.toString());
            batch.forEach((id, p) -> {
                boolean[] requeue = new boolean[1];
                pending.compute(id, (k, newer) -> {
                    requeue[0] = newer == null;
                    return newer == null ? p : newer;
                });
                if (requeue[0]) {
                    ready.add(id);
                }
            });
            return;
        }
        written.add(batch.size());
        if (!transitions.isEmpty()) {
            try {
                // the events of a batch are stored in one transaction too
                jdbc.tx(c -> {
                    transitions.forEach(Runnable::run);
                    return null;
                });
            } catch (RuntimeException e) {
                log.warn("presence events not stored devices={} error={}", transitions.size(), e.toString());
            }
        }
    }

    /** Writes one device's state (inside the batch transaction); adds the events of real transitions. */
    private void apply(String deviceId, Pending p, List<Runnable> transitions) {
        Presence birth = p.birth();
        if (p.online() || p.onlineAt() != null) {
            DeviceHardware hw = birth == null || birth.hardware() == null ? null : DeviceHardware.from(birth.hardware());
            if (devices.markOnline(deviceId, p.online() ? p.at() : p.onlineAt(), hw)) {
                transitions.add(() -> {
                    Map<String, String> data = new HashMap<>();
                    if (birth != null && birth.bootId() != null) {
                        data.put("bootId", birth.bootId());
                    }
                    events.publish(EventTypes.ONLINE, deviceId, data);
                    log.info("device online deviceId={}", deviceId);
                });
            }
        }
        if (p.online()) {
            return;
        }
        String reason = p.reason();
        if (devices.markOffline(deviceId, p.at(), reason)) {
            transitions.add(() -> {
                events.publish(EventTypes.OFFLINE, deviceId, Map.of("reason", reason == null ? "" : reason));
                log.info("device offline deviceId={} reason={}", deviceId, reason);
            });
        }
    }

    /**
     * Marks devices that the database still shows online from a previous run offline with reason
     * {@value #SERVER_RESTART} (their last-seen time is kept). Runs before the worker starts, so before any
     * presence of this run is written; a failure is logged and leaves the rows as they were.
     */
    private void resetLeftOnline() {
        try {
            List<String> ids = jdbc.tx(c -> {
                List<String> changed = devices.markAllOffline(null, SERVER_RESTART);
                publishOffline(changed, SERVER_RESTART);
                return changed;
            });
            if (!ids.isEmpty()) {
                log.warn("devices left online by a previous run marked offline count={} reason={}", ids.size(), SERVER_RESTART);
            }
        } catch (RuntimeException e) {
            log.error("could not reset devices left online by a previous run error={}", e.toString());
        }
    }

    private void publishOffline(List<String> ids, String reason) {
        for (String id : ids) {
            events.publish(EventTypes.OFFLINE, id, Map.of("reason", reason));
        }
    }

    /**
     * From now on offline notifications carry reason {@value #SERVER_SHUTDOWN}; called when the server
     * begins to stop, before the broker drops its connections.
     */
    public void beginShutdown() {
        shuttingDown = true;
    }

    /**
     * Finishes presence at server stop; call after the broker stopped accepting clients and before the
     * database closes. Waits up to {@code bound} for the queued states to be written, then stops the worker
     * (states still queued after the bound are dropped and counted in the log) and marks every device still
     * stored as online offline with reason {@value #SERVER_SHUTDOWN} in one statement, with its events. Later
     * notifications are ignored. A database failure is logged, not thrown.
     *
     * @return the number of devices the final statement marked offline
     */
    public int shutdown(Duration bound) {
        beginShutdown();
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            synchronized (progress) {
                while (backlog() > 0 && worker.isAlive()) {
                    long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                    if (leftMs <= 0) {
                        break;
                    }
                    progress.wait(Math.min(leftMs, 50));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closed = true;
        running = false;
        int dropped = pending.size();
        ready.clear();
        pending.clear();
        try {
            worker.join(Math.max(1, bound.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (dropped > 0) {
            log.warn("presence states not written within the shutdown bound devices={} boundMs={}", dropped, bound.toMillis());
        }
        Instant now = clock.instant();
        try {
            List<String> ids = jdbc.tx(c -> {
                List<String> changed = devices.markAllOffline(now, SERVER_SHUTDOWN);
                publishOffline(changed, SERVER_SHUTDOWN);
                return changed;
            });
            log.info("presence stopped written={} markedOfflineAtShutdown={} reason={}", written.sum(), ids.size(), SERVER_SHUTDOWN);
            return ids.size();
        } catch (RuntimeException e) {
            log.error("could not mark devices offline at shutdown error={}", e.toString());
            return 0;
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        closed = true;
        running = false;
        worker.join(5_000);
    }
}
