/**
 * Telling systemd about the agent's life cycle (the sd_notify protocol): {@code READY=1} once the agent
 * runs, {@code WATCHDOG=1} while it is healthy, {@code STOPPING=1} on shutdown.
 *
 * <p>Flow: {@link dev.fleetlet.agent.systemd.SystemdNotifier#fromEnvironment()} reads {@code NOTIFY_SOCKET},
 * {@code WATCHDOG_USEC} and {@code WATCHDOG_PID} that systemd sets for a {@code Type=notify} unit and
 * returns a {@link dev.fleetlet.agent.systemd.ServiceNotifier}; outside systemd it is a no-op. Java 17 cannot
 * send on the Unix <em>datagram</em> socket systemd listens on (its Unix-domain channels are stream-only),
 * so each message is one run of {@code systemd-notify}, which since systemd 246 waits until the manager
 * has processed the message; the unit therefore needs {@code NotifyAccess=all}.
 * {@link dev.fleetlet.agent.systemd.Watchdog} pings at half the unit's {@code WatchdogSec=} and withholds the
 * ping while the agent's own health check fails, so systemd kills and restarts a hung agent.
 */
package dev.fleetlet.agent.systemd;
