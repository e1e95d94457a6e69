package dev.fleetlet.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.agent.config.AgentConfig;
import dev.fleetlet.agent.config.AgentConfigLoader;
import dev.fleetlet.agent.logging.LogRing;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMainSystemdTest {

    @TempDir
    Path dir;

    @Test
    void sendsReadyAndEnrollingStatusWhileEnrollmentIsStillRetrying() throws Exception {
        // given a first start: provisioning names a fleet server nobody listens on, so enrollment never completes
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path fsRoot = Files.createDirectories(dir.resolve("root/etc"));
        Files.writeString(fsRoot.resolve("machine-id"), "0123456789abcdef0123456789abcdef\n");
        Path provisioning = Files.writeString(dir.resolve("provisioning.json"),
                "{\"serverUrl\": \"http://127.0.0.1:" + closedPort + "\", \"token\": \"flt_test_token_0123456789\"}");
        Path configFile = Files.writeString(dir.resolve("agent.yml"), "agent: { dataDir: " + dir.resolve("data")
                + ", provisioningFile: " + provisioning + ", fsRoot: " + dir.resolve("root") + " }\n");
        AgentConfig config = new AgentConfigLoader().load(configFile);
        FakeNotifyCommand notify = new FakeNotifyCommand(Files.createDirectories(dir.resolve("notify")));
        AtomicReference<Throwable> ended = new AtomicReference<>();

        // when the agent runs
        Thread agent = new Thread(() -> {
            try {
                AgentMain.run(configFile, config, Clock.systemUTC(), new LogRing(100, 100_000),
                        notify.notifier(Optional.empty()));
            } catch (Throwable t) {
                ended.set(t);
            }
        }, "agent-under-test");
        agent.start();
        try {
            // then READY=1 and the enrolling status arrive while enrollment is still retrying
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(notify.messages())
                    .containsSubsequence("READY=1", "STATUS=starting",
                            "STATUS=enrolling: waiting for the fleet server to accept this device"));
            assertThat(agent.isAlive()).as("still in the enrollment loop").isTrue();
            assertThat(ended.get()).isNull();
            assertThat(dir.resolve("data/identity/credentials.json")).doesNotExist();
            assertThat(notify.messages()).noneMatch(m -> m.startsWith("STATUS=running"));
            assertThat(notify.messages().get(0)).isEqualTo("READY=1");
        } finally {
            agent.interrupt();
            agent.join(10_000);
        }
        assertThat(agent.isAlive()).isFalse();
    }
}
