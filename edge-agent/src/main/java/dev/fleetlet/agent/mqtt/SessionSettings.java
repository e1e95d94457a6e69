package dev.fleetlet.agent.mqtt;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Everything the {@link MqttSession} needs.
 *
 * @param uri              broker URI ({@code tcp://} or {@code ssl://})
 * @param deviceId         client id and user name
 * @param secret           password (never logged)
 * @param sslContext       trust for {@code ssl://} and {@code wss://} (the provisioning CA), or empty for the JDK
 *                         defaults; not used for {@code tcp://}
 * @param keepAlive        MQTT keep-alive
 * @param sessionExpiry    MQTT v5 session expiry interval (explicit: a null expiry with clean start off is not "never")
 * @param connectTimeout   how long one CONNECT may take
 * @param stableAfter      a connection that lasted this long resets the reconnect back-off
 * @param maxInFlight      telemetry publishes awaiting PUBACK at most (less when the broker's Receive Maximum leaves
 *                         less room beside the control messages' share; see {@link MqttSession})
 * @param birthPresence    encoded online presence, built fresh at every connect
 * @param willPresence     encoded offline presence (reason connection-lost), registered as the Will at every connect
 * @param shutdownPresence encoded offline presence (reason shutdown), published before a clean disconnect
 */
public record SessionSettings(URI uri, String deviceId, String secret, Optional<SSLContext> sslContext,
                              Duration keepAlive, Duration sessionExpiry, Duration connectTimeout,
                              Duration stableAfter, int maxInFlight, Supplier<byte[]> birthPresence,
                              Supplier<byte[]> willPresence, Supplier<byte[]> shutdownPresence) {

    public SessionSettings {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(birthPresence, "birthPresence");
        Objects.requireNonNull(willPresence, "willPresence");
        Objects.requireNonNull(shutdownPresence, "shutdownPresence");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight: expected at least 1, got " + maxInFlight);
        }
    }

    /** Hides the secret. */
    @Override
    public String toString() {
        return "SessionSettings[uri=" + uri + ", deviceId=" + deviceId + ", secret=***]";
    }
}
