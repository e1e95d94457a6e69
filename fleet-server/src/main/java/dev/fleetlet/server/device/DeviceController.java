package dev.fleetlet.server.device;

import dev.fleetlet.server.api.Page;
import dev.fleetlet.server.events.DeviceEventStore;
import dev.fleetlet.server.events.FleetEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

/** Operator API of the device registry. Reads for every role; writes for admin and operator. */
@Controller("/api/v1/devices")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({"ADMIN", "OPERATOR", "VIEWER"})
@Tag(name = "devices")
public class DeviceController {

    private final DeviceService devices;
    private final DeviceEventStore eventStore;

    public DeviceController(DeviceService devices, DeviceEventStore eventStore) {
        this.devices = devices;
        this.eventStore = eventStore;
    }

    @Operation(summary = "List devices, filtered by label selector and status")
    @Get
    public Page<Device> list(@Nullable @QueryValue String selector, @Nullable @QueryValue String status,
                             @QueryValue(defaultValue = "0") int page, @QueryValue(defaultValue = "50") int size) {
        return devices.list(selector, status, page, size);
    }

    @Operation(summary = "Get one device")
    @Get("/{id}")
    public Device get(String id) {
        return devices.get(id);
    }

    @Operation(summary = "Rename a device or change its labels (merge patch; a null label value removes it)")
    @Patch("/{id}")
    @Secured({"ADMIN", "OPERATOR"})
    public Device patch(String id, @Valid @Body DevicePatch patch) {
        return devices.patch(id, patch);
    }

    @Operation(summary = "Decommission a device: revoke its credentials for good")
    @Post("/{id}/decommission")
    @Secured({"ADMIN", "OPERATOR"})
    public Device decommission(String id, Authentication who) {
        return devices.decommission(id, who.getName());
    }

    @Operation(summary = "Stored events of a device, newest first")
    @Get("/{id}/events")
    public Page<FleetEvent> events(String id, @QueryValue(defaultValue = "0") int page,
                                   @QueryValue(defaultValue = "50") int size) {
        Page.check(page, size);
        devices.get(id);
        return eventStore.forDevice(id, page, size);
    }
}
