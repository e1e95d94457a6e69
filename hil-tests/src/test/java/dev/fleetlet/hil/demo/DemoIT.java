package dev.fleetlet.hil.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.fleetlet.protocol.TopicKind;
import dev.fleetlet.protocol.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Quick-start demo on a temp data dir and free ports: what it prints works, and it starts again on the same data. */
class DemoIT {

    @TempDir
    Path dataDir;

    private Demo demo() {
        Demo demo = new Demo();
        demo.devices = 3;
        demo.dataDir = dataDir;
        demo.httpPort = 0;
        demo.mqttPort = 0;
        demo.interval = Duration.ofMillis(500);
        demo.readings = 3;
        demo.serverProperties = Map.of("fleetlet.security.pbkdf2-iterations", 1000);
        return demo;
    }

    @Test
    void printedCredentialsWorkAndASecondRunReusesTheDataDir() throws Exception {
        // given a first run
        try (Demo.Running running = demo().start()) {
            running.simulator().start().get(60, TimeUnit.SECONDS);
            String banner = Demo.banner(running, 3);
            // then the banner names the API, the admin password file and a working read-only MQTT login
            assertThat(banner).contains("http://localhost:" + running.server().httpPort() + "/")
                    .contains("user 'admin'")
                    .contains(dataDir.resolve("initial-admin-password").toString())
                    .contains("-i svc-demo-reader -u svc-demo-reader -P '" + running.reader().secret() + "'");
            assertThat(Files.exists(dataDir.resolve("initial-admin-password"))).isTrue();
            Mqtt5Publish first = firstTelemetry(running.server().mqttPort(), running.reader().secret());
            assertThat(Topics.parse(first.getTopic().toString()).orElseThrow().kind()).isEqualTo(TopicKind.TELEMETRY);
            assertThat(new String(first.getPayloadAsBytes(), StandardCharsets.UTF_8)).contains("\"readings\"");
            // and a rollout from the base release to the next one is shown and updates devices
            String rolloutId = running.releases().startRollout(running.admin(), 3, Duration.ofSeconds(30));
            assertThat(Demo.banner(running, 3, rolloutId))
                    .contains("http://localhost:" + running.server().httpPort() + "/api/v1/rollouts/" + rolloutId);
            assertThat(running.admin().rollout(rolloutId).path("releaseId").asText()).isEqualTo(running.releases().next());
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    running.simulator().runningReleases().containsValue(running.releases().next()));
        }
        // when the demo starts again on the same data dir
        try (Demo.Running again = demo().start()) {
            again.simulator().start().get(60, TimeUnit.SECONDS);
            // then the same devices re-enroll and the recreated account has a fresh secret that works
            assertThat(again.simulator().startErrors()).isEmpty();
            assertThat(again.simulator().counters().snapshot().enrolled()).isEqualTo(3);
            assertThat(firstTelemetry(again.server().mqttPort(), again.reader().secret())).isNotNull();
            // the registry port changed, so the releases got new versions instead of a conflict
            assertThat(again.releases().base()).startsWith("demo-app-1.0");
            assertThat(again.simulator().runningReleases()).containsValue(again.releases().base());
        }
    }

    private static Mqtt5Publish firstTelemetry(int port, String secret) throws Exception {
        Mqtt5AsyncClient reader = Mqtt5Client.builder().identifier(Demo.READER_ACCOUNT).serverHost("127.0.0.1")
                .serverPort(port).simpleAuth().username(Demo.READER_ACCOUNT)
                .password(secret.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildAsync();
        CompletableFuture<Mqtt5Publish> first = new CompletableFuture<>();
        try {
            reader.connect().get(10, TimeUnit.SECONDS);
            reader.subscribeWith().topicFilter(Topics.allDevices(TopicKind.TELEMETRY)).qos(MqttQos.AT_LEAST_ONCE)
                    .callback(first::complete).send().get(10, TimeUnit.SECONDS);
            return first.get(15, TimeUnit.SECONDS);
        } finally {
            reader.disconnect();
        }
    }
}
