package dev.fleetlet.server.broker;

import java.util.Objects;

/**
 * A client the broker has authenticated: a device, whose client id and user name both equal its
 * device id, or a read-only telemetry reader (a service account). The broker derives the client's
 * permissions from this: {@link dev.fleetlet.protocol.Acl#forDevice} or
 * {@link dev.fleetlet.protocol.Acl#forTelemetryReader}.
 */
public sealed interface ClientPrincipal permits ClientPrincipal.Device, ClientPrincipal.TelemetryReader {

    /** An enrolled device. */
    record Device(String deviceId) implements ClientPrincipal {
        public Device {
            Objects.requireNonNull(deviceId, "deviceId");
        }
    }

    /** A service account allowed to read telemetry and presence of every device. */
    record TelemetryReader(String accountName) implements ClientPrincipal {
        public TelemetryReader {
            Objects.requireNonNull(accountName, "accountName");
        }
    }
}
