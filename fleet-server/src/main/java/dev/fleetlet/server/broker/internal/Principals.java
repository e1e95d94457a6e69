package dev.fleetlet.server.broker.internal;

import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import dev.fleetlet.protocol.Acl;
import dev.fleetlet.server.broker.ClientPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the authenticated principal with the broker connection (in its connection attribute store) and
 * turns the protocol's {@link Acl} rules into broker topic permissions.
 */
final class Principals {

    static final String ATTRIBUTE = "fleetlet.principal";
    private static final String DEVICE = "device:";
    private static final String READER = "reader:";

    private Principals() {
    }

    static void remember(ConnectionInformation connection, ClientPrincipal principal) {
        String value = principal instanceof ClientPrincipal.Device d
                ? DEVICE + d.deviceId()
                : READER + ((ClientPrincipal.TelemetryReader) principal).accountName();
        connection.getConnectionAttributeStore().putAsString(ATTRIBUTE, value);
    }

    /** The principal authenticated on this connection, or empty when it never authenticated. */
    static Optional<ClientPrincipal> of(ConnectionInformation connection) {
        return connection.getConnectionAttributeStore().getAsString(ATTRIBUTE).map(value -> {
            if (value.startsWith(DEVICE)) {
                return new ClientPrincipal.Device(value.substring(DEVICE.length()));
            }
            return new ClientPrincipal.TelemetryReader(value.substring(READER.length()));
        });
    }

    static List<Acl.Rule> rules(ClientPrincipal principal) {
        return principal instanceof ClientPrincipal.Device d ? Acl.forDevice(d.deviceId()) : Acl.forTelemetryReader();
    }

    /** Allow-permissions equivalent to {@code rules}; anything else is denied by the default behaviour. */
    static List<TopicPermission> permissions(List<Acl.Rule> rules) {
        List<TopicPermission> out = new ArrayList<>(rules.size());
        for (Acl.Rule rule : rules) {
            var builder = Builders.topicPermission()
                    .topicFilter(rule.topicFilter())
                    .type(TopicPermission.PermissionType.ALLOW)
                    .qos(TopicPermission.Qos.ALL);
            if (rule.action() == Acl.Action.PUBLISH) {
                builder.activity(TopicPermission.MqttActivity.PUBLISH)
                        .retain(rule.retain() ? TopicPermission.Retain.ALL : TopicPermission.Retain.NOT_RETAINED);
            } else {
                builder.activity(TopicPermission.MqttActivity.SUBSCRIBE)
                        .sharedSubscription(TopicPermission.SharedSubscription.ALL)
                        .sharedGroup("#");
            }
            out.add(builder.build());
        }
        return out;
    }
}
