package dev.fleetlet.agent.systemd;

import java.time.Duration;
import java.util.Optional;

/**
 * Port to the service manager that supervises the agent. Every method is best effort: a message that
 * cannot be delivered is logged and never throws, because the agent must keep running either way.
 */
public interface ServiceNotifier {

    /** Start-up finished ({@code READY=1}); a {@code Type=notify} unit counts as started from here. */
    void ready();

    /** The agent is alive and healthy ({@code WATCHDOG=1}); see {@link #watchdogInterval()}. */
    void watchdog();

    /** Free-form status shown by {@code systemctl status} ({@code STATUS=...}); must not contain secrets. */
    void status(String text);

    /** Shutdown has begun ({@code STOPPING=1}). */
    void stopping();

    /**
     * How often to call {@link #watchdog()}: half the unit's {@code WatchdogSec=}; empty when the unit has
     * no watchdog or it is meant for another process.
     */
    Optional<Duration> watchdogInterval();

    /** The notifier outside systemd: does nothing, no watchdog. */
    static ServiceNotifier none() {
        return new ServiceNotifier() {
            @Override
            public void ready() {
            }

            @Override
            public void watchdog() {
            }

            @Override
            public void status(String text) {
            }

            @Override
            public void stopping() {
            }

            @Override
            public Optional<Duration> watchdogInterval() {
                return Optional.empty();
            }
        };
    }
}
