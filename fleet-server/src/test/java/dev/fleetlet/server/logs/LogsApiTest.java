package dev.fleetlet.server.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.LogChunk;
import dev.fleetlet.server.broker.Mqtt;
import dev.fleetlet.server.broker.TestServer;
import dev.fleetlet.server.device.DeviceHardware;
import dev.fleetlet.server.device.DeviceRepository;
import dev.fleetlet.server.device.NewDevice;
import dev.fleetlet.server.support.MessageCallback;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logs on demand through the real embedded broker: the REST API sends the {@code logs} command, a Paho client
 * plays the device (answers, then publishes chunks on its {@code logs} topic, the second before the first), and the
 * API assembles them.
 */
class LogsApiTest {

    private static final String DEVICE = "dev-logs";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dataDir;
    static TestServer server;
    static MqttAsyncClient device;
    static final List<CommandRequest> received = new CopyOnWriteArrayList<>();
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dataDir);
        server.directory().addDevice(DEVICE, "pw-logs");
        DeviceRepository repo = server.context.getBean(DeviceRepository.class);
        repo.insert(new NewDevice(DEVICE, "SER-LOGS", "logs probe", "default", Map.of(), new DeviceHardware(null, null,
                null, null, null, null, "0.1.0", List.of()), "unused", Instant.now()));
        repo.markOnline(DEVICE, Instant.now(), null);
        repo.insert(new NewDevice("dev-quiet", "SER-QUIET", "quiet", "default", Map.of(), new DeviceHardware(null, null,
                null, null, null, null, "0.1.0", List.of()), "unused", Instant.now()));
        device = Mqtt.connect(server.mqttUri(), DEVICE, DEVICE, "pw-logs");
        device.setCallback(new PlayedDevice());
        assertThat(Mqtt.subscribe(device, Topics.commandRequests(DEVICE))).isLessThan(0x80);
    }

    @AfterAll
    static void stop() {
        Mqtt.closeQuietly(device);
        server.close();
    }

    /** Answers {@code logs} for source "agent" with two chunks (sent last-first), refuses any other source. */
    private static final class PlayedDevice implements MessageCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) throws Exception {
            CommandRequest req = Mqtt.CODEC.decode(MessageType.COMMAND_REQUEST, message.getPayload()).orElseThrow();
            received.add(req);
            boolean agent = req.args().path("source").asText().equals("agent");
            CommandResponse res = agent
                    ? new CommandResponse(1, req.id(), CommandResponse.Status.OK, Instant.now(),
                            JsonNodeFactory.instance.objectNode().put("chunks", 2), null)
                    : new CommandResponse(1, req.id(), CommandResponse.Status.REJECTED, Instant.now(), null,
                            new CommandResponse.ErrorInfo("bad-args", "source: unknown source '"
                                    + req.args().path("source").asText() + "'"));
            MqttMessage reply = new MqttMessage(Mqtt.CODEC.encode(MessageType.COMMAND_RESPONSE, res));
            reply.setQos(1);
            MqttProperties props = new MqttProperties();
            props.setCorrelationData(message.getProperties().getCorrelationData());
            reply.setProperties(props);
            device.publish(message.getProperties().getResponseTopic(), reply);
            if (agent) {
                Instant ts = Instant.parse("2025-03-14T11:00:00Z");
                publishChunk(new LogChunk(1, DEVICE, req.id(), 1, true, List.of(new LogChunk.Line(ts, "agent", "warn", "third"))));
                publishChunk(new LogChunk(1, DEVICE, req.id(), 0, false, List.of(new LogChunk.Line(ts, "agent", "info", "first"),
                        new LogChunk.Line(ts, "agent", "info", "second"))));
            }
        }

        private static void publishChunk(LogChunk chunk) throws MqttException {
            MqttMessage m = new MqttMessage(Mqtt.CODEC.encode(MessageType.LOG_CHUNK, chunk));
            m.setQos(1);
            device.publish(Topics.logs(DEVICE), m);
        }
    }

    private static HttpResponse<String> send(String method, String path, String body, String user, String password)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.http.getURL() + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                        .getBytes(StandardCharsets.UTF_8)));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return send(method, path, body, "admin", "admin-test-password");
    }

    private static JsonNode poll(String requestId) throws Exception {
        HttpResponse<String> r = admin("GET", "/api/v1/devices/" + DEVICE + "/logs/" + requestId, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void collectsTheDevicesChunksInOrderUntilTheLastOne() throws Exception {
        // when
        HttpResponse<String> posted = admin("POST", "/api/v1/devices/" + DEVICE + "/logs", "{\"source\":\"agent\",\"lines\":50}");
        // then: accepted at once with the request id, which is the command id the device got
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        String requestId = JSON.readTree(posted.body()).get("requestId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> poll(requestId).get("complete").asBoolean());
        JsonNode r = poll(requestId);
        assertThat(r.get("state").asText()).isEqualTo("COMPLETE");
        assertThat(r.get("expectedChunks").asInt()).isEqualTo(2);
        assertThat(r.get("chunks")).hasSize(2);
        assertThat(r.get("chunks").findValues("text")).extracting(JsonNode::asText).containsExactly("first", "second", "third");
        CommandRequest sent = received.stream().filter(c -> c.id().equals(requestId)).findFirst().orElseThrow();
        assertThat(sent.command()).isEqualTo("logs");
        assertThat(sent.args().get("lines").asInt()).isEqualTo(50);
    }

    @Test
    void showsTheDevicesRefusalOfAnUnknownService() throws Exception {
        // when
        HttpResponse<String> posted = admin("POST", "/api/v1/devices/" + DEVICE + "/logs", "{\"source\":\"db\"}");
        String requestId = JSON.readTree(posted.body()).get("requestId").asText();
        // then
        await().atMost(Duration.ofSeconds(20)).until(() -> poll(requestId).get("state").asText().equals("FAILED"));
        JsonNode r = poll(requestId);
        assertThat(r.get("error").get("code").asText()).isEqualTo("bad-args");
        assertThat(r.get("error").get("message").asText()).contains("unknown source 'db'");
        assertThat(r.get("complete").asBoolean()).isFalse();
    }

    @Test
    void refusesBadInputWithProblemsNamingTheField() throws Exception {
        HttpResponse<String> lines = admin("POST", "/api/v1/devices/" + DEVICE + "/logs", "{\"lines\":20000}");
        assertThat(lines.statusCode()).isEqualTo(400);
        assertThat(lines.headers().firstValue("content-type").orElse("")).contains("application/problem+json");
        assertThat(JSON.readTree(lines.body()).get("errors").get(0).get("field").asText()).isEqualTo("lines");
        HttpResponse<String> source = admin("POST", "/api/v1/devices/" + DEVICE + "/logs", "{\"source\":\"../etc\"}");
        assertThat(JSON.readTree(source.body()).get("errors").get(0).get("field").asText()).isEqualTo("source");
        assertThat(admin("POST", "/api/v1/devices/dev-quiet/logs", "{}").statusCode()).as("offline device").isEqualTo(409);
        assertThat(admin("POST", "/api/v1/devices/dev-nobody/logs", "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> unknown = admin("GET", "/api/v1/devices/" + DEVICE + "/logs/no-such-request", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("content-type").orElse("")).contains("application/problem+json");
    }
}
