package dev.fleetlet.server.alerts;

import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.desired.ReportedStateIntake;
import dev.fleetlet.server.events.EventBus;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import java.time.Clock;
import java.time.Duration;

/**
 * Wires the alerts. Settings: {@code fleetlet.alerts.offline-after} (15m), {@code fleetlet.alerts.disk-full-percent}
 * (90), {@code fleetlet.alerts.restart-threshold} (3); the offline sweep runs every
 * {@code fleetlet.alerts.sweep-interval} (30s, {@link AlertSweepJob}). Created at startup so it listens to the
 * reported-state intake from the first report.
 */
@Factory
class AlertBeans {

    @Context
    AlertService alertService(Jdbc jdbc, EventBus bus, Clock clock, BeanProvider<ReportedStateIntake> intake,
                              @Value("${fleetlet.alerts.offline-after:15m}") Duration offlineAfter,
                              @Value("${fleetlet.alerts.disk-full-percent:90}") int diskFullPercent,
                              @Value("${fleetlet.alerts.restart-threshold:3}") int restartThreshold) {
        AlertService service = new AlertService(jdbc, bus, clock,
                new AlertSettings(offlineAfter, diskFullPercent, restartThreshold));
        if (intake.isPresent()) {
            intake.get().addReportListener(service::onReports);
        }
        return service;
    }
}
