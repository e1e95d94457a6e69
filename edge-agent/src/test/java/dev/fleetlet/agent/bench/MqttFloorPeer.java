package dev.fleetlet.agent.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * The floor of {@link AgentBench}: the least a Java 17 process needs to do the agent's steady-state job on
 * the wire. It connects with Paho (MQTT v5, the agent's client library) as an enrolled device and
 * publishes one telemetry batch of three readings with QoS 1 once per second, waiting for each PUBACK,
 * until it is killed. No configuration, queue, sensors, schema or logging: whatever the agent uses above
 * this process is the agent's own cost.
 *
 * <p>Run as its own JVM: {@code MqttFloorPeer <mqttUri> <deviceId> <secret>}. It prints
 * {@code first-publish-acked} to standard output once the first batch is acknowledged.
 */
public final class MqttFloorPeer {

    private MqttFloorPeer() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String deviceId = args[1];
        String secret = args[2];
        MqttClient client = new MqttClient(uri, deviceId, new MemoryPersistence());
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setUserName(deviceId);
        o.setPassword(secret.getBytes(StandardCharsets.UTF_8));
        o.setCleanStart(false);
        o.setSessionExpiryInterval(3600L);
        o.setKeepAliveInterval(60);
        client.connect(o);
        String topic = "fleetlet/v1/devices/" + deviceId + "/telemetry";
        String stream = "s-floor" + Long.toHexString(System.nanoTime() & 0xffffff);
        long next = System.currentTimeMillis();
        for (long seq = 1; ; seq++) {
            String now = Instant.now().toString();
            StringBuilder json = new StringBuilder(512).append("{\"v\":1,\"deviceId\":\"").append(deviceId)
                    .append("\",\"stream\":\"").append(stream).append("\",\"seq\":").append(seq)
                    .append(",\"sentAt\":\"").append(now).append("\",\"clockSynced\":true,\"dropped\":0,\"readings\":[");
            for (int i = 0; i < 3; i++) {
                json.append(i == 0 ? "" : ",").append("{\"sensor\":\"s").append(i)
                        .append("\",\"quantity\":\"temperature\",\"unit\":\"Cel\",\"value\":").append(20 + i)
                        .append(",\"ts\":\"").append(now).append("\",\"quality\":\"ok\"}");
            }
            MqttMessage m = new MqttMessage(json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
            m.setQos(1);
            client.publish(topic, m); // blocks until the PUBACK
            if (seq == 1) {
                System.out.println("first-publish-acked");
                System.out.flush();
            }
            next += 1000;
            long wait = next - System.currentTimeMillis();
            if (wait > 0) {
                new CountDownLatch(1).await(wait, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }
    }
}
