package dev.fleetlet.agent.telemetry;

import dev.fleetlet.agent.mqtt.MqttSession;
import dev.fleetlet.agent.queue.QueuedRecord;
import dev.fleetlet.agent.queue.StoreAndForwardQueue;
import dev.fleetlet.protocol.Topics;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes queued telemetry batches in sequence order with QoS 1, from the queue head, and acknowledges
 * them in the queue only on PUBACK (cumulatively: the cursor advances over the contiguous prefix of
 * acknowledged sequence numbers). After every (re)connect it starts again after the last acknowledged
 * batch, so the backlog drains oldest first before newer data; a batch published twice is de-duplicated
 * by the server on {@code (stream, seq)}. Runs on its own daemon thread.
 */
public final class TelemetryPublisher implements MqttSession.Listener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TelemetryPublisher.class);
    /**
     * How long the idle loop sleeps without a {@link #wake()} (appends, PUBACK failures and connection changes all
     * wake it): only a safety net, long so an idle agent does not wake up every second for nothing.
     */
    private static final long IDLE_WAIT_MILLIS = 30_000;

    private final MqttSession session;
    private final StoreAndForwardQueue queue;
    private final String topic;
    private final TreeSet<Long> completed = new TreeSet<>();
    private final Object signal = new Object();
    /** Set by {@link #wake()} under {@code signal}, cleared by the waiting loop: a wake-up is never lost. */
    private boolean woken;
    private volatile boolean running = true;
    private volatile long epoch;
    private long acked;
    private Thread thread;

    public TelemetryPublisher(String deviceId, MqttSession session, StoreAndForwardQueue queue) {
        this.session = session;
        this.queue = queue;
        this.topic = Topics.telemetry(deviceId);
        this.acked = queue.stats().ackedSeq();
    }

    public void start() {
        thread = new Thread(this::run, "telemetry-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Wakes the publisher: a batch was appended. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    @Override
    public void connected() {
        epoch++;
        wake();
    }

    @Override
    public void disconnected(String reason) {
        wake();
    }

    private void run() {
        long seenEpoch = -1;
        long sent = 0;
        while (running) {
            try {
                if (!session.isConnected()) {
                    await(IDLE_WAIT_MILLIS);
                    continue;
                }
                if (seenEpoch != epoch) {
                    seenEpoch = epoch;
                    sent = currentAck(); // resend everything not yet acknowledged, oldest first
                }
                Optional<QueuedRecord> next = queue.next(sent);
                if (next.isEmpty()) {
                    await(IDLE_WAIT_MILLIS);
                    continue;
                }
                QueuedRecord record = next.get();
                long seq = record.seq();
                session.publish(topic, record.payload(), 1, false).whenComplete((ok, error) -> {
                    if (error == null) {
                        onPuback(seq);
                    } else {
                        log.debug("telemetry publish not acknowledged seq={} error={}", seq, error.toString());
                        wake();
                    }
                });
                sent = seq;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("telemetry publisher error, retrying error={}", e.toString());
                await(1000);
            }
        }
    }

    private synchronized long currentAck() {
        return Math.max(acked, queue.stats().ackedSeq());
    }

    private synchronized void onPuback(long seq) {
        if (seq <= acked) {
            return;
        }
        completed.add(seq);
        // the queue may have skipped damaged or dropped records: the oldest record still there defines "next"
        long before = acked;
        while (!completed.isEmpty()) {
            long first = completed.first();
            Optional<QueuedRecord> expected = queue.next(acked);
            if (expected.isPresent() && expected.get().seq() == first) {
                acked = first;
                completed.pollFirst();
            } else {
                break;
            }
        }
        if (acked > before) {
            queue.ack(acked);
        }
    }

    /** Returns at once when woken since the last call, else waits up to {@code millis} for {@link #wake()}. */
    private void await(long millis) {
        synchronized (signal) {
            try {
                if (!woken) {
                    signal.wait(millis);
                }
                woken = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
