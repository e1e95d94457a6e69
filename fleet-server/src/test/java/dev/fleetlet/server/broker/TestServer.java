package dev.fleetlet.server.broker;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;

/** A fleet server on free ports in a temp data dir, with the broker test fixtures; for tests. */
public final class TestServer implements AutoCloseable {

    public final EmbeddedServer http;
    public final ApplicationContext context;
    public final int mqttPort;
    public final Path dataDir;

    private TestServer(EmbeddedServer http, int mqttPort, Path dataDir) {
        this.http = http;
        this.context = http.getApplicationContext();
        this.mqttPort = mqttPort;
        this.dataDir = dataDir;
    }

    public static TestServer start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    public static TestServer start(Path dataDir, Map<String, Object> extra) {
        int mqttPort = freePort();
        Map<String, Object> props = new HashMap<>();
        props.put("fleetlet.data-dir", dataDir.toString());
        props.put("micronaut.server.port", -1);
        props.put("fleetlet.mqtt.host", "127.0.0.1");
        props.put("fleetlet.mqtt.port", mqttPort);
        props.put("fleetlet.test.broker-fixtures", "true");
        props.put("fleetlet.admin.initial-password", "admin-test-password");
        props.put("fleetlet.telemetry.flush-interval", "20ms");
        props.put("fleetlet.mqtt.persistence", "in-memory");
        props.putAll(extra);
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props);
        return new TestServer(server, mqttPort, dataDir);
    }

    public TestClientDirectory directory() {
        return context.getBean(TestClientDirectory.class);
    }

    public RecordingPresenceListener presence() {
        return context.getBean(RecordingPresenceListener.class);
    }

    public String mqttUri() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    /** A connected MQTT 5 client (in-memory persistence, no automatic reconnect). */
    public MqttClient connect(String clientId, String username, String password) throws MqttException {
        MqttClient client = new MqttClient(mqttUri(), clientId, new MemoryPersistence());
        client.connect(options(username, password));
        return client;
    }

    public static MqttConnectionOptions options(String username, String password) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(10);
        if (username != null) {
            o.setUserName(username);
        }
        if (password != null) {
            o.setPassword(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return o;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
