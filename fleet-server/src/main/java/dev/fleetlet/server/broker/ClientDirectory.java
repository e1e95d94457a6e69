package dev.fleetlet.server.broker;

import java.util.Optional;

/**
 * Decides who may connect to the embedded broker. Implemented by the core (device registry and
 * service accounts) as a singleton bean; the broker's authenticator asks it for every CONNECT and
 * refuses the client when it answers empty.
 *
 * <p>Implementations are called on broker threads for every connection attempt, so they must be
 * fast on the hot path (cache verified secrets) and thread-safe.
 */
public interface ClientDirectory {

    /**
     * Checks the credentials of a CONNECT.
     *
     * @param clientId the MQTT client identifier as sent by the client (never null, may be empty)
     * @param username the MQTT user name, or null when the client sent none
     * @param password the MQTT password bytes, or null when the client sent none; implementations
     *                 must compare secrets in constant time and never log them
     * @return the authenticated principal, or empty for an unknown client, a wrong or missing secret,
     *     or a decommissioned device. Never throws: a failure to look the client up is an empty result.
     */
    Optional<ClientPrincipal> authenticate(String clientId, String username, byte[] password);
}
