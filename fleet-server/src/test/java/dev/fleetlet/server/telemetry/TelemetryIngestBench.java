package dev.fleetlet.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import dev.fleetlet.server.broker.Db;
import dev.fleetlet.server.broker.Mqtt;
import dev.fleetlet.server.broker.TestServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In-process ingest throughput through the real broker into H2 (file): {@code DEVICES} Paho clients each
 * publish {@code BATCHES} QoS 1 batches of {@code READINGS} readings with 10 in flight; every PUBACK means
 * committed. Run: {@code ./mvnw -B -ntp -o -Pbench -pl fleet-server test -Dbench.includes='**&#47;TelemetryIngestBench.java'}.
 */
class TelemetryIngestBench {

    private static final int DEVICES = Integer.getInteger("bench.devices", 20);
    private static final int BATCHES = Integer.getInteger("bench.batches", 250);
    private static final int READINGS = Integer.getInteger("bench.readings", 20);

    @TempDir
    Path dataDir;

    @Test
    void ingestsQos1BatchesFromManyDevices() throws Exception {
        try (TestServer server = TestServer.start(dataDir, Map.of("fleetlet.telemetry.flush-interval", System.getProperty("bench.flush-interval", "20ms")))) {
            List<MqttAsyncClient> clients = new ArrayList<>();
            for (int d = 0; d < DEVICES; d++) {
                String id = "bench-" + d;
                server.directory().addDevice(id, "pw-" + id);
                clients.add(Mqtt.connect(server.mqttUri(), id, id, "pw-" + id));
            }
            int total = DEVICES * BATCHES;
            AtomicLongArray latencies = new AtomicLongArray(total);
            AtomicInteger done = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            CountDownLatch finished = new CountDownLatch(DEVICES);
            Instant ts = Instant.now();
            long start = System.nanoTime();
            for (int d = 0; d < DEVICES; d++) {
                int device = d;
                MqttAsyncClient client = clients.get(d);
                Thread t = new Thread(() -> {
                    Semaphore window = new Semaphore(10);
                    String id = "bench-" + device;
                    try {
                        for (int s = 1; s <= BATCHES; s++) {
                            List<Reading> readings = new ArrayList<>();
                            for (int r = 0; r < READINGS; r++) {
                                readings.add(Reading.ok("s" + (r % 4), "temperature", "Cel", r, ts.plusMillis(s * 100L + r)));
                            }
                            MqttMessage m = new MqttMessage(Mqtt.encode(new TelemetryBatch(1, id, "bench", s, ts, true, 0, readings)));
                            m.setQos(1);
                            window.acquire();
                            long sentAt = System.nanoTime();
                            client.publish(Topics.telemetry(id), m, null, new MqttActionListener() {
                                @Override
                                public void onSuccess(IMqttToken token) {
                                    int[] codes = token.getReasonCodes();
                                    if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                                        failed.incrementAndGet();
                                    }
                                    latencies.set(done.getAndIncrement(), System.nanoTime() - sentAt);
                                    window.release();
                                }

                                @Override
                                public void onFailure(IMqttToken token, Throwable e) {
                                    failed.incrementAndGet();
                                    latencies.set(done.getAndIncrement(), System.nanoTime() - sentAt);
                                    window.release();
                                }
                            });
                        }
                        window.acquire(10);
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    } finally {
                        finished.countDown();
                    }
                });
                t.start();
            }
            assertThat(finished.await(10, TimeUnit.MINUTES)).isTrue();
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] lat = new long[done.get()];
            for (int i = 0; i < lat.length; i++) {
                lat[i] = latencies.get(i);
            }
            Arrays.sort(lat);
            long stored = Db.count(server.context, "SELECT COUNT(*) FROM telemetry_batch");
            for (MqttAsyncClient c : clients) {
                Mqtt.closeQuietly(c);
            }
            assertThat(failed.get()).isZero();
            assertThat(stored).isEqualTo(total);
            MeterRegistry meters = server.context.getBean(MeterRegistry.class);
            Timer flush = meters.get("fleetlet.telemetry.db.flush").timer();
            Timer commitLag = meters.get("fleetlet.telemetry.commit.lag").timer();
            System.out.printf("BENCH telemetry-ingest devices=%d batches=%d readingsPerBatch=%d seconds=%.2f batchesPerSec=%.0f"
                            + " readingsPerSec=%.0f pubackP50Ms=%.1f pubackP99Ms=%.1f failed=%d flushes=%d flushMeanMs=%.1f"
                            + " flushMaxMs=%.1f commitLagMeanMs=%.1f cores=%d%n",
                    DEVICES, total, READINGS, seconds, total / seconds, total * (double) READINGS / seconds,
                    lat[lat.length / 2] / 1e6, lat[(int) (lat.length * 0.99)] / 1e6, failed.get(), flush.count(),
                    flush.mean(TimeUnit.MILLISECONDS), flush.max(TimeUnit.MILLISECONDS),
                    commitLag.mean(TimeUnit.MILLISECONDS), Runtime.getRuntime().availableProcessors());
        }
    }
}
