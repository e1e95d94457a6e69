package dev.fleetlet.server.enrollment;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A provisioning token's metadata; the secret part exists only hashed.
 *
 * @param id          lookup id, also inside the token string {@code flt_<id>_<secret>}
 * @param fleet       the fleet enrolled devices join
 * @param description what it is for
 * @param createdAt   creation time
 * @param createdBy   creating user
 * @param expiresAt   end of validity, or null for none
 * @param maxUses     how many new devices it may enroll, or null for unlimited
 * @param uses        new devices enrolled so far
 * @param revokedAt   when revoked, or null
 * @param state       active, expired, exhausted or revoked, as of the time of the answer
 */
@Serdeable
public record ProvisioningToken(String id, String fleet, String description, Instant createdAt, String createdBy,
                                Instant expiresAt, Integer maxUses, int uses, Instant revokedAt, State state) {

    /** Usability of a token. */
    @Serdeable
    public enum State {
        ACTIVE, EXPIRED, EXHAUSTED, REVOKED
    }

    /** The state at {@code now}: revoked wins over expired, expired over exhausted. */
    public static State stateAt(Instant now, Instant expiresAt, Integer maxUses, int uses, Instant revokedAt) {
        if (revokedAt != null) {
            return State.REVOKED;
        }
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return State.EXPIRED;
        }
        if (maxUses != null && uses >= maxUses) {
            return State.EXHAUSTED;
        }
        return State.ACTIVE;
    }
}
