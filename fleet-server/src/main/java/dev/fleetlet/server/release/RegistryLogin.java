package dev.fleetlet.server.release;

/**
 * Decrypted credentials for one registry host, handed only to the image resolver. {@link #toString()} never
 * shows the password.
 */
public record RegistryLogin(String username, String password) {

    @Override
    public String toString() {
        return "RegistryLogin[username=" + username + ", password=<redacted>]";
    }
}
