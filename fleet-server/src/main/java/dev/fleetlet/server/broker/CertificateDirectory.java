package dev.fleetlet.server.broker;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Decides whether a TLS client certificate identifies a device, for the broker's TLS listener with client
 * authentication ({@code fleetlet.mqtt.tls.client-auth: optional|required}). Implemented by enrollment, which
 * issues the certificates from the fleet CA and records them.
 *
 * <p>Called on the broker's authentication threads for every CONNECT that presented a certificate; must be
 * thread-safe and never throw for a bad certificate (answer empty).
 */
public interface CertificateDirectory {

    /** The CA that signs device certificates; the TLS listener trusts only it for client certificates. */
    X509Certificate trustAnchor();

    /**
     * Checks a client's certificate chain (leaf first).
     *
     * @param clientId the MQTT client id the client sent
     * @param chain    the chain the client presented during the TLS handshake, leaf first
     * @return the device, when the leaf is signed by {@link #trustAnchor()}, currently valid, recorded and not
     *     revoked, its device is not decommissioned and its CN equals {@code clientId}; empty otherwise
     */
    Optional<ClientPrincipal> authenticate(String clientId, X509Certificate[] chain);
}
