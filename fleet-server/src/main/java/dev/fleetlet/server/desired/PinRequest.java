package dev.fleetlet.server.desired;

import io.micronaut.serde.annotation.Serdeable;

/** Body of {@code PUT /api/v1/devices/{id}/pin}. @param releaseId the release to pin the device to */
@Serdeable
public record PinRequest(String releaseId) {
}
