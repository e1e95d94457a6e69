package dev.fleetlet.server.desired;

import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.server.broker.DevicePublisher;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.desired.internal.DesiredStateTable;
import dev.fleetlet.server.rollout.CatalogRelease;
import dev.fleetlet.server.rollout.ReleaseCatalog;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns each device's desired state: bumps its generation in the database, then publishes the retained
 * {@link DesiredState} through the {@link DevicePublisher}.
 *
 * <p>Durability first: the generation bump commits before anything is published, and
 * {@link #record(List)} joins the caller's transaction so the rollout engine marks a device dispatched in
 * the same commit. A crash between commit and publish is repaired by {@link #republishUnconfirmed()} at
 * start (every desired state whose generation the device has not reported yet is published again; a device
 * ignores a generation it already has, so this is harmless). Publishing runs on a few background threads
 * (a large batch is split between them) and never blocks the caller. Without a broker (MQTT disabled) nothing is published; states stay stored.
 */
public class DesiredStateService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DesiredStateService.class);
    /** Threads encoding and handing desired states to the broker (encoding and schema checks cost CPU). */
    static final int PUBLISH_THREADS = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    /** Rows per transaction in {@link #assignAll}. */
    public static final int BATCH = 500;

    private final Jdbc jdbc;
    private final Supplier<ReleaseCatalog> catalog;
    private final Supplier<DevicePublisher> publisher;
    private final Clock clock;
    private final Map<String, CatalogRelease> releases = new ConcurrentHashMap<>();
    private final ExecutorService publishing;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong publishFailures = new AtomicLong();

    /**
     * @param catalog   where release content comes from (looked up lazily; may answer null when no catalog exists)
     * @param publisher the broker's publisher, or a supplier answering null when the broker is disabled
     */
    public DesiredStateService(Jdbc jdbc, Supplier<ReleaseCatalog> catalog, Supplier<DevicePublisher> publisher, Clock clock) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.publisher = publisher;
        this.clock = clock;
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        this.publishing = Executors.newFixedThreadPool(PUBLISH_THREADS, r -> {
            Thread t = new Thread(r, "desired-publish-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Assigns one device and publishes; returns the stored state with its new generation. */
    public StoredDesiredState assign(String deviceId, String releaseId, Map<String, String> config, String cause) {
        List<StoredDesiredState> out = assignAll(List.of(new Assignment(deviceId, releaseId, config, cause)));
        return out.get(0);
    }

    /**
     * Assigns many devices: one transaction per {@value #BATCH} devices, then publishes asynchronously.
     *
     * @throws IllegalArgumentException naming {@code releaseId} when a release is unknown (nothing stored)
     */
    public List<StoredDesiredState> assignAll(List<Assignment> assignments) {
        for (Assignment a : assignments) {
            release(a.releaseId());
        }
        List<StoredDesiredState> out = new ArrayList<>(assignments.size());
        for (int from = 0; from < assignments.size(); from += BATCH) {
            List<Assignment> chunk = assignments.subList(from, Math.min(assignments.size(), from + BATCH));
            List<StoredDesiredState> stored = jdbc.tx(c -> record(c, chunk));
            out.addAll(stored);
            publish(stored);
        }
        return out;
    }

    /**
     * Bumps generations inside the caller's open transaction (or its own) without publishing; the caller
     * publishes with {@link #publish} after its commit.
     *
     * @throws IllegalArgumentException naming {@code releaseId} when a release is unknown
     */
    public List<StoredDesiredState> record(List<Assignment> assignments) {
        for (Assignment a : assignments) {
            release(a.releaseId());
        }
        return jdbc.tx(c -> record(c, assignments));
    }

    private List<StoredDesiredState> record(Connection c, List<Assignment> assignments) throws SQLException {
        return assignments.isEmpty() ? List.of() : DesiredStateTable.bump(c, assignments, clock.instant());
    }

    /** The stored desired state of a device. */
    public Optional<StoredDesiredState> find(String deviceId) {
        return Optional.ofNullable(jdbc.tx(c -> DesiredStateTable.find(c, List.of(deviceId))).get(deviceId));
    }

    /** Publishes stored states on the background thread; completes when the broker took every one (or failed). */
    public CompletableFuture<Void> publish(List<StoredDesiredState> states) {
        if (states.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        int chunk = Math.max(50, (states.size() + PUBLISH_THREADS - 1) / PUBLISH_THREADS);
        for (int from = 0; from < states.size(); from += chunk) {
            List<StoredDesiredState> part = List.copyOf(states.subList(from, Math.min(states.size(), from + chunk)));
            parts.add(CompletableFuture.supplyAsync(() -> publishNow(part), publishing).thenCompose(f -> f));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> publishNow(List<StoredDesiredState> states) {
        DevicePublisher p = publisher.get();
        if (p == null) {
            log.debug("desired states not published: broker disabled count={}", states.size());
            return CompletableFuture.completedFuture(null);
        }
        Instant now = clock.instant();
        List<CompletableFuture<Void>> all = new ArrayList<>(states.size());
        for (StoredDesiredState s : states) {
            CompletableFuture<Void> f;
            try {
                Release r = s.releaseId() == null ? null : release(s.releaseId()).release();
                f = p.publishDesiredState(new DesiredState(1, s.deviceId(), s.generation(), now, r, s.config()));
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            all.add(f.whenComplete((ok, e) -> {
                if (e == null) {
                    published.incrementAndGet();
                } else {
                    publishFailures.incrementAndGet();
                    log.warn("desired state not published deviceId={} generation={} error={}", s.deviceId(),
                            s.generation(), e.toString());
                }
            }));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null);
    }

    /**
     * Publishes again every desired state whose generation the device has not reported yet, 500 at a time;
     * returns how many. Called at start so a crash between commit and publish never makes a device miss an update.
     */
    public int republishUnconfirmed() {
        String after = "";
        int n = 0;
        while (true) {
            String from = after;
            List<StoredDesiredState> page = jdbc.tx(c -> DesiredStateTable.unconfirmed(c, from, BATCH));
            if (page.isEmpty()) {
                break;
            }
            publish(page);
            n += page.size();
            after = page.get(page.size() - 1).deviceId();
        }
        if (n > 0) {
            log.info("unconfirmed desired states published again count={}", n);
        }
        return n;
    }

    /** The release with its requirements; {@code null} id gives null. */
    public CatalogRelease release(String releaseId) {
        if (releaseId == null) {
            return null;
        }
        CatalogRelease r = releases.get(releaseId);
        if (r != null) {
            return r;
        }
        ReleaseCatalog c = catalog.get();
        if (c == null) {
            throw new IllegalArgumentException("releaseId: no release catalog is configured, cannot find " + releaseId);
        }
        r = c.find(releaseId).orElseThrow(() -> new IllegalArgumentException("releaseId: unknown release " + releaseId));
        releases.put(releaseId, r);
        return r;
    }

    /** Desired states the broker accepted since start. */
    public long publishedCount() {
        return published.get();
    }

    /** Desired states that could not be published since start. */
    public long publishFailureCount() {
        return publishFailures.get();
    }

    @Override
    public void close() {
        publishing.shutdown();
    }
}
