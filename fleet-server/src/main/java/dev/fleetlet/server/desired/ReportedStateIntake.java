package dev.fleetlet.server.desired;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.server.broker.DeviceStateSink;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.events.EventBus;
import dev.fleetlet.server.rollout.Observation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DeviceStateSink}: broker threads enqueue (bounded, never blocking: a full queue drops and
 * counts); one writer thread drains up to 1,000 items at a time and, per batch, upserts the latest reported
 * state per device ({@code device_reported_state}), stores device events not seen before (de-duplicated
 * by device and seq through {@code device_event_seqs}) in {@code device_events} and the event bus (SSE),
 * publishes {@code device.state-changed} when a device's status, release or generation changed, and hands
 * the rollout {@link Observation}s to the observation consumer (the rollout engine). Reports and events
 * whose generation is lower than the device's current desired generation ({@code device_desired_state})
 * are stale (re-published after a reconnect) and become no observation. A batch's events and state changes go to
 * the bus (which stores each in {@code device_events}) inside the batch's one transaction, together with the
 * de-duplication keys of its events, not one commit per event; live subscribers may see them just before that
 * commit. When the batch's transaction fails nothing of it is kept and each item is written again alone, so an
 * item that cannot be stored (or a fault that has passed) costs only that item: it is counted ({@link #failed()};
 * the first and every 1,000th logged), and an event not stored is stored when the device sends it again. The reported {@code system} health
 * is stored as JSON next to the services; after each batch the latest report per device goes to the report
 * listeners ({@link #addReportListener}, e.g. the alerts service), on the writer thread.
 */
public class ReportedStateIntake implements DeviceStateSink, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReportedStateIntake.class);
    public static final String STATE_CHANGED = "device.state-changed";

    private record Item(ReportedState state, DeviceEvent event, Instant at) {
    }

    private final Jdbc jdbc;
    private final EventBus bus;
    private final Consumer<List<Observation>> observations;
    private final BlockingQueue<Item> queue;
    private final Thread writer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ObjectMapper json = ProtocolCodec.newMapper();
    private final List<Consumer<List<ReportedState>>> reportListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    public ReportedStateIntake(Jdbc jdbc, EventBus bus, Consumer<List<Observation>> observations, int capacity) {
        this.jdbc = jdbc;
        this.bus = bus;
        this.observations = observations;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::run, "reported-state-writer");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void reported(ReportedState state, Instant receivedAt) {
        offer(new Item(state, null, receivedAt));
    }

    @Override
    public void event(DeviceEvent event, Instant receivedAt) {
        offer(new Item(null, event, receivedAt));
    }

    private void offer(Item item) {
        if (!queue.offer(item)) {
            long n = dropped.incrementAndGet();
            if (n % 1000 == 1) {
                log.warn("reported state intake full, dropping dropped={}", n);
            }
        }
    }

    /**
     * Adds a listener given the latest stored report of each device of every batch, after the batch's
     * transaction committed, on the writer thread; a listener that throws is logged and does not stop the
     * others.
     */
    public void addReportListener(Consumer<List<ReportedState>> listener) {
        reportListeners.add(listener);
    }

    /** Items dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Items (reports and events) that could not be stored, even written alone after their batch failed (the first
     * and every 1,000th are logged). Their observations never reach the rollout engine.
     */
    public long failed() {
        return failed.get();
    }

    /** Items waiting to be written. */
    public int backlog() {
        return queue.size();
    }

    private void run() {
        List<Item> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Item first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 999);
                store(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("reported state batch not stored size={}", batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }

    /** What a committed batch hands on: observations for the engine and the latest report per device. */
    private record Written(List<Observation> observations, List<ReportedState> reports) {
    }

    /**
     * Stores a batch in one transaction; when that fails (nothing of it is kept), each item alone, so that one
     * item that cannot be stored loses only itself. Hands on what was stored after each commit.
     */
    private void store(List<Item> batch) {
        try {
            deliver(write(batch));
            return;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                notStored(batch.get(0), e);
                return;
            }
            log.warn("reported state batch not stored, storing its items one by one size={} error={}", batch.size(),
                    e.toString());
        }
        for (Item i : batch) {
            Written w;
            try {
                w = write(List.of(i));
            } catch (RuntimeException e) {
                notStored(i, e);
                continue;
            }
            deliver(w);
        }
    }

    /** Counts an item that could not be stored; logs the first and every 1,000th (a database outage fails them all). */
    private void notStored(Item i, RuntimeException e) {
        long n = failed.incrementAndGet();
        if (n % 1000 == 1) {
            String deviceId = i.state() != null ? i.state().deviceId() : i.event().deviceId();
            log.error("reported state item not stored deviceId={} kind={} failed={}", deviceId,
                    i.state() != null ? "reported" : "event", n, e);
        }
    }

    /** Stores the batch in one transaction and returns what it hands on; throws when the transaction failed. */
    private Written write(List<Item> batch) {
        Map<String, Item> latest = new LinkedHashMap<>();
        List<Item> events = new ArrayList<>();
        List<Observation> obs = new ArrayList<>();
        for (Item i : batch) {
            if (i.state() != null) {
                latest.put(i.state().deviceId(), i);
            } else {
                events.add(i);
            }
        }
        List<ReportedState> changed = new ArrayList<>();
        Map<String, Long> sent = new HashMap<>();
        List<Item> fresh = jdbc.tx(c -> {
            sent.putAll(desiredGenerations(c, batch));
            changed.addAll(upsert(c, new ArrayList<>(latest.values())));
            List<Item> stored = newEvents(c, events);
            // the events (the bus appends each to device_events) commit with their de-duplication keys: a commit
            // per event cost more than everything else the batch does when thousands of devices report at once,
            // and keys committed without their events would make a re-sent event look stored already
            publishEvents(stored, changed);
            return stored;
        });
        for (Item i : batch) {
            if (i.state() != null && current(i.state().deviceId(), i.state().generation(), sent)) {
                ObservationMapping.of(i.state(), i.at()).ifPresent(obs::add);
            }
        }
        for (Item e : fresh) {
            if (current(e.event().deviceId(), e.event().generation(), sent)) {
                ObservationMapping.of(e.event(), e.at()).ifPresent(obs::add);
            }
        }
        obs.sort((a, b) -> a.at().compareTo(b.at()));
        return new Written(obs, latest.values().stream().map(Item::state).toList());
    }

    /** Hands a committed batch's observations to the engine and its reports to the listeners. */
    private void deliver(Written w) {
        if (!w.observations().isEmpty()) {
            try {
                observations.accept(w.observations());
            } catch (RuntimeException e) {
                log.error("observation consumer failed observations={}", w.observations().size(), e);
            }
        }
        if (!w.reports().isEmpty()) {
            List<ReportedState> reports = w.reports();
            for (Consumer<List<ReportedState>> l : reportListeners) {
                try {
                    l.accept(reports);
                } catch (RuntimeException e) {
                    log.error("report listener failed reports={}", reports.size(), e);
                }
            }
        }
    }

    /** Puts the batch's new device events and state changes on the event bus (stored and streamed). */
    private void publishEvents(List<Item> fresh, List<ReportedState> changed) {
        for (Item e : fresh) {
            DeviceEvent ev = e.event();
            Map<String, String> data = new HashMap<>();
            put(data, "seq", Long.toString(ev.seq()));
            put(data, "generation", ev.generation() == null ? null : ev.generation().toString());
            put(data, "releaseId", ev.releaseId());
            put(data, "message", ev.message());
            if (ev.progress() != null && ev.progress().percent() != null) {
                put(data, "percent", ev.progress().percent().toString());
            }
            bus.publish("device." + ev.type().wire(), ev.deviceId(), data);
        }
        for (ReportedState s : changed) {
            Map<String, String> data = new HashMap<>();
            put(data, "generation", Long.toString(s.generation()));
            put(data, "status", s.status().wire());
            put(data, "releaseId", s.releaseId());
            put(data, "reason", s.reason());
            bus.publish(STATE_CHANGED, s.deviceId(), data);
        }
    }

    /**
     * Whether a report of {@code generation} can speak about what the device was last sent: a report for an
     * older generation (an agent re-publishes its last state after every reconnect) says nothing about the
     * desired state sent since, so it is stored as the latest reported state but becomes no observation.
     * Reports without a generation, and devices never sent a desired state, pass.
     */
    static boolean current(String deviceId, Long generation, Map<String, Long> sent) {
        Long desired = sent.get(deviceId);
        return generation == null || desired == null || generation >= desired;
    }

    /** The generation of each batch device's current desired state ({@code device_desired_state}), read only. */
    private static Map<String, Long> desiredGenerations(Connection c, List<Item> batch) throws SQLException {
        java.util.Set<String> ids = new java.util.LinkedHashSet<>();
        for (Item i : batch) {
            ids.add(i.state() != null ? i.state().deviceId() : i.event().deviceId());
        }
        List<String> all = new ArrayList<>(ids);
        Map<String, Long> out = new HashMap<>();
        for (int from = 0; from < all.size(); from += 500) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
            Jdbc.query(c, "SELECT device_id, generation FROM device_desired_state WHERE device_id IN ("
                    + "?,".repeat(chunk.size() - 1) + "?)", rs -> out.put(rs.getString(1), rs.getLong(2)),
                    chunk.toArray());
        }
        return out;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** Upserts the latest reported states; returns those whose generation, status or release changed. */
    private List<ReportedState> upsert(Connection c, List<Item> items) throws SQLException {
        if (items.isEmpty()) {
            return List.of();
        }
        Map<String, String[]> before = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (Item i : items) {
            ids.add(i.state().deviceId());
        }
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            Jdbc.query(c, "SELECT device_id, generation, status, release_id FROM device_reported_state WHERE device_id IN ("
                    + "?,".repeat(chunk.size() - 1) + "?)", rs -> before.put(rs.getString(1),
                    new String[] {Long.toString(rs.getLong(2)), rs.getString(3), rs.getString(4)}), chunk.toArray());
        }
        List<ReportedState> changed = new ArrayList<>();
        try (PreparedStatement up = c.prepareStatement("UPDATE device_reported_state SET generation = ?, status = ?, "
                + "release_id = ?, previous_release_id = ?, reason = ?, services = ?, reported_at = ?, system_health = ? "
                + "WHERE device_id = ?");
             PreparedStatement in = c.prepareStatement("INSERT INTO device_reported_state (generation, status, release_id, "
                     + "previous_release_id, reason, services, reported_at, system_health, device_id) "
                     + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            boolean ups = false;
            boolean ins = false;
            for (Item i : items) {
                ReportedState s = i.state();
                String[] old = before.get(s.deviceId());
                PreparedStatement ps = old == null ? in : up;
                ps.setLong(1, s.generation());
                ps.setString(2, s.status().wire());
                ps.setString(3, s.releaseId());
                ps.setString(4, s.previousReleaseId());
                ps.setString(5, truncate(s.reason(), 2000));
                ps.setString(6, truncate(services(s), 20000));
                ps.setObject(7, OffsetDateTime.ofInstant(i.at(), ZoneOffset.UTC));
                ps.setString(8, system(s));
                ps.setString(9, s.deviceId());
                ps.addBatch();
                if (old == null) {
                    ins = true;
                } else {
                    ups = true;
                }
                if (old == null || !old[0].equals(Long.toString(s.generation())) || !old[1].equals(s.status().wire())
                        || !Objects.equals(old[2], s.releaseId())) {
                    changed.add(s);
                }
            }
            if (ups) {
                up.executeBatch();
            }
            if (ins) {
                in.executeBatch();
            }
        }
        return changed;
    }

    private List<Item> newEvents(Connection c, List<Item> events) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        List<Item> fresh = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO device_event_seqs (device_id, seq, received_at) "
                + "SELECT CAST(? AS VARCHAR(64)), CAST(? AS BIGINT), CAST(? AS TIMESTAMP WITH TIME ZONE) "
                + "WHERE NOT EXISTS (SELECT 1 FROM device_event_seqs WHERE device_id = ? AND seq = ?)")) {
            java.util.Set<String> inBatch = new java.util.HashSet<>();
            List<Item> candidates = new ArrayList<>();
            for (Item i : events) {
                DeviceEvent e = i.event();
                if (!inBatch.add(e.deviceId() + "\n" + e.seq())) {
                    continue;
                }
                candidates.add(i);
                ps.setString(1, e.deviceId());
                ps.setLong(2, e.seq());
                ps.setObject(3, OffsetDateTime.ofInstant(i.at(), ZoneOffset.UTC));
                ps.setString(4, e.deviceId());
                ps.setLong(5, e.seq());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int k = 0; k < counts.length; k++) {
                if (counts[k] != 0) {
                    fresh.add(candidates.get(k));
                }
            }
        }
        return fresh;
    }

    private String services(ReportedState s) {
        try {
            return json.writeValueAsString(s.services());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "[]";
        }
    }

    /** The system health as JSON, or null when absent or (implausibly) longer than its column. */
    private String system(ReportedState s) {
        if (s.system() == null) {
            return null;
        }
        try {
            String text = json.writeValueAsString(s.system());
            return text.length() <= 4000 ? text : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
