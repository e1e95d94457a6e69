package dev.fleetlet.server.broker;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/** Health of the embedded broker ({@code mqtt-broker}): UP while it accepts connections. */
@Singleton
@Readiness
@Requires(beans = FleetBroker.class)
final class BrokerHealthIndicator implements HealthIndicator {

    private final FleetBroker broker;

    BrokerHealthIndicator(FleetBroker broker) {
        this.broker = broker;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("port", broker.settings().port());
        details.put("tlsPort", broker.settings().tlsEnabled() ? broker.settings().tlsPort() : null);
        details.put("connectedClients", broker.connectedClients());
        HealthStatus status = broker.isRunning() ? HealthStatus.UP : HealthStatus.DOWN;
        return Publishers.just(HealthResult.builder("mqtt-broker", status).details(details).build());
    }
}
