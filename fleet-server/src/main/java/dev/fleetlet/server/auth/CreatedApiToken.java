package dev.fleetlet.server.auth;

import io.micronaut.serde.annotation.Serdeable;

/**
 * Answer to a token creation: the metadata and the bearer token ({@code fat_<id>_<secret>}), shown only here.
 */
@Serdeable
public record CreatedApiToken(ApiToken token, String secret) {

    @Override
    public String toString() {
        return "CreatedApiToken[" + token + ", secret=***]";
    }
}
