package dev.fleetlet.agent.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * What an image carries on its boot partition so a board can enroll itself on first boot
 * ({@code /boot/firmware/fleetlet-provisioning.json}, read by {@link ProvisioningLoader}).
 *
 * @param serverUrl       base URL of the fleet server, e.g. {@code https://fleet.example:8443}
 * @param token           the fleet's provisioning token (secret: never logged)
 * @param caCertificatePem PEM of the CA that signed the server's TLS certificates; absent means the JDK trust store
 * @param hostnamePattern optional pattern for the board's host name, {@code {serial}} replaced by the serial
 */
public record Provisioning(URI serverUrl, String token, Optional<String> caCertificatePem,
                           Optional<String> hostnamePattern) {

    public Provisioning {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(caCertificatePem, "caCertificatePem");
        Objects.requireNonNull(hostnamePattern, "hostnamePattern");
    }

    /** Hides the token. */
    @Override
    public String toString() {
        return "Provisioning[serverUrl=" + serverUrl + ", token=***, ca=" + caCertificatePem.isPresent()
                + ", hostnamePattern=" + hostnamePattern.orElse("-") + "]";
    }
}
