package dev.fleetlet.server.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.protocol.Topics;
import dev.fleetlet.server.broker.Db;
import dev.fleetlet.server.broker.Mqtt;
import dev.fleetlet.server.broker.TestServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryBackpressureTest {

    private static final int QUOTA_EXCEEDED = 0x97;

    @TempDir
    Path dataDir;

    @Test
    void refusesBatchesWithQuotaExceededWhenTheQueueIsFullAndStoresOnlyAcknowledgedOnes() throws Exception {
        // given a queue of one batch and one batch per transaction
        try (TestServer server = TestServer.start(dataDir, Map.of(
                "fleetlet.telemetry.queue-capacity", "1", "fleetlet.telemetry.flush-readings", "1"))) {
            int devices = 30;
            List<MqttAsyncClient> clients = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                server.directory().addDevice("bp-" + d, "pw");
                clients.add(Mqtt.connect(server.mqttUri(), "bp-" + d, "bp-" + d, "pw"));
            }
            // when 30 devices publish at the same moment
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(devices);
            List<CompletableFuture<Integer>> codes = new ArrayList<>();
            for (int d = 0; d < devices; d++) {
                String id = "bp-" + d;
                MqttAsyncClient c = clients.get(d);
                codes.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return Mqtt.publish(c, Topics.telemetry(id), Mqtt.encode(Mqtt.batch(id, "bp-stream", 1, 1, Instant.now())));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            go.countDown();
            int refused = 0;
            int accepted = 0;
            for (int d = 0; d < devices; d++) {
                int code = codes.get(d).get(60, TimeUnit.SECONDS);
                long stored = Db.count(server.context, "SELECT COUNT(*) FROM telemetry_batch WHERE device_id = ?", "bp-" + d);
                if (code == QUOTA_EXCEEDED) {
                    refused++;
                    assertThat(stored).as("refused batch of bp-%d not stored", d).isZero();
                } else {
                    assertThat(code).isLessThan(0x80);
                    accepted++;
                    assertThat(stored).as("acknowledged batch of bp-%d stored", d).isEqualTo(1);
                }
            }
            // then some were refused, visibly and counted, and none silently dropped
            assertThat(refused).as("refused with QUOTA_EXCEEDED").isPositive();
            assertThat(accepted + refused).isEqualTo(devices);
            assertThat(server.context.getBean(MeterRegistry.class).get("fleetlet.telemetry.batches")
                    .tag("outcome", "queue_full").counter().count()).isEqualTo(refused);
            clients.forEach(Mqtt::closeQuietly);
            pool.shutdown();
        }
    }

    @Test
    void answersASlowCommitWithAFailureAndStoresTheRetryOnce() throws Exception {
        // given an ingest timeout far shorter than a commit: the writer takes the batch at once (well within the
        // timeout, so it is not expired) and then waits the flush interval for more before it commits (timeouts
        // below 100ms are refused at start, see BrokerSettings)
        try (TestServer server = TestServer.start(dataDir, Map.of("fleetlet.mqtt.ingest-timeout", "300ms",
                "fleetlet.telemetry.flush-interval", "2s"))) {
            server.directory().addDevice("dev-slow", "pw");
            MqttAsyncClient c = Mqtt.connect(server.mqttUri(), "dev-slow", "dev-slow", "pw");
            byte[] batch = Mqtt.encode(Mqtt.batch("dev-slow", "slow-stream", 1, 2, Instant.now()));
            // when the commit does not make it in time, the device is told so
            assertThat(Mqtt.publish(c, Topics.telemetry("dev-slow"), batch)).isEqualTo(0x83);
            // then the batch may still be stored, and the device's retry is acknowledged without a second copy
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                    Db.count(server.context, "SELECT COUNT(*) FROM telemetry_batch WHERE device_id = 'dev-slow'") == 1);
            assertThat(Mqtt.publish(c, Topics.telemetry("dev-slow"), batch)).isLessThan(0x80);
            assertThat(Db.count(server.context, "SELECT COUNT(*) FROM telemetry_reading WHERE device_id = 'dev-slow'")).isEqualTo(2);
            Mqtt.closeQuietly(c);
        }
    }
}
