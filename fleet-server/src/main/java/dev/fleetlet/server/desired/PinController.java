package dev.fleetlet.server.desired;

import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Pins and desired state of one device. Reads for every role; pinning for admin and operator. */
@Controller("/api/v1/devices/{id}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({"ADMIN", "OPERATOR", "VIEWER"})
@Tag(name = "devices")
public class PinController {

    private final PinService pins;
    private final DesiredStateService desired;

    public PinController(PinService pins, DesiredStateService desired) {
        this.pins = pins;
        this.desired = desired;
    }

    @Operation(summary = "Pin a device to a release: rollouts to other releases leave it out; its desired state becomes the release now")
    @Put("/pin")
    @Secured({"ADMIN", "OPERATOR"})
    public DevicePin pin(String id, @Body PinRequest body, Authentication who) {
        return pins.pin(id, body == null ? null : body.releaseId(), who.getName());
    }

    @Operation(summary = "Remove a device's pin (its desired state stays until a rollout changes it)")
    @Delete("/pin")
    @Secured({"ADMIN", "OPERATOR"})
    public HttpResponse<Void> unpin(String id) {
        if (!pins.unpin(id)) {
            throw new ApiException(ErrorCode.NOT_FOUND, "device " + id + " is not pinned");
        }
        return HttpResponse.noContent();
    }

    @Operation(summary = "The device's pin")
    @Get("/pin")
    public DevicePin getPin(String id) {
        return pins.find(id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "device " + id + " is not pinned"));
    }

    @Operation(summary = "The device's stored desired state (generation, release, config)")
    @Get("/desired-state")
    public StoredDesiredState desiredState(String id) {
        return desired.find(id).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no desired state for device " + id));
    }
}
