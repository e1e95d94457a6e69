package dev.fleetlet.oci;

import java.util.Objects;

/** A username and password (or token) for one registry host. {@link #toString()} never shows the secret. */
public record RegistryCredentials(String username, String password) {
    public RegistryCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + ", password=***]";
    }
}
