package dev.fleetlet.server.events;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Sinks;

/** {@link EventBus} with a Reactor multicast sink (best effort per subscriber) and the {@link DeviceEventStore}. */
@Singleton
public class InProcessEventBus implements EventBus {

    private static final Logger log = LoggerFactory.getLogger(InProcessEventBus.class);

    private final DeviceEventStore store;
    private final Clock clock;
    private final Sinks.Many<FleetEvent> sink = Sinks.many().multicast().directBestEffort();

    public InProcessEventBus(DeviceEventStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public FleetEvent publish(String type, String deviceId, Map<String, String> data) {
        FleetEvent event = new FleetEvent(0, type, deviceId, clock.instant(), data);
        if (deviceId != null) {
            event = store.append(event);
        }
        synchronized (sink) {
            Sinks.EmitResult result = sink.tryEmitNext(event);
            if (result.isFailure() && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
                log.debug("event not delivered to live subscribers type={} deviceId={} result={}", type, deviceId, result);
            }
        }
        return event;
    }

    @Override
    public Publisher<FleetEvent> stream() {
        return sink.asFlux();
    }
}
