package dev.fleetlet.server.rollout.engine;

import dev.fleetlet.server.broker.DevicePublisher;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.desired.DesiredStateService;
import dev.fleetlet.server.desired.PinService;
import dev.fleetlet.server.desired.ReportedStateIntake;
import dev.fleetlet.server.device.DeviceRepository;
import dev.fleetlet.server.events.EventBus;
import dev.fleetlet.server.rollout.ReleaseCatalog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/**
 * Wires desired state, pins, reported-state intake and the rollout engine. Settings:
 * {@code fleetlet.rollouts.lease-ttl} (15s: another replica takes a rollout over this long after its
 * holder stopped renewing), {@code fleetlet.rollouts.tick} (500ms), {@code fleetlet.rollouts.intake-capacity}
 * (100000 queued reports/events before dropping). The release catalog and the broker's publisher are
 * looked up lazily: without a catalog no release can be assigned; without a broker nothing is published.
 */
@Factory
class RolloutBeans {

    @Singleton
    @Bean(preDestroy = "close")
    DesiredStateService desiredStateService(Jdbc jdbc, BeanProvider<ReleaseCatalog> catalog,
                                            BeanProvider<DevicePublisher> publisher, Clock clock) {
        return new DesiredStateService(jdbc, () -> catalog.isPresent() ? catalog.get() : null,
                () -> publisher.isPresent() ? publisher.get() : null, clock);
    }

    @Singleton
    PinService pinService(Jdbc jdbc, DeviceRepository devices, DesiredStateService desired, Clock clock) {
        return new PinService(jdbc, devices, desired, clock);
    }

    @Singleton
    RolloutStore rolloutStore(Jdbc jdbc) {
        return new RolloutStore(jdbc);
    }

    @Singleton
    RolloutQueries rolloutQueries(Jdbc jdbc) {
        return new RolloutQueries(jdbc);
    }

    @Singleton
    DeviceSnapshots deviceSnapshots(Jdbc jdbc) {
        return new DeviceSnapshots(jdbc);
    }

    @Singleton
    @Bean(preDestroy = "close")
    RolloutEngine rolloutEngine(RolloutStore store, DesiredStateService desired, Clock clock, MeterRegistry registry,
                                BeanProvider<RolloutListener> listener,
                                @Value("${fleetlet.rollouts.lease-ttl:15s}") Duration leaseTtl,
                                @Value("${fleetlet.rollouts.tick:500ms}") Duration tick) {
        if (leaseTtl.toMillis() < 1000) {
            throw new IllegalArgumentException("fleetlet.rollouts.lease-ttl must be at least 1s, was " + leaseTtl);
        }
        if (tick.toMillis() < 10 || tick.compareTo(leaseTtl.dividedBy(3)) > 0) {
            throw new IllegalArgumentException("fleetlet.rollouts.tick must be between 10ms and a third of the lease-ttl, was " + tick);
        }
        String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        RolloutListener relay = new RolloutListener() {
            @Override
            public void phase(String id, dev.fleetlet.server.rollout.Phase from, dev.fleetlet.server.rollout.Phase to,
                              java.time.Instant at) {
                if (listener.isPresent()) {
                    listener.get().phase(id, from, to, at);
                }
            }

            @Override
            public void audit(String id, java.time.Instant at, String text) {
                if (listener.isPresent()) {
                    listener.get().audit(id, at, text);
                }
            }

            @Override
            public void progress(String id, dev.fleetlet.server.rollout.Phase phase, int group, RolloutCounts total,
                                 java.util.List<RolloutCounts> groups) {
                if (listener.isPresent()) {
                    listener.get().progress(id, phase, group, total, groups);
                }
            }
        };
        return new RolloutEngine(store, desired, clock, owner, leaseTtl, tick, relay, registry);
    }

    @Singleton
    RolloutService rolloutService(RolloutStore store, DeviceSnapshots snapshots, DesiredStateService desired,
                                  RolloutEngine engine, Clock clock) {
        return new RolloutService(store, snapshots, desired, engine, clock);
    }

    @Singleton
    @Bean(preDestroy = "close")
    ReportedStateIntake reportedStateIntake(Jdbc jdbc, EventBus bus, RolloutEngine engine, MeterRegistry registry,
                                            @Value("${fleetlet.rollouts.intake-capacity:100000}") int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("fleetlet.rollouts.intake-capacity must be at least 1, was " + capacity);
        }
        ReportedStateIntake intake = new ReportedStateIntake(jdbc, bus, engine::observe, capacity);
        FunctionCounter.builder("fleetlet.reported.dropped", intake, ReportedStateIntake::dropped)
                .description("Reported states and device events dropped because the intake queue was full")
                .register(registry);
        FunctionCounter.builder("fleetlet.reported.failed", intake, ReportedStateIntake::failed)
                .description("Reported states and device events that could not be stored").register(registry);
        Gauge.builder("fleetlet.reported.backlog", intake, ReportedStateIntake::backlog)
                .description("Reported states and device events waiting to be stored").register(registry);
        return intake;
    }
}
