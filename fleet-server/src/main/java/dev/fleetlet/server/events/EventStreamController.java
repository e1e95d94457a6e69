package dev.fleetlet.server.events;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Duration;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;

/**
 * {@code GET /api/v1/events/stream}: server-sent events of the device event bus, one SSE event per
 * {@link FleetEvent} (SSE {@code event:} = type, {@code id:} = store id), optionally filtered by device, with a
 * {@value #CONNECTED} event first (the subscription is live from then on) and a {@value #HEARTBEAT} event every
 * 15 s so proxies keep the connection. A client that reads too slowly loses the oldest
 * buffered events (up to 1,024 are buffered per client).
 */
@Controller("/api/v1/events")
@Secured({"ADMIN", "OPERATOR", "VIEWER"})
public class EventStreamController {

    public static final String CONNECTED = "stream.connected";
    public static final String HEARTBEAT = "stream.heartbeat";

    private final EventBus bus;

    public EventStreamController(EventBus bus) {
        this.bus = bus;
    }

    @Operation(summary = "Stream device events (SSE)")
    @Get(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<?>> stream(@QueryValue(defaultValue = "") String deviceId) {
        Flux<Event<?>> events = Flux.from(bus.stream())
                .filter(e -> deviceId.isEmpty() || deviceId.equals(e.deviceId()))
                .onBackpressureBuffer(1024, dropped -> { }, BufferOverflowStrategy.DROP_OLDEST)
                .map(e -> Event.of(e).name(e.type()).id(Long.toString(e.id())));
        Flux<Event<?>> heartbeat = Flux.interval(Duration.ofSeconds(15))
                .map(i -> Event.of(Map.of("n", i)).name(HEARTBEAT));
        return Flux.merge(Flux.just(Event.of(Map.of()).name(CONNECTED)), events, heartbeat);
    }
}
