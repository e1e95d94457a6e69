package dev.fleetlet.hil.agent;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one agent process is: how it finds the server, who it is, how fast it samples and how quickly it
 * retries. Immutable; start from {@link #of} and change single fields with the {@code with...} methods.
 *
 * @param serverUrl         the fleet server's base URL written into the provisioning file ({@code http} or {@code https})
 * @param token             the provisioning token (never logged by the fixture)
 * @param caCertificatePem  the CA certificate the agent trusts for the server, PEM; empty: the JDK's default trust
 * @param serial            the hardware serial, written as the fake root's {@code /etc/machine-id}
 *                          (lowercase hex-ish, the agent lowercases and cuts at 64 characters)
 * @param sampleInterval    sampling interval of each of the three simulated sensors (default 1 s)
 * @param batchInterval     {@code telemetry.batchInterval}: a batch closes this long after its first reading (default 1 s)
 * @param reconnectInitial  {@code mqtt.reconnectInitial} (default 200 ms, tests want quick reconnects)
 * @param reconnectMax      {@code mqtt.reconnectMax} (default 2 s)
 * @param stableAfter       {@code mqtt.stableAfter}: a connection up this long resets the back-off (default 1 s)
 * @param enrollRetryMax    {@code server.retryMaxDelay}: cap of the enrollment back-off (default 2 s)
 */
public record AgentSpec(URI serverUrl, String token, Optional<String> caCertificatePem, String serial,
                        Duration sampleInterval, Duration batchInterval, Duration reconnectInitial,
                        Duration reconnectMax, Duration stableAfter, Duration enrollRetryMax) {

    public AgentSpec {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(caCertificatePem, "caCertificatePem");
        Objects.requireNonNull(serial, "serial");
        if (!serial.matches("[a-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("serial: expected 1-64 of [a-z0-9-], got '" + serial + "'");
        }
        Objects.requireNonNull(sampleInterval, "sampleInterval");
        Objects.requireNonNull(batchInterval, "batchInterval");
        Objects.requireNonNull(reconnectInitial, "reconnectInitial");
        Objects.requireNonNull(reconnectMax, "reconnectMax");
        Objects.requireNonNull(stableAfter, "stableAfter");
        Objects.requireNonNull(enrollRetryMax, "enrollRetryMax");
    }

    /** A plain agent: 1 s sampling and batches, quick reconnects, no extra CA. */
    public static AgentSpec of(URI serverUrl, String token, String serial) {
        return new AgentSpec(serverUrl, token, Optional.empty(), serial, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    public AgentSpec withCaCertificatePem(String pem) {
        return new AgentSpec(serverUrl, token, Optional.of(pem), serial, sampleInterval, batchInterval, reconnectInitial,
                reconnectMax, stableAfter, enrollRetryMax);
    }

    public AgentSpec withSampleInterval(Duration interval) {
        return new AgentSpec(serverUrl, token, caCertificatePem, serial, interval, batchInterval, reconnectInitial,
                reconnectMax, stableAfter, enrollRetryMax);
    }

    @Override
    public String toString() {
        return "AgentSpec[serverUrl=" + serverUrl + ", token=***, ca=" + caCertificatePem.isPresent() + ", serial="
                + serial + ", sampleInterval=" + sampleInterval + ", batchInterval=" + batchInterval + "]";
    }
}
