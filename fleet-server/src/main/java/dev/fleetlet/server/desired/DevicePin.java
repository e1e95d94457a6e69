package dev.fleetlet.server.desired;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A device pinned to a release: rollouts to other releases leave it out, and its desired state is the
 * pinned release from the moment of pinning.
 *
 * @param deviceId  the device
 * @param releaseId the release it is pinned to
 * @param pinnedBy  who pinned it
 * @param pinnedAt  when
 */
@Serdeable
public record DevicePin(String deviceId, String releaseId, String pinnedBy, Instant pinnedAt) {
}
