package dev.fleetlet.server.broker;

import dev.fleetlet.protocol.Topics;
import dev.fleetlet.server.device.DeviceService;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends what a decommissioned device still holds in the broker: its open MQTT session is disconnected
 * (reason NOT_AUTHORIZED, no will message) and its retained desired state is removed, so neither a stale
 * session nor a later subscriber sees it. Reconnecting is refused by the client directory, which no longer
 * accepts the device's credentials. Waits up to 5 s for the broker; a failure is logged, never thrown, as
 * the decommission itself is already committed.
 */
@Singleton
@Requires(property = "fleetlet.mqtt.enabled", notEquals = "false")
public class DecommissionedSessions implements DeviceService.DecommissionListener {

    private static final Logger log = LoggerFactory.getLogger(DecommissionedSessions.class);

    private final FleetBroker broker;

    public DecommissionedSessions(FleetBroker broker) {
        this.broker = broker;
    }

    @Override
    public void decommissioned(String deviceId) {
        try {
            boolean wasConnected = broker.disconnect(deviceId).get(5, TimeUnit.SECONDS);
            broker.clearRetained(Topics.desiredState(deviceId)).get(5, TimeUnit.SECONDS);
            log.info("decommissioned device removed from broker deviceId={} disconnected={}", deviceId, wasConnected);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("decommission broker clean-up interrupted deviceId={}", deviceId);
        } catch (Exception e) {
            log.warn("decommission broker clean-up failed deviceId={} error={}", deviceId, e.toString());
        }
    }
}
