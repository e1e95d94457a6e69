package dev.fleetlet.hil.agente2e;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Sees what devices publish on topics no MQTT principal may subscribe to ({@code events}, {@code state/reported}):
 * an MQTT client logged in as a service account, whose subscriptions the test adds inside the server's broker
 * through the broker's subscription store (which bypasses the ACL; only possible in-process). Needed because the
 * fleet server decodes device events and reported states but keeps them nowhere an API could return them.
 */
final class BrokerTap implements AutoCloseable {

    /** One message the tap received. */
    record Message(String topic, String payload) {
    }

    private final Mqtt5AsyncClient client;
    private final String clientId;
    private final List<Message> received = new CopyOnWriteArrayList<>();

    BrokerTap(int mqttPort, String account, String secret) throws Exception {
        this.clientId = account + "-tap";
        this.client = Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(mqttPort)
                .simpleAuth().username(account).password(secret.getBytes(StandardCharsets.UTF_8)).applySimpleAuth()
                .buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, p -> received.add(new Message(p.getTopic().toString(),
                new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))));
        client.connectWith().cleanStart(true).send().get(20, TimeUnit.SECONDS);
    }

    /** Delivers every message on {@code topicFilter} to this tap from now on. */
    void watch(String topicFilter) throws Exception {
        Services.subscriptionStore().addSubscription(clientId, Builders.topicSubscription().topicFilter(topicFilter)
                .qos(Qos.AT_LEAST_ONCE).build()).get(10, TimeUnit.SECONDS);
    }

    List<Message> received(String topic) {
        return received.stream().filter(m -> m.topic().equals(topic)).toList();
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the broker may already be gone
        }
    }
}
