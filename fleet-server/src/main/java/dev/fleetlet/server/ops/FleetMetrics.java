package dev.fleetlet.server.ops;

import dev.fleetlet.server.device.DeviceRepository;
import dev.fleetlet.server.device.DeviceStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the core's gauges: {@code fleetlet_devices{status=online|offline|decommissioned}} (a COUNT query
 * per scrape). HTTP server metrics ({@code http_server_requests_seconds}) and the connection pool
 * ({@code hikaricp_*}, {@code jdbc_connections_*}) come from the Micronaut micrometer binders enabled in
 * {@code application.yml}; broker and telemetry gauges are registered by their own packages.
 */
@Context
public class FleetMetrics {

    private static final Logger log = LoggerFactory.getLogger(FleetMetrics.class);

    public FleetMetrics(MeterRegistry registry, DeviceRepository devices) {
        for (DeviceStatus status : DeviceStatus.values()) {
            Gauge.builder("fleetlet.devices", devices, d -> count(d, status))
                    .description("Registered devices by status")
                    .tag("status", status.wire())
                    .register(registry);
        }
    }

    private static double count(DeviceRepository devices, DeviceStatus status) {
        try {
            return devices.count(status);
        } catch (RuntimeException e) {
            log.warn("device gauge unavailable status={} error={}", status.wire(), e.toString());
            return Double.NaN;
        }
    }
}
