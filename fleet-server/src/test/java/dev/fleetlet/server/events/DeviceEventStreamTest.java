package dev.fleetlet.server.events;

import static dev.fleetlet.server.support.FleetTestServer.admin;
import static dev.fleetlet.server.support.FleetTestServer.enrollment;
import static dev.fleetlet.server.support.FleetTestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.protocol.message.HardwareFacts;
import dev.fleetlet.protocol.message.Presence;
import dev.fleetlet.server.broker.PresenceListener;
import dev.fleetlet.server.support.FleetTestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceEventStreamTest {

    @TempDir
    Path dataDir;

    @Test
    void streamsEnrolledOnlineAndOfflineEventsAndStoresThem() {
        try (FleetTestServer server = FleetTestServer.start(dataDir, Map.of())) {
            // given an SSE subscriber
            List<String> lines = new CopyOnWriteArrayList<>();
            HttpRequest request = HttpRequest.newBuilder(server.uri("/api/v1/events/stream"))
                    .header("Authorization", admin()).header("Accept", "text/event-stream").build();
            CompletableFuture<HttpResponse<Stream<String>>> response =
                    server.http().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
            CompletableFuture<Void> reader = response.thenAcceptAsync(r -> r.body().forEach(lines::add));
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event: stream.connected"));

            // when a board enrolls, then connects and sends its birth message, then drops off
            String token = server.createToken("lab", null);
            String id = json(server.post("/api/v1/enroll", null, enrollment(token, "SER-SSE-1", "s".repeat(40))))
                    .get("deviceId").asText();
            PresenceListener presence = server.bean(PresenceListener.class);
            presence.online(id, Instant.now(), null);
            presence.online(id, Instant.now(), Presence.birth(id, Instant.now(), true, "boot-1",
                    new HardwareFacts("SER-SSE-1", "Raspberry Pi 5", "arm64", "v8", 8192, "6.6", "Debian 12", "0.2.0", List.of("gpio"))));
            presence.offline(id, Instant.now(), "connection-lost");

            // then the stream carries enrolled, online (once) and offline for it, in that order
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.contains("event: device.offline"));
            List<String> names = lines.stream().filter(l -> l.startsWith("event: device.")).toList();
            assertThat(names).containsExactly("event: device.enrolled", "event: device.online", "event: device.offline");
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("data:").contains(id).contains("\"type\":\"device.enrolled\""));
            // and the registry and the stored history agree
            var device = json(server.get("/api/v1/devices/" + id, admin()));
            assertThat(device.get("status").asText()).isEqualTo("OFFLINE");
            assertThat(device.get("offlineReason").asText()).isEqualTo("connection-lost");
            assertThat(device.get("hardware").get("model").asText()).isEqualTo("Raspberry Pi 5");
            var stored = json(server.get("/api/v1/devices/" + id + "/events", admin())).get("items");
            assertThat(stored).extracting(e -> e.get("type").asText())
                    .containsExactly("device.offline", "device.online", "device.enrolled");
            reader.cancel(true);
        }
    }
}
