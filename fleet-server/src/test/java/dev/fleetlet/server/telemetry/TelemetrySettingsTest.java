package dev.fleetlet.server.telemetry;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TelemetrySettingsTest {

    @Test
    void rejectsAggregatesKeptShorterThanRawReadings() {
        assertThatThrownBy(() -> new TelemetrySettings(Duration.ofDays(7), Duration.ofDays(1), 100,
                Duration.ofMillis(100), 1000, 10000, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fleetlet.telemetry.aggregate-retention");
    }

    @Test
    void rejectsAnEmptyQueueNamingTheKey() {
        assertThatThrownBy(() -> new TelemetrySettings(Duration.ofDays(7), Duration.ofDays(90), 0,
                Duration.ofMillis(100), 1000, 10000, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fleetlet.telemetry.queue-capacity");
    }

    @Test
    void rejectsAMaximumFlushBelowTheNormalFlushNamingTheKey() {
        assertThatThrownBy(() -> new TelemetrySettings(Duration.ofDays(7), Duration.ofDays(90), 100,
                Duration.ofMillis(100), 1000, 999, 100))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fleetlet.telemetry.flush-readings-max");
    }
}
