package dev.fleetlet.server.rollout.engine;

import dev.fleetlet.server.events.EventBus;
import dev.fleetlet.server.events.EventTypes;
import dev.fleetlet.server.rollout.Observation;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;
import java.util.List;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * Starts the rollout engine once the application has started (so the broker is up for the re-publish of
 * unconfirmed desired states) and feeds presence changes from the event bus to it as ONLINE/OFFLINE
 * observations. {@code fleetlet.rollouts.engine.enabled=false} keeps the engine stopped (REST still stores
 * rollouts and commands; another replica steps them).
 */
@Singleton
@Requires(property = "fleetlet.rollouts.engine.enabled", notEquals = "false")
class RolloutEngineStarter implements ApplicationEventListener<StartupEvent> {

    private final RolloutEngine engine;
    private final EventBus bus;
    private volatile Disposable presence;

    RolloutEngineStarter(RolloutEngine engine, EventBus bus) {
        this.engine = engine;
        this.bus = bus;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        presence = Flux.from(bus.stream())
                .filter(e -> e.deviceId() != null
                        && (EventTypes.ONLINE.equals(e.type()) || EventTypes.OFFLINE.equals(e.type())))
                .subscribe(e -> engine.observe(List.of(new Observation(e.deviceId(), e.at(),
                        EventTypes.ONLINE.equals(e.type()) ? Observation.Kind.ONLINE : Observation.Kind.OFFLINE, null,
                        e.data().get("reason")))));
        engine.start();
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        Disposable d = presence;
        if (d != null) {
            d.dispose();
        }
    }
}
