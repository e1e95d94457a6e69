package dev.fleetlet.agent;

import dev.fleetlet.agent.mqtt.MqttSession;
import dev.fleetlet.agent.systemd.ServiceNotifier;
import dev.fleetlet.agent.systemd.Watchdog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's life cycle as told to systemd (sd_notify): {@code READY=1} once the configuration is loaded,
 * {@code STATUS=} at each stage (starting, enrolling, connecting, connected, offline/retrying),
 * {@code WATCHDOG=1} while {@link #healthy()}, {@code STOPPING=1} from the shutdown hook.
 *
 * <p>Every message is sent from one own thread ({@code systemd-notify}), in order, so a slow
 * {@code systemd-notify} run never blocks the MQTT callback thread or the enrollment loop; the watchdog
 * ticks on that thread too. Outside systemd the notifier is a no-op and nothing is scheduled but that thread.
 *
 * <p>Health check (what makes the watchdog withhold its ping, so systemd restarts a hung agent):
 * <ul>
 *   <li>Before {@link #running}: the JVM and this thread are alive. The enrollment loop is bounded by its
 *       own request timeout and back-off; it can legitimately wait for hours.</li>
 *   <li>After {@link #running}: (1) the agent's timer thread (batch flush, queue fsync) called {@link #beat()}
 *       within one watchdog interval (half {@code WatchdogSec=}) plus {@link #BEAT_PERIOD}: a flush or fsync stuck on
 *       a lock or a hung disk stops it; (2) every thread named in {@code requiredThreads} (the telemetry publisher and
 *       the state reconciler) is alive: one that died of an unexpected error is not restarted in-process.</li>
 * </ul>
 */
final class ServiceLifecycle implements MqttSession.Listener, AutoCloseable {

    /** How often the agent timer must record progress at least; far below any sensible watchdog interval. */
    static final Duration BEAT_PERIOD = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(ServiceLifecycle.class);

    private final ServiceNotifier notifier;
    private final Clock clock;
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "systemd-notify");
        t.setDaemon(true);
        return t;
    });
    private volatile Instant lastBeat;
    private volatile Set<String> requiredThreads = Set.of();
    private volatile boolean running;
    private volatile String deviceId = "";

    ServiceLifecycle(ServiceNotifier notifier, Clock clock) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastBeat = clock.instant();
    }

    /** The configuration is loaded: {@code READY=1}, status "starting", and the watchdog starts ticking. */
    void configured() {
        sender.execute(() -> {
            notifier.ready();
            notifier.status("starting");
        });
        Watchdog.schedule(notifier, this::healthy, sender);
    }

    /** The enrollment loop begins (it retries until the fleet server accepts the device). */
    void enrolling() {
        status("enrolling: waiting for the fleet server to accept this device");
    }

    /**
     * Everything is started: the health check now also asks for a progress {@link #beat()} from the agent's timer (at
     * least every {@link #BEAT_PERIOD}; the timer calls it in its own tick, so it costs no wake-up of its own) and for
     * the named threads to be alive.
     */
    void running(String deviceId, List<String> requiredThreads) {
        this.deviceId = deviceId;
        this.requiredThreads = Set.copyOf(requiredThreads);
        beat();
        running = true;
        status("running, connecting to the broker deviceId=" + deviceId);
    }

    /** Records that the agent timer made progress. */
    void beat() {
        lastBeat = clock.instant();
    }

    /** See the class comment. */
    boolean healthy() {
        if (!running) {
            return true;
        }
        Duration limit = notifier.watchdogInterval().orElse(Duration.ofSeconds(30)).plus(BEAT_PERIOD);
        Duration since = Duration.between(lastBeat, clock.instant());
        if (since.compareTo(limit) > 0) {
            log.warn("agent timer made no progress sinceMs={} limitMs={}", since.toMillis(), limit.toMillis());
            return false;
        }
        Set<String> alive = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
        List<String> dead = requiredThreads.stream().filter(n -> !alive.contains(n)).sorted().toList();
        if (!dead.isEmpty()) {
            log.warn("agent threads not running threads={}", dead);
            return false;
        }
        return true;
    }

    @Override
    public void connected() {
        status("connected deviceId=" + deviceId);
    }

    @Override
    public void disconnected(String reason) {
        status("offline, retrying the broker deviceId=" + deviceId + " reason=" + reason);
    }

    /** {@code STOPPING=1}; waits up to 5 s for it to be sent, as the JVM is about to exit. */
    void stopping() {
        try {
            Future<?> sent = sender.submit(notifier::stopping);
            sent.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            log.warn("STOPPING=1 not confirmed error={}", e.toString());
        }
    }

    private void status(String text) {
        try {
            sender.execute(() -> notifier.status(text));
        } catch (RejectedExecutionException e) {
            log.debug("status after close not sent status={}", text);
        }
    }

    /** Stops the watchdog and the sender thread. */
    @Override
    public void close() {
        sender.shutdownNow();
    }
}
