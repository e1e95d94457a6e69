package dev.fleetlet.server.alerts;

import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.device.DeviceService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/** Alerts that hold now (see docs/alerts.md). Read-only, for every role. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({"ADMIN", "OPERATOR", "VIEWER"})
@Tag(name = "alerts")
public class AlertController {

    private final AlertService alerts;
    private final DeviceService devices;

    public AlertController(AlertService alerts, DeviceService devices) {
        this.alerts = alerts;
        this.devices = devices;
    }

    @Operation(summary = "List alerts holding now, newest first; filter by kind (offline, under_voltage, throttled, "
            + "disk_full, service_unhealthy, service_restarting, rollback_failed) and device")
    @Get("/alerts")
    public Page<Alert> list(@Nullable @QueryValue String kind, @Nullable @QueryValue String deviceId,
                            @QueryValue(defaultValue = "0") int page, @QueryValue(defaultValue = "50") int size) {
        return alerts.list(kind, deviceId, page, size);
    }

    @Operation(summary = "Alert counts per kind and the latest alerts")
    @Get("/alerts/summary")
    public AlertSummary summary() {
        return alerts.summary();
    }

    @Operation(summary = "The device's latest reported board health (disk, memory, temperature, power) and its alerts")
    @Get("/devices/{id}/health")
    public DeviceHealth health(String id) {
        devices.get(id);
        return alerts.health(id);
    }

    @Operation(summary = "Alerts holding now for one device, newest first")
    @Get("/devices/{id}/alerts")
    public List<Alert> forDevice(String id) {
        devices.get(id);
        return alerts.forDevice(id);
    }
}
