package dev.fleetlet.server.enrollment;

import io.micronaut.serde.annotation.Serdeable;

/** Answer to a token creation; {@code token} ({@code flt_<id>_<secret>}) is shown only in this answer. */
@Serdeable
public record CreatedToken(ProvisioningToken metadata, String token) {

    @Override
    public String toString() {
        return "CreatedToken[" + metadata + ", token=***]";
    }
}
