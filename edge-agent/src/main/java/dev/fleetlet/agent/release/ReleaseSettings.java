package dev.fleetlet.agent.release;

import java.time.Duration;

/**
 * Tunables of the {@link ContainerReleaseRuntime}.
 *
 * @param soak          how long a new release must have run before the images of the release it replaced are
 *                      collected (default 10 min); until then a rollback needs no download
 * @param settle        how long a service without a health check must keep running, without restarting, to
 *                      count as started (default 5 s)
 * @param healthMargin  added to a health check's own budget ({@code start_period + retries × (interval + timeout)})
 *                      before a service that is neither healthy nor unhealthy counts as failed (default 10 s)
 * @param crashRestarts restarts of one service during the start of a release that count as a crash loop and
 *                      fail the release (default 3)
 * @param stopGrace     SIGTERM-to-SIGKILL grace used when the spec gives none and during recovery (default 10 s)
 */
public record ReleaseSettings(Duration soak, Duration settle, Duration healthMargin, int crashRestarts,
                              Duration stopGrace) {

    public ReleaseSettings {
        requireNonNegative("release.soak", soak);
        requireNonNegative("release.settle", settle);
        requireNonNegative("release.health-margin", healthMargin);
        requireNonNegative("release.stop-grace", stopGrace);
        if (crashRestarts < 1) {
            throw new IllegalArgumentException("release.crash-restarts must be >= 1, got " + crashRestarts);
        }
    }

    public static ReleaseSettings defaults() {
        return new ReleaseSettings(Duration.ofMinutes(10), Duration.ofSeconds(5), Duration.ofSeconds(10), 3,
                Duration.ofSeconds(10));
    }

    private static void requireNonNegative(String key, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(key + " must be a duration >= 0, got " + d);
        }
    }
}
