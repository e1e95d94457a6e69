package dev.fleetlet.server.auth;

import io.micronaut.serde.annotation.Serdeable;

/** Answer to a service-account creation; {@code secret} (the MQTT password) is shown only here. */
@Serdeable
public record CreatedServiceAccount(ServiceAccount account, String secret) {

    @Override
    public String toString() {
        return "CreatedServiceAccount[" + account + ", secret=***]";
    }
}
