package dev.fleetlet.agent.clock;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the system clock has been synchronised since boot, as the OS says (docs/protocol.md, Clocks:
 * the agent never guesses). Decides {@code clockSynced} on presence and telemetry.
 *
 * <p>An unsynchronised clock never breaks anything in the agent: timestamps are sent as they are with
 * {@code clockSynced: false}; back-off and batching use monotonic time; the agent does no certificate
 * date check of its own (a TLS failure caused by a wrong clock is retried like any connection failure).
 */
@FunctionalInterface
public interface ClockStatus {

    boolean synced();

    /**
     * systemd-timesyncd's flag file {@code /run/systemd/timesync/synchronized} under {@code root} (created
     * at the first successful NTP synchronisation after boot; Raspberry Pi OS and Debian use timesyncd).
     * Hosts with another NTP client can point the agent at a root whose flag file they maintain.
     */
    static ClockStatus systemd(Path root) {
        Path flag = root.resolve("run/systemd/timesync/synchronized");
        return () -> Files.exists(flag);
    }
}
