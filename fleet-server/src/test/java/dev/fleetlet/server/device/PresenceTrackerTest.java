package dev.fleetlet.server.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.protocol.message.HardwareFacts;
import dev.fleetlet.protocol.message.Presence;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.device.internal.JdbcDeviceRepository;
import dev.fleetlet.server.events.EventBus;
import dev.fleetlet.server.events.EventTypes;
import dev.fleetlet.server.events.FleetEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;

class PresenceTrackerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final int DEVICES = 2_000;

    @TempDir
    Path dir;

    private Jdbc jdbc;
    private JdbcDeviceRepository devices;
    private final RecordingBus events = new RecordingBus();
    private PresenceTracker tracker;

    @BeforeEach
    void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("presence") + ";DB_CLOSE_DELAY=-1;WRITE_DELAY=0");
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new Jdbc(ds);
        devices = new JdbcDeviceRepository(jdbc);
        jdbc.tx(c -> {
            for (int i = 0; i < DEVICES; i++) {
                devices.insert(new NewDevice(id(i), "SER-" + i, "SER-" + i, "lab", Map.of(), null, "h", T0));
            }
            return null;
        });
        tracker = new PresenceTracker(devices, events, jdbc, Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        tracker.stop();
    }

    @Test
    void tenThousandNotificationsFromSeveralThreadsEndInEachDevicesLastStateWithoutDrops() throws Exception {
        // given 2,000 registered devices and 4 threads, each owning a quarter of the devices
        int threads = 4;
        int rounds = 5;
        Map<String, Boolean> last = new ConcurrentHashMap<>();
        AtomicInteger fired = new AtomicInteger();

        // when 10,000 online/offline notifications are fired at once
        long started = System.nanoTime();
        fire(threads, rounds, last, fired);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> tracker.backlog() == 0);
        double settledS = (System.nanoTime() - started) / 1e9;

        // then every device shows exactly its last notified state
        assertThat(fired.get()).isEqualTo(DEVICES * rounds);
        Map<String, Boolean> stored = storedOnline();
        assertThat(stored).hasSize(DEVICES);
        assertThat(stored.entrySet().stream().filter(e -> !e.getValue().equals(last.get(e.getKey()))).count())
                .as("devices whose stored state differs from the last notification").isZero();
        // and 10,000 notifications settle well within a generous bound (one commit per device took ~10x longer)
        System.out.printf("presence: %d notifications for %d devices settled in %.2f s, %d device writes%n",
                fired.get(), DEVICES, settledS, tracker.written());
        assertThat(settledS).as("seconds to settle").isLessThan(8.0);
        assertThat(tracker.written()).isLessThanOrEqualTo(fired.get());
    }

    @Test
    void aBurstOfFiftyThousandNotificationsKeepsTheBacklogBoundedByTheDeviceCount() throws Exception {
        // given 2,000 devices
        Map<String, Boolean> last = new ConcurrentHashMap<>();
        AtomicInteger fired = new AtomicInteger();
        List<Integer> backlogs = new CopyOnWriteArrayList<>();
        ExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        ((java.util.concurrent.ScheduledExecutorService) sampler).scheduleAtFixedRate(
                () -> backlogs.add(tracker.backlog()), 0, 5, TimeUnit.MILLISECONDS);
        try {
            // when 50,000 notifications arrive (25 per device), far more than any fixed-size queue of events held
            fire(5, 25, last, fired);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> tracker.backlog() == 0);
        } finally {
            sampler.shutdownNow();
        }

        // then nothing is lost and pending work never exceeded one entry per device plus the batch being written
        Map<String, Boolean> stored = storedOnline();
        assertThat(stored).hasSize(DEVICES);
        assertThat(stored.entrySet().stream().filter(e -> !e.getValue().equals(last.get(e.getKey()))).count())
                .as("devices whose stored state differs from the last notification").isZero();
        assertThat(backlogs).isNotEmpty().allSatisfy(b -> assertThat(b).isLessThanOrEqualTo(DEVICES + PresenceTracker.MAX_BATCH));
    }

    @Test
    void publishesEventsOnlyForRealTransitions() {
        // given an offline device
        String id = id(7);

        // when it is reported online twice, then offline twice, each settling before the next
        for (boolean online : new boolean[] {true, true, false, false}) {
            if (online) {
                tracker.online(id, T0.plusSeconds(1), null);
            } else {
                tracker.offline(id, T0.plusSeconds(2), "connection-lost");
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> tracker.backlog() == 0
                    && devices.find(id).orElseThrow().online() == online);
        }

        // then exactly one online and one offline event were published
        await().atMost(Duration.ofSeconds(5)).until(() -> events.published.size() >= 2);
        assertThat(events.published).extracting(FleetEvent::type).containsExactly(EventTypes.ONLINE, EventTypes.OFFLINE);
        assertThat(devices.find(id).orElseThrow().online()).isFalse();
    }

    @Test
    void aShortConnectionKeepsItsBirthFactsAndItsOnlineOfflinePairWhenCoalesced() {
        // given an offline device, and many devices' updates in the queue ahead of it
        String id = id(11);
        for (int i = 100; i < 1_100; i++) {
            tracker.online(id(i), T0, null);
        }

        // when it connects, sends its birth message and drops off, faster than the writer (so they coalesce)
        tracker.online(id, T0.plusSeconds(1), null);
        tracker.online(id, T0.plusSeconds(2), Presence.birth(id, T0.plusSeconds(2), true, "boot-9",
                new HardwareFacts("SER-11", "Raspberry Pi 5", "arm64", "v8", 8192, "6.6", "Debian 12", "0.2.0", List.of("gpio"))));
        tracker.offline(id, T0.plusSeconds(3), "connection-lost");
        await().atMost(Duration.ofSeconds(10)).until(() -> tracker.backlog() == 0);

        // then it is offline with the birth's hardware facts, and both transitions were published in order
        Device device = devices.find(id).orElseThrow();
        assertThat(device.online()).isFalse();
        assertThat(device.offlineReason()).isEqualTo("connection-lost");
        assertThat(device.hardware().model()).isEqualTo("Raspberry Pi 5");
        assertThat(events.published).filteredOn(e -> e.deviceId().equals(id)).extracting(FleetEvent::type)
                .containsExactly(EventTypes.ONLINE, EventTypes.OFFLINE);
    }

    @Test
    void ignoresUnknownDevices() {
        // when an unknown device is reported online
        tracker.online("no-such-device", T0, null);
        tracker.online(id(1), T0, null);

        // then the known one is written, the unknown one neither fails the batch nor publishes anything
        await().atMost(Duration.ofSeconds(5)).until(() -> devices.find(id(1)).orElseThrow().online());
        assertThat(tracker.backlog()).isZero();
        assertThat(events.published).extracting(FleetEvent::deviceId).containsExactly(id(1));
    }

    @Test
    void shutdownWritesQueuedStatesThenMarksEveryStillOnlineDeviceOfflineWithServerShutdown() {
        // given 500 devices stored online and 1,500 more whose online notification is still queued
        for (int i = 0; i < 500; i++) {
            tracker.online(id(i), T0, null);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> tracker.backlog() == 0);
        for (int i = 500; i < DEVICES; i++) {
            tracker.online(id(i), T0.plusSeconds(1), null);
        }
        tracker.offline(id(3), T0.plusSeconds(2), "connection-lost");

        // when the server stops
        tracker.shutdown(Duration.ofSeconds(10));

        // then no device is online, all carry the shutdown reason, and later notifications are ignored
        tracker.online(id(4), T0.plusSeconds(3), null);
        assertThat(storedOnline().values()).hasSize(DEVICES).containsOnly(false);
        List<String> reasons = jdbc.query("SELECT DISTINCT offline_reason FROM devices WHERE id <> ?", rs -> rs.getString(1), id(3));
        assertThat(reasons).containsExactly(PresenceTracker.SERVER_SHUTDOWN);
        assertThat(devices.find(id(3)).orElseThrow().offlineReason()).isEqualTo("connection-lost");
        assertThat(events.published).filteredOn(e -> e.type().equals(EventTypes.OFFLINE)).hasSize(DEVICES);
    }

    @Test
    void shutdownWithAZeroBoundStillLeavesNoDeviceOnline() {
        // given 2,000 online notifications queued, a writer far from done
        for (int i = 0; i < DEVICES; i++) {
            tracker.online(id(i), T0, null);
        }

        // when the server stops without waiting for the queue
        tracker.shutdown(Duration.ZERO);

        // then whatever the writer managed, the final statement leaves every device offline
        assertThat(storedOnline().values()).hasSize(DEVICES).containsOnly(false);
    }

    @Test
    void devicesLeftOnlineByACrashedRunAreMarkedOfflineWhenTheTrackerStarts() throws InterruptedException {
        // given a run that ended without a clean stop: 30 devices stored online, one of them decommissioned
        tracker.stop();
        jdbc.update("UPDATE devices SET online = TRUE, last_seen = ?, offline_reason = NULL WHERE id < ?", T0, id(30));
        devices.decommission(id(0), T0);
        jdbc.update("UPDATE devices SET online = TRUE WHERE id = ?", id(0));

        // when the next run's tracker starts
        tracker = new PresenceTracker(devices, events, jdbc, Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));

        // then the active ones are offline with reason server_restart, their last-seen time kept, one event each
        assertThat(devices.count(DeviceStatus.ONLINE)).isZero();
        Device d = devices.find(id(7)).orElseThrow();
        assertThat(d.offlineReason()).isEqualTo(PresenceTracker.SERVER_RESTART);
        assertThat(d.lastSeen()).isEqualTo(T0);
        assertThat(events.published).extracting(FleetEvent::type).containsOnly(EventTypes.OFFLINE).hasSize(29);
        assertThat(events.published).extracting(e -> e.data().get("reason")).containsOnly(PresenceTracker.SERVER_RESTART);
    }

    private void fire(int threads, int rounds, Map<String, Boolean> last, AtomicInteger fired) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int self = t;
            Thread w = new Thread(() -> {
                Random random = new Random(self);
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int r = 0; r < rounds; r++) {
                    for (int d = self; d < DEVICES; d += threads) {
                        String id = id(d);
                        boolean online = random.nextBoolean();
                        Instant at = T0.plusSeconds(r);
                        if (online) {
                            tracker.online(id, at, null);
                        } else {
                            tracker.offline(id, at, "connection-lost");
                        }
                        last.put(id, online);
                        fired.incrementAndGet();
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
    }

    private Map<String, Boolean> storedOnline() {
        Map<String, Boolean> out = new HashMap<>();
        jdbc.query("SELECT id, online FROM devices", rs -> out.put(rs.getString(1), rs.getBoolean(2)));
        return out;
    }

    private static String id(int i) {
        return String.format("dev-%05d", i);
    }

    private static final class RecordingBus implements EventBus {
        final List<FleetEvent> published = new CopyOnWriteArrayList<>();

        @Override
        public FleetEvent publish(String type, String deviceId, Map<String, String> data) {
            FleetEvent e = new FleetEvent(published.size() + 1, type, deviceId, T0, data);
            published.add(e);
            return e;
        }

        @Override
        public Publisher<FleetEvent> stream() {
            return subscriber -> { };
        }
    }
}
