package dev.fleetlet.hil.sim;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a {@link FleetSimulator} run needs.
 *
 * <p>Two modes: with {@code serverUri} and {@code provisioningToken} set, every device enrolls over
 * {@code POST /api/v1/enroll} and connects with the credentials it registered (the fleet server's real
 * flow); with {@code serverUri} null the devices skip enrollment and connect to {@code mqttHost:mqttPort}
 * as {@code sim-000123} with a generated secret (for a bare broker that lets everyone in, e.g. the raw
 * broker limit of the ingest benchmark).
 *
 * @param serverUri          base URI of the fleet server's HTTP API ({@code http://localhost:8080}), or null to skip enrollment
 * @param provisioningToken  the provisioning token sent at enrollment; required with {@code serverUri}
 * @param mqttHost           MQTT host to connect to; null means "the host of the mqttUri returned by enrollment"
 * @param mqttPort           MQTT port; 0 means "the port of the mqttUri returned by enrollment"
 * @param devices            number of simulated devices, 1 to 100,000
 * @param firstSerial        number of the first device; serials are {@code SIM-000001}, ... (six digits at least)
 * @param batchInterval      time between two telemetry batches of one device (at least 10 ms)
 * @param readingsPerBatch   readings in one batch, 1 to 500
 * @param seed               seed of the signal generators and the send phases: the same seed gives the same values
 * @param enrollConcurrency  enrollment requests in flight at once
 * @param connectConcurrency MQTT connects in flight at once (the connect ramp)
 * @param nettyThreads       threads of the one Netty event loop shared by all devices
 * @param keepAlive          MQTT keep alive
 * @param sessionExpiry      MQTT session expiry interval (clean start is always false)
 * @param reconnectInitial   first reconnect delay; doubles per failed attempt, with full jitter
 * @param reconnectMax       largest reconnect delay
 * @param pendingRetryMax    upper bound of the wait before re-asking after a 202 pending enrollment
 * @param releases           how devices answer desired states (profiles, apply time, initial release)
 */
public record SimulatorConfig(
        URI serverUri,
        String provisioningToken,
        String mqttHost,
        int mqttPort,
        int devices,
        int firstSerial,
        Duration batchInterval,
        int readingsPerBatch,
        long seed,
        int enrollConcurrency,
        int connectConcurrency,
        int nettyThreads,
        Duration keepAlive,
        Duration sessionExpiry,
        Duration reconnectInitial,
        Duration reconnectMax,
        Duration pendingRetryMax,
        ReleaseBehaviour releases) {

    /** Largest number of devices one simulator runs. */
    public static final int MAX_DEVICES = 100_000;

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming each bad field
     */
    public SimulatorConfig {
        List<String> errors = new ArrayList<>();
        if (serverUri != null) {
            if (!"http".equals(serverUri.getScheme()) && !"https".equals(serverUri.getScheme())) {
                errors.add("serverUri: must be http:// or https://, was " + serverUri);
            }
            if (provisioningToken == null || provisioningToken.isBlank()) {
                errors.add("provisioningToken: required when serverUri is set");
            }
        } else if (mqttHost == null || mqttHost.isBlank() || mqttPort <= 0) {
            errors.add("mqttHost/mqttPort: required when serverUri is not set (no enrollment)");
        }
        if (mqttPort < 0 || mqttPort > 65535) {
            errors.add("mqttPort: must be 0 to 65535, was " + mqttPort);
        }
        if (devices < 1 || devices > MAX_DEVICES) {
            errors.add("devices: must be 1 to " + MAX_DEVICES + ", was " + devices);
        }
        if (firstSerial < 0 || (long) firstSerial + devices > 999_999_999L) {
            errors.add("firstSerial: must be 0 or more and leave room for all devices, was " + firstSerial);
        }
        if (batchInterval == null || batchInterval.toMillis() < 10) {
            errors.add("batchInterval: must be at least 10ms, was " + batchInterval);
        }
        if (readingsPerBatch < 1 || readingsPerBatch > 500) {
            errors.add("readingsPerBatch: must be 1 to 500, was " + readingsPerBatch);
        }
        if (enrollConcurrency < 1) {
            errors.add("enrollConcurrency: must be at least 1, was " + enrollConcurrency);
        }
        if (connectConcurrency < 1) {
            errors.add("connectConcurrency: must be at least 1, was " + connectConcurrency);
        }
        if (nettyThreads < 1) {
            errors.add("nettyThreads: must be at least 1, was " + nettyThreads);
        }
        requirePositive(errors, "keepAlive", keepAlive);
        requirePositive(errors, "sessionExpiry", sessionExpiry);
        requirePositive(errors, "reconnectInitial", reconnectInitial);
        requirePositive(errors, "reconnectMax", reconnectMax);
        requirePositive(errors, "pendingRetryMax", pendingRetryMax);
        if (releases == null) {
            errors.add("releases: required (use ReleaseBehaviour.allHealthy())");
        }
        if (reconnectInitial != null && reconnectMax != null && reconnectMax.compareTo(reconnectInitial) < 0) {
            errors.add("reconnectMax: must not be below reconnectInitial");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid simulator config: " + String.join("; ", errors));
        }
    }

    private static void requirePositive(List<String> errors, String field, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            errors.add(field + ": must be a positive duration, was " + value);
        }
    }

    /** Defaults for a fleet server at {@code serverUri}: 25 devices, a batch of 6 readings every 5 s. */
    public static SimulatorConfig enrolling(URI serverUri, String provisioningToken) {
        return new SimulatorConfig(serverUri, provisioningToken, null, 0, 25, 1, Duration.ofSeconds(5), 6, 42L,
                16, 200, 2, Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofSeconds(30), ReleaseBehaviour.allHealthy());
    }

    /** Defaults for a bare broker without enrollment. */
    public static SimulatorConfig direct(String mqttHost, int mqttPort) {
        return new SimulatorConfig(null, null, mqttHost, mqttPort, 25, 1, Duration.ofSeconds(5), 6, 42L,
                16, 200, 2, Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofSeconds(30), ReleaseBehaviour.allHealthy());
    }

    public SimulatorConfig withDevices(int n) {
        return new SimulatorConfig(serverUri, provisioningToken, mqttHost, mqttPort, n, firstSerial, batchInterval,
                readingsPerBatch, seed, enrollConcurrency, connectConcurrency, nettyThreads, keepAlive, sessionExpiry,
                reconnectInitial, reconnectMax, pendingRetryMax, releases);
    }

    public SimulatorConfig withFirstSerial(int first) {
        return new SimulatorConfig(serverUri, provisioningToken, mqttHost, mqttPort, devices, first, batchInterval,
                readingsPerBatch, seed, enrollConcurrency, connectConcurrency, nettyThreads, keepAlive, sessionExpiry,
                reconnectInitial, reconnectMax, pendingRetryMax, releases);
    }

    public SimulatorConfig withTelemetry(Duration interval, int readings) {
        return new SimulatorConfig(serverUri, provisioningToken, mqttHost, mqttPort, devices, firstSerial, interval,
                readings, seed, enrollConcurrency, connectConcurrency, nettyThreads, keepAlive, sessionExpiry,
                reconnectInitial, reconnectMax, pendingRetryMax, releases);
    }

    public SimulatorConfig withSeed(long newSeed) {
        return new SimulatorConfig(serverUri, provisioningToken, mqttHost, mqttPort, devices, firstSerial,
                batchInterval, readingsPerBatch, newSeed, enrollConcurrency, connectConcurrency, nettyThreads,
                keepAlive, sessionExpiry, reconnectInitial, reconnectMax, pendingRetryMax, releases);
    }

    /** Overrides the MQTT endpoint the enrollment answer names (e.g. when the server advertises its hostname). */
    public SimulatorConfig withMqtt(String host, int port) {
        return new SimulatorConfig(serverUri, provisioningToken, host, port, devices, firstSerial, batchInterval,
                readingsPerBatch, seed, enrollConcurrency, connectConcurrency, nettyThreads, keepAlive, sessionExpiry,
                reconnectInitial, reconnectMax, pendingRetryMax, releases);
    }

    public SimulatorConfig withConcurrency(int enroll, int connect, int netty) {
        return new SimulatorConfig(serverUri, provisioningToken, mqttHost, mqttPort, devices, firstSerial,
                batchInterval, readingsPerBatch, seed, enroll, connect, netty, keepAlive, sessionExpiry,
                reconnectInitial, reconnectMax, pendingRetryMax, releases);
    }

    public SimulatorConfig withReconnect(Duration initial, Duration max) {
        return new SimulatorConfig(serverUri, provisioningToken, mqttHost, mqttPort, devices, firstSerial,
                batchInterval, readingsPerBatch, seed, enrollConcurrency, connectConcurrency, nettyThreads, keepAlive,
                sessionExpiry, initial, max, pendingRetryMax, releases);
    }

    public SimulatorConfig withPendingRetryMax(Duration max) {
        return new SimulatorConfig(serverUri, provisioningToken, mqttHost, mqttPort, devices, firstSerial,
                batchInterval, readingsPerBatch, seed, enrollConcurrency, connectConcurrency, nettyThreads, keepAlive,
                sessionExpiry, reconnectInitial, reconnectMax, max, releases);
    }

    /** The same config with devices answering desired states as {@code behaviour} says. */
    public SimulatorConfig withReleases(ReleaseBehaviour behaviour) {
        return new SimulatorConfig(serverUri, provisioningToken, mqttHost, mqttPort, devices, firstSerial,
                batchInterval, readingsPerBatch, seed, enrollConcurrency, connectConcurrency, nettyThreads, keepAlive,
                sessionExpiry, reconnectInitial, reconnectMax, pendingRetryMax, behaviour);
    }

    /** The serial of device number {@code index} (0-based within this run), e.g. {@code SIM-000123}. */
    public String serial(int index) {
        return String.format("SIM-%06d", firstSerial + index);
    }

    /** Hides the provisioning token. */
    @Override
    public String toString() {
        return "SimulatorConfig[serverUri=" + serverUri + ", provisioningToken=" + (provisioningToken == null ? null : "***")
                + ", mqtt=" + mqttHost + ":" + mqttPort + ", devices=" + devices + ", firstSerial=" + firstSerial
                + ", batchInterval=" + batchInterval + ", readingsPerBatch=" + readingsPerBatch + ", seed=" + seed
                + ", enrollConcurrency=" + enrollConcurrency + ", connectConcurrency=" + connectConcurrency
                + ", nettyThreads=" + nettyThreads + ", releases=" + releases + "]";
    }
}
