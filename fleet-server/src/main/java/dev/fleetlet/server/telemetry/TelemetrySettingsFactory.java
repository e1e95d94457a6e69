package dev.fleetlet.server.telemetry;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Builds {@link TelemetrySettings} from {@code fleetlet.telemetry.*}. */
@Factory
final class TelemetrySettingsFactory {

    @Singleton
    TelemetrySettings telemetrySettings(@Value("${fleetlet.telemetry.raw-retention:7d}") Duration raw,
                                        @Value("${fleetlet.telemetry.aggregate-retention:90d}") Duration aggregates,
                                        @Value("${fleetlet.telemetry.queue-capacity:200000}") int queueCapacity,
                                        @Value("${fleetlet.telemetry.flush-interval:20ms}") Duration flushInterval,
                                        @Value("${fleetlet.telemetry.flush-readings:5000}") int flushReadings,
                                        @Value("${fleetlet.telemetry.flush-readings-max:50000}") int flushReadingsMax,
                                        @Value("${fleetlet.telemetry.retention-chunk:5000}") int retentionChunk) {
        return new TelemetrySettings(raw, aggregates, queueCapacity, flushInterval, flushReadings, flushReadingsMax, retentionChunk);
    }
}
