package dev.fleetlet.server.enrollment;

import dev.fleetlet.server.device.DeviceHardware;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * An enrollment waiting for (or past) an operator's decision under the manual policy.
 *
 * @param id          request id used by approve/reject
 * @param serial      the board's serial
 * @param tokenId     the provisioning token it presented
 * @param fleet       the token's fleet
 * @param hardware    reported facts
 * @param requestedAt first request
 * @param lastSeenAt  latest retry
 * @param state       pending, approved or rejected
 * @param decidedAt   decision time or null
 * @param decidedBy   deciding user or null
 * @param deviceId    the created device once approved
 */
@Serdeable
public record PendingEnrollment(String id, String serial, String tokenId, String fleet, DeviceHardware hardware,
                                Instant requestedAt, Instant lastSeenAt, State state, Instant decidedAt, String decidedBy,
                                String deviceId) {

    /** Decision state. */
    @Serdeable
    public enum State {
        PENDING, APPROVED, REJECTED
    }
}
