package dev.fleetlet.server.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How the embedded broker listens and sizes its queues, read from {@code fleetlet.mqtt.*} and
 * {@code fleetlet.data-dir}.
 *
 * @param host                 bind address of the listeners ({@code fleetlet.mqtt.host}, default 0.0.0.0)
 * @param port                 plain MQTT port ({@code fleetlet.mqtt.port}, default 1883)
 * @param tlsPort              MQTT over TLS port ({@code fleetlet.mqtt.tls.port}, default 8883); only used
 *                             when {@code tlsKeystore} is set
 * @param tlsKeystore          JKS or PKCS#12 keystore with the server key and certificate, or null for no
 *                             TLS listener
 * @param tlsKeystorePassword  keystore (and key) password; never logged
 * @param brokerDir            broker persistence root ({@code <data-dir>/broker}); the generated
 *                             {@code conf/config.xml} lives below it
 * @param maxQueuedMessages    per-client queue of messages waiting for an offline or slow subscriber
 *                             ({@code fleetlet.mqtt.max-queued-messages}, default 10000); beyond it the
 *                             newest messages are discarded and counted by the broker
 * @param maxPacketSize        largest MQTT packet accepted at all ({@code fleetlet.mqtt.max-packet-size},
 *                             default 512 KiB); larger packets disconnect the client. Payloads above the
 *                             per-topic protocol limit but below this are refused and counted
 * @param serverReceiveMaximum QoS 1/2 publishes a client may have unacknowledged
 *                             ({@code fleetlet.mqtt.receive-maximum}, default 32)
 * @param ingestTimeout        how long a device's telemetry publish may wait for the database commit
 *                             before it is answered with a failure ({@code fleetlet.mqtt.ingest-timeout},
 *                             default 10s; 100ms..10m)
 * @param persistence          where the broker keeps sessions, queued and retained messages
 *                             ({@code fleetlet.mqtt.persistence}: {@code file}, the default, survives restarts;
 *                             {@code in-memory} is for tests)
 * @param clientAuth           TLS client certificates on the TLS listener ({@code fleetlet.mqtt.tls.client-auth}:
 *                             {@code none}, the default; {@code optional}: a device may authenticate with a
 *                             certificate from the fleet CA instead of its password; {@code required}: devices
 *                             must, on every listener, and password-only devices are refused)
 */
public record BrokerSettings(String host, int port, int tlsPort, Path tlsKeystore, String tlsKeystorePassword,
                             Path brokerDir, long maxQueuedMessages, int maxPacketSize, int serverReceiveMaximum,
                             Duration ingestTimeout, Persistence persistence, ClientAuth clientAuth) {

    /** The shortest {@code fleetlet.mqtt.ingest-timeout} accepted (see the check in the constructor). */
    public static final Duration MIN_INGEST_TIMEOUT = Duration.ofMillis(100);

    /** Settings without TLS client authentication. */
    public BrokerSettings(String host, int port, int tlsPort, Path tlsKeystore, String tlsKeystorePassword,
                          Path brokerDir, long maxQueuedMessages, int maxPacketSize, int serverReceiveMaximum,
                          Duration ingestTimeout, Persistence persistence) {
        this(host, port, tlsPort, tlsKeystore, tlsKeystorePassword, brokerDir, maxQueuedMessages, maxPacketSize,
                serverReceiveMaximum, ingestTimeout, persistence, ClientAuth.NONE);
    }

    /** TLS client certificate mode of the TLS listener. */
    public enum ClientAuth {
        NONE("none"), OPTIONAL("optional"), REQUIRED("required");

        private final String wire;

        ClientAuth(String wire) {
            this.wire = wire;
        }

        /** The value in configuration. */
        public String wire() {
            return wire;
        }

        /** Parses {@code none}, {@code optional} or {@code required} (blank is none); throws naming the key otherwise. */
        public static ClientAuth of(String value) {
            if (value == null || value.isBlank()) {
                return NONE;
            }
            for (ClientAuth c : values()) {
                if (c.wire.equals(value.trim())) {
                    return c;
                }
            }
            throw new IllegalArgumentException("fleetlet.mqtt.tls.client-auth must be none, optional or required, was '" + value + "'");
        }
    }

    /** Broker persistence mode. */
    public enum Persistence {
        FILE("file"), IN_MEMORY("in-memory");

        private final String wire;

        Persistence(String wire) {
            this.wire = wire;
        }

        /** The value in configuration and in the broker's config.xml. */
        public String wire() {
            return wire;
        }

        /** Parses {@code file} or {@code in-memory}; throws naming the key otherwise. */
        public static Persistence of(String value) {
            for (Persistence p : values()) {
                if (p.wire.equals(value)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("fleetlet.mqtt.persistence must be file or in-memory, was '" + value + "'");
        }
    }

    public BrokerSettings {
        Objects.requireNonNull(host, "fleetlet.mqtt.host");
        Objects.requireNonNull(brokerDir, "brokerDir");
        Objects.requireNonNull(ingestTimeout, "fleetlet.mqtt.ingest-timeout");
        Objects.requireNonNull(persistence, "fleetlet.mqtt.persistence");
        Objects.requireNonNull(clientAuth, "fleetlet.mqtt.tls.client-auth");
        if (clientAuth != ClientAuth.NONE && tlsKeystore == null) {
            throw new IllegalArgumentException("fleetlet.mqtt.tls.client-auth=" + clientAuth.wire()
                    + " needs a TLS listener: set fleetlet.mqtt.tls.keystore");
        }
        requirePort("fleetlet.mqtt.port", port);
        if (tlsKeystore != null) {
            requirePort("fleetlet.mqtt.tls.port", tlsPort);
            if (tlsPort == port) {
                throw new IllegalArgumentException("fleetlet.mqtt.tls.port must differ from fleetlet.mqtt.port, both are " + port);
            }
        }
        if (maxQueuedMessages < 1) {
            throw new IllegalArgumentException("fleetlet.mqtt.max-queued-messages must be at least 1, was " + maxQueuedMessages);
        }
        if (maxPacketSize < 70 * 1024 || maxPacketSize > 268_435_460) {
            throw new IllegalArgumentException(
                    "fleetlet.mqtt.max-packet-size must be between 71680 and 268435460 bytes, was " + maxPacketSize);
        }
        if (serverReceiveMaximum < 1 || serverReceiveMaximum > 65_535) {
            throw new IllegalArgumentException(
                    "fleetlet.mqtt.receive-maximum must be between 1 and 65535, was " + serverReceiveMaximum);
        }
        // The floor is not arbitrary: the broker arms its timer for a held publish before it records the failure
        // reason code to answer with, so a timer of a few milliseconds can fire in between and acknowledge a
        // batch as stored that the writer then drops as expired.
        if (ingestTimeout.compareTo(MIN_INGEST_TIMEOUT) < 0 || ingestTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("fleetlet.mqtt.ingest-timeout must be between 100ms and 10m, was "
                    + ingestTimeout);
        }
    }

    /** Whether a TLS listener is configured. */
    public boolean tlsEnabled() {
        return tlsKeystore != null;
    }

    private static void requirePort(String key, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(key + " must be between 1 and 65535, was " + port
                    + " (the embedded broker cannot pick a free port itself)");
        }
    }

    @Override
    public String toString() {
        return "BrokerSettings[host=" + host + ", port=" + port + ", tls=" + (tlsEnabled() ? tlsPort : "off")
                + ", brokerDir=" + brokerDir + ", maxQueuedMessages=" + maxQueuedMessages + ", maxPacketSize="
                + maxPacketSize + ", receiveMaximum=" + serverReceiveMaximum + ", ingestTimeout=" + ingestTimeout + ", persistence=" + persistence.wire() + ", clientAuth=" + clientAuth.wire() + "]";
    }
}
