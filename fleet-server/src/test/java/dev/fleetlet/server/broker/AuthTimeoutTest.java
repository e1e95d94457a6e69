package dev.fleetlet.server.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The authenticator's own deadline against a slow client directory. */
class AuthTimeoutTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static ListAppender<ILoggingEvent> logs;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, Map.of("fleetlet.mqtt.auth-timeout", "1500ms"));
        server.directory().addDevice("dev-slow01", "secret-slow-0123456789");
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        server.close();
    }

    @BeforeEach
    void clearLogs() {
        logs.list.clear();
    }

    @Test
    void aDecisionAfterTheTimeoutIsRefusedCleanlyWithoutErrors() {
        // given a directory that answers only after the authentication timeout
        server.directory().answerAfter(Duration.ofMillis(3_500));
        int answeredBefore = server.directory().answered();
        double timeoutsBefore = counter("fleetlet.mqtt.auth.timeouts");

        // when the device connects
        assertThatThrownBy(() -> server.connect("dev-slow01", "dev-slow01", "secret-slow-0123456789"))
                .isInstanceOf(MqttException.class)
                .satisfies(e -> assertThat(((MqttException) e).getReasonCode()).isEqualTo(0x88)); // server unavailable

        // then, once the late answer arrived, it changed nothing: no error logged, the timeout counted once
        await().atMost(Duration.ofSeconds(10)).until(() -> server.directory().answered() > answeredBefore);
        await().atMost(Duration.ofSeconds(5)).until(() -> counter("fleetlet.mqtt.auth.late") >= 1);
        assertThat(counter("fleetlet.mqtt.auth.timeouts")).isEqualTo(timeoutsBefore + 1);
        assertThat(errorsAndWarnings()).isEmpty();
        assertThat(server.presence().calls).noneMatch(c -> c.deviceId().equals("dev-slow01"));
    }

    @Test
    void aDecisionWithinTheTimeoutIsAccepted() throws Exception {
        // given a directory that is slow but within the timeout
        server.directory().answerAfter(Duration.ofMillis(100));

        // when the device connects, then it is in
        MqttClient client = server.connect("dev-slow01", "dev-slow01", "secret-slow-0123456789");
        try {
            assertThat(client.isConnected()).isTrue();
        } finally {
            client.disconnect();
            client.close();
        }
        assertThat(errorsAndWarnings()).isEmpty();
    }

    private static double counter(String name) {
        MeterRegistry registry = server.context.getBean(MeterRegistry.class);
        var c = registry.find(name).counter();
        return c == null ? 0 : c.count();
    }

    private static List<String> errorsAndWarnings() {
        return logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).collect(Collectors.toList());
    }
}
