package dev.fleetlet.server.device;

import dev.fleetlet.protocol.message.Presence;
import dev.fleetlet.server.broker.PresenceListener;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.events.EventBus;
import dev.fleetlet.server.events.EventTypes;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
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
 */
@Singleton
public class PresenceTracker implements PresenceListener {

    private static final Logger log = LoggerFactory.getLogger(PresenceTracker.class);
    static final int MAX_BATCH = 1_000;

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
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<String> ready = new LinkedBlockingQueue<>();
    private final LongAdder written = new LongAdder();
    private volatile int inFlight;
    private final Thread worker;
    private volatile boolean running = true;

    @Inject
    public PresenceTracker(DeviceRepository devices, EventBus events, Jdbc jdbc) {
        this.devices = devices;
        this.events = events;
        this.jdbc = jdbc;
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
        enqueue(deviceId, new Pending(false, at, null, reason, null));
    }

    private void enqueue(String deviceId, Pending state) {
        if (deviceId == null) {
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

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        worker.join(5_000);
    }
}
