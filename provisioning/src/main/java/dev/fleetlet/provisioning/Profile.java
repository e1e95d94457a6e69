package dev.fleetlet.provisioning;

import java.net.URI;

/**
 * A server fleetctl is logged in to.
 *
 * @param server           base URL
 * @param user             the user the API token belongs to, or null when logged in with a token
 * @param apiToken         bearer API token {@code fat_<id>_<secret>} (secret: never printed)
 * @param caCertificatePem PEM of the CA to trust for this server, or null for the JDK trust store
 */
public record Profile(String server, String user, String apiToken, String caCertificatePem) {

    public URI uri() {
        return URI.create(server);
    }

    @Override
    public String toString() {
        return "Profile[server=" + server + ", user=" + user + ", apiToken=***, ca=" + (caCertificatePem != null) + "]";
    }
}
