package dev.fleetlet.server.broker.internal;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ClientInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionLostInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ServerInitiatedDisconnectInput;
import com.hivemq.extension.sdk.api.packets.general.DisconnectedReasonCode;
import dev.fleetlet.server.broker.ClientPrincipal;
import dev.fleetlet.server.broker.PresenceListener;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports device connects and disconnects to the {@link PresenceListener} and keeps the connected-clients
 * gauge. A connection replaced by a newer one of the same device (session takeover) is not reported
 * offline: the device is still online through the new connection.
 */
final class LifecycleListener implements ClientLifecycleEventListener {

    private static final Logger log = LoggerFactory.getLogger(LifecycleListener.class);

    private final PresenceListener presence;
    private final MqttMetrics metrics;
    private final Clock clock;

    LifecycleListener(PresenceListener presence, MqttMetrics metrics, Clock clock) {
        this.presence = presence;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public void onMqttConnectionStart(ConnectionStartInput input) {
        // nothing to do until the client has authenticated
    }

    @Override
    public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
        Optional<ClientPrincipal> principal = Principals.of(input.getConnectionInformation());
        if (principal.isEmpty()) {
            return;
        }
        metrics.connected();
        if (principal.get() instanceof ClientPrincipal.Device d) {
            log.info("device connected deviceId={}", d.deviceId());
            safely(() -> presence.online(d.deviceId(), clock.instant(), null), d.deviceId());
        }
    }

    @Override
    public void onConnectionLost(ConnectionLostInput input) {
        ended(input.getConnectionInformation(), "connection-lost");
    }

    @Override
    public void onClientInitiatedDisconnect(ClientInitiatedDisconnectInput input) {
        ended(input.getConnectionInformation(), "disconnect");
    }

    @Override
    public void onServerInitiatedDisconnect(ServerInitiatedDisconnectInput input) {
        boolean takenOver = input.getReasonCode().filter(c -> c == DisconnectedReasonCode.SESSION_TAKEN_OVER).isPresent();
        ended(input.getConnectionInformation(), takenOver ? null : "server-disconnect");
    }

    @Override
    public void onDisconnect(DisconnectEventInput input) {
        ended(input.getConnectionInformation(), "disconnect");
    }

    /** {@code reason} null: the connection ended but the device is not offline (taken over). */
    private void ended(ConnectionInformation connection, String reason) {
        Optional<ClientPrincipal> principal = Principals.of(connection);
        if (principal.isEmpty()) {
            return; // never authenticated: it was never counted or reported online
        }
        connection.getConnectionAttributeStore().remove(Principals.ATTRIBUTE);
        metrics.disconnected();
        if (principal.get() instanceof ClientPrincipal.Device d) {
            log.info("device disconnected deviceId={} reason={}", d.deviceId(), reason == null ? "session-taken-over" : reason);
            if (reason != null) {
                safely(() -> presence.offline(d.deviceId(), clock.instant(), reason), d.deviceId());
            }
        }
    }

    private static void safely(Runnable call, String deviceId) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.error("presence listener failed deviceId={}", deviceId, e);
        }
    }
}
