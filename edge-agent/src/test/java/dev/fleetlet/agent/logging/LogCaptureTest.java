package dev.fleetlet.agent.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LogCaptureTest {

    private final Clock clock = Clock.fixed(Instant.parse("2025-03-14T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void passesEverythingThroughAndKeepsLinesWithTheirLevel() {
        // given
        ByteArrayOutputStream journal = new ByteArrayOutputStream();
        LogRing ring = new LogRing(100, 1 << 20);
        PrintStream err = new PrintStream(new LogCapture(journal, ring, clock), true, StandardCharsets.UTF_8);
        // when
        err.println("[main] INFO dev.fleetlet.agent.AgentMain - agent running deviceId=pi-1");
        err.println("[mqtt-connector] WARN dev.fleetlet.agent.mqtt.MqttSession - mqtt connect failed");
        err.println("\tat java.base/java.lang.Thread.run(Thread.java:840)");
        err.print("partial line without newline");
        // then
        assertThat(journal.toString(StandardCharsets.UTF_8)).contains("agent running").endsWith("newline");
        assertThat(ring.recent(10, null)).extracting(LogRing.Line::level).containsExactly("info", "warn", "warn");
        assertThat(ring.recent(10, null).get(0).text()).isEqualTo(
                "[main] INFO dev.fleetlet.agent.AgentMain - agent running deviceId=pi-1");
    }

    @Test
    void evictsTheOldestLinesByCountAndByCharacters() {
        // given
        LogRing byCount = new LogRing(3, 1 << 20);
        LogRing byChars = new LogRing(1000, LogRing.MAX_LINE_CHARS * 2L);
        // when
        for (int i = 0; i < 5; i++) {
            byCount.add(clock.instant(), "info", "line " + i);
            byChars.add(clock.instant(), "info", String.valueOf(i).repeat(LogRing.MAX_LINE_CHARS + 100));
        }
        // then
        assertThat(byCount.recent(10, null)).extracting(LogRing.Line::text).containsExactly("line 2", "line 3", "line 4");
        assertThat(byChars.size()).isEqualTo(2);
        assertThat(byChars.recent(10, null).get(1).text()).hasSize(LogRing.MAX_LINE_CHARS).startsWith("4");
    }

    @Test
    void returnsTheMostRecentLinesSinceAnInstantOldestFirst() {
        // given
        LogRing ring = new LogRing(100, 1 << 20);
        for (int i = 0; i < 10; i++) {
            ring.add(Instant.parse("2025-03-14T10:00:00Z").plusSeconds(i), "info", "l" + i);
        }
        // when / then
        assertThat(ring.recent(3, null)).extracting(LogRing.Line::text).containsExactly("l7", "l8", "l9");
        assertThat(ring.recent(100, Instant.parse("2025-03-14T10:00:08Z"))).extracting(LogRing.Line::text)
                .containsExactly("l8", "l9");
    }

    @Test
    void readsTheLevelOfSlf4jSimpleLinesOnly() {
        assertThat(LogCapture.levelOf("[main] ERROR x - boom")).isEqualTo("error");
        assertThat(LogCapture.levelOf("DEBUG x - y")).isEqualTo("debug");
        assertThat(LogCapture.levelOf("Caused by: java.io.IOException")).isNull();
        assertThat(LogCapture.levelOf("[broken")).isNull();
    }
}
