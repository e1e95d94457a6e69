package dev.fleetlet.agent.mqtt;

import dev.fleetlet.protocol.Topics;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** Builds the CONNECT options of the {@link MqttSession} from its {@link SessionSettings}. */
final class ConnectOptions {

    private ConnectOptions() {
    }

    /**
     * The CONNECT options: persistent session with explicit expiry, the Will, our Receive Maximum and Maximum
     * Packet Size, no incoming topic aliases, and the provisioning CA's socket factory only for TLS URIs
     * ({@code ssl://}, {@code wss://}): Paho refuses an SSL socket factory for a {@code tcp://} broker.
     */
    static MqttConnectionOptions of(SessionSettings settings) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(settings.deviceId());
        o.setPassword(settings.secret().getBytes(StandardCharsets.UTF_8));
        o.setCleanStart(false);
        o.setSessionExpiryInterval(settings.sessionExpiry().toSeconds());
        o.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
        o.setConnectionTimeout((int) Math.max(1, settings.connectTimeout().toSeconds()));
        o.setAutomaticReconnect(false);
        o.setReceiveMaximum(settings.maxInFlight() + MqttSession.CONTROL_IN_FLIGHT);
        o.setMaximumPacketSize(MqttSession.MAX_INCOMING_PACKET_BYTES);
        o.setTopicAliasMaximum(0);
        MqttProperties willProps = new MqttProperties();
        willProps.setPayloadFormat(true);
        willProps.setContentType("application/json");
        willProps.setWillDelayInterval(0L);
        o.setWillMessageProperties(willProps);
        o.setWill(Topics.presence(settings.deviceId()),
                new MqttMessage(settings.willPresence().get(), 1, true, null));
        if (isTls(settings.uri())) {
            settings.sslContext().ifPresent(ctx -> {
                o.setSocketFactory(ctx.getSocketFactory());
                o.setHttpsHostnameVerificationEnabled(true);
            });
        }
        return o;
    }

    /** True for the URI schemes Paho opens with TLS. */
    static boolean isTls(java.net.URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        return scheme.equals("ssl") || scheme.equals("wss");
    }
}
