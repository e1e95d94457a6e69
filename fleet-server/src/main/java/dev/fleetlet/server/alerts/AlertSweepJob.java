package dev.fleetlet.server.alerts;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/** Runs the offline-alert sweep every {@code fleetlet.alerts.sweep-interval} (default 30 s). */
@Singleton
public class AlertSweepJob {

    private final AlertService alerts;

    public AlertSweepJob(AlertService alerts) {
        this.alerts = alerts;
    }

    @Scheduled(fixedDelay = "${fleetlet.alerts.sweep-interval:30s}", initialDelay = "10s")
    void sweep() {
        alerts.sweepOffline();
    }
}
