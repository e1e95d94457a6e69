package dev.fleetlet.server.device;

import dev.fleetlet.protocol.message.Presence;
import dev.fleetlet.server.broker.PresenceListener;
import dev.fleetlet.server.events.EventBus;
import dev.fleetlet.server.events.EventTypes;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry's presence (online, last seen, offline reason, hardware facts from birth messages) in
 * step with the broker. Calls return at once: the work is queued to one worker thread, which keeps the order
 * per device and takes the database writes off the broker threads. Transitions publish
 * {@code device.online}/{@code device.offline}. Unknown or decommissioned devices are ignored. If the queue
 * (10,000 entries) is full, the update is dropped with a warning; the next connect corrects the state.
 */
@Singleton
public class PresenceTracker implements PresenceListener {

    private static final Logger log = LoggerFactory.getLogger(PresenceTracker.class);

    private final DeviceRepository devices;
    private final EventBus events;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "fleetlet-presence");
                t.setDaemon(true);
                return t;
            });

    public PresenceTracker(DeviceRepository devices, EventBus events) {
        this.devices = devices;
        this.events = events;
    }

    @Override
    public void online(String deviceId, Instant at, Presence birth) {
        submit(deviceId, () -> {
            DeviceHardware hw = birth == null || birth.hardware() == null ? null : DeviceHardware.from(birth.hardware());
            if (devices.markOnline(deviceId, at, hw)) {
                Map<String, String> data = new HashMap<>();
                if (birth != null && birth.bootId() != null) {
                    data.put("bootId", birth.bootId());
                }
                events.publish(EventTypes.ONLINE, deviceId, data);
                log.info("device online deviceId={}", deviceId);
            }
        });
    }

    @Override
    public void offline(String deviceId, Instant at, String reason) {
        submit(deviceId, () -> {
            if (devices.markOffline(deviceId, at, reason)) {
                events.publish(EventTypes.OFFLINE, deviceId, Map.of("reason", reason == null ? "" : reason));
                log.info("device offline deviceId={} reason={}", deviceId, reason);
            }
        });
    }

    private void submit(String deviceId, Runnable work) {
        try {
            worker.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    log.warn("presence update failed deviceId={}", deviceId, e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("presence update dropped, queue full deviceId={}", deviceId);
        }
    }

    /** Pending presence updates, for tests and metrics. */
    public int backlog() {
        return worker.getQueue().size() + worker.getActiveCount();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        worker.shutdown();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
