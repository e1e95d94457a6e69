package dev.fleetlet.server.broker;

import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.Reading;
import dev.fleetlet.protocol.message.TelemetryBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** MQTT 5 helpers for tests: connect, publish and read the PUBACK reason code, build telemetry. */
public final class Mqtt {

    public static final ProtocolCodec CODEC = new ProtocolCodec();

    private Mqtt() {
    }

    /** Connects an async client; throws with the CONNACK reason code on refusal. */
    public static MqttAsyncClient connect(String uri, String clientId, String username, String password)
            throws MqttException {
        MqttAsyncClient client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        IMqttToken token = client.connect(TestServer.options(username, password));
        token.waitForCompletion(15_000);
        return client;
    }

    /** Publishes with QoS 1 and returns the PUBACK reason code (below 0x80 = success; 0x10 = no subscribers). */
    public static int publish(MqttAsyncClient client, String topic, byte[] payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        IMqttToken token = client.publish(topic, message);
        try {
            token.waitForCompletion(20_000);
        } catch (MqttException e) {
            return e.getReasonCode();
        }
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? 0 : codes[0];
    }

    /** Subscribes with QoS 1 and returns the SUBACK reason code (0 or 1 = granted). */
    public static int subscribe(MqttAsyncClient client, String filter) throws MqttException {
        IMqttToken token = client.subscribe(filter, 1);
        try {
            token.waitForCompletion(10_000);
        } catch (MqttException e) {
            return e.getReasonCode();
        }
        int[] codes = token.getReasonCodes();
        return codes == null || codes.length == 0 ? -1 : codes[0];
    }

    public static TelemetryBatch batch(String deviceId, String stream, long seq, int readings, Instant ts) {
        List<Reading> list = new ArrayList<>();
        for (int i = 0; i < readings; i++) {
            list.add(Reading.ok("bme280", i % 2 == 0 ? "temperature" : "humidity", i % 2 == 0 ? "Cel" : "%RH",
                    20.0 + i + seq / 1000.0, ts.plusMillis(i)));
        }
        return new TelemetryBatch(1, deviceId, stream, seq, ts, true, 0, list);
    }

    public static byte[] encode(TelemetryBatch batch) {
        return CODEC.encode(MessageType.TELEMETRY, batch);
    }

    public static void closeQuietly(MqttAsyncClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close();
        } catch (MqttException e) {
            // test cleanup only
        }
    }
}
