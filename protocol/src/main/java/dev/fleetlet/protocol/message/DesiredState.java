package dev.fleetlet.protocol.message;

import java.time.Instant;
import java.util.Map;

/**
 * What the server wants a device to run, published retained on {@code state/desired}.
 *
 * <p>{@code generation} grows strictly with every change for a device; a device ignores a desired state
 * whose generation is not greater than the last one it accepted (a stale retained message or a
 * redelivery), and reports the generation it acted on.
 *
 * @param v          protocol version, always 1
 * @param deviceId   the target device
 * @param generation strictly increasing per device, from 1
 * @param issuedAt   server time of issue; devices without a synchronised clock may use it as a hint
 * @param release    the release to run, or null for "run nothing"
 * @param config     device configuration values (string to string), rolled out like releases
 */
public record DesiredState(int v, String deviceId, long generation, Instant issuedAt, Release release,
                           Map<String, String> config) {

    public DesiredState {
        config = config == null ? Map.of() : Map.copyOf(config);
    }
}
