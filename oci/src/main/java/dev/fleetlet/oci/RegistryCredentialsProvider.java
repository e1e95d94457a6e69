package dev.fleetlet.oci;

import java.util.Map;
import java.util.Optional;

/**
 * Port: credentials per registry host (as written in image references, e.g. {@code ghcr.io} or
 * {@code 127.0.0.1:5000}). An empty result means anonymous access. Implementations must not log
 * or cache secrets beyond what the caller passes in.
 */
@FunctionalInterface
public interface RegistryCredentialsProvider {

    Optional<RegistryCredentials> forHost(String host);

    /** No credentials for any host. */
    static RegistryCredentialsProvider anonymous() {
        return host -> Optional.empty();
    }

    /** A fixed map of host to credentials. */
    static RegistryCredentialsProvider of(Map<String, RegistryCredentials> byHost) {
        Map<String, RegistryCredentials> copy = Map.copyOf(byHost);
        return host -> Optional.ofNullable(copy.get(host));
    }
}
