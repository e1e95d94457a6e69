package dev.fleetlet.protocol.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppSpecJsonTest {

    private static final ObjectMapper MAPPER = ProtocolCodec.newMapper();
    private final AppSpecParser parser = new AppSpecParser();

    @Test
    void roundTripsTheFullExampleThroughBytesWithoutLoss() throws Exception {
        // given
        AppSpec app = parser.parseYaml(Specs.WEATHER, null).orElseThrow();

        // when
        byte[] wire = MAPPER.writeValueAsBytes(AppSpecJson.toJson(app));
        AppSpec back = AppSpecJson.fromJson(MAPPER.readTree(wire));

        // then
        assertThat(back).isEqualTo(app);
        assertThat(MAPPER.writeValueAsString(AppSpecJson.toJson(back))).isEqualTo(new String(wire, "UTF-8"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "environment: {PRICE: '$$5', B: 'a$$$${x}'}",
            "memswap_limit: -1\nmem_limit: 10000001",
            "cpus: 0.125",
            "healthcheck: {disable: true}",
            "healthcheck: {test: [NONE]}",
            "healthcheck: {test: [CMD, 'true'], interval: 1h2m3s4ms, start_period: 0s}",
            "restart: on-failure:0",
            "volumes: ['data:/d:ro', '/etc/a:/a:ro']\ntmpfs: [/tmp, /run]",
            "devices: [/dev/i2c-1, '/dev/ttyUSB0:/dev/ttyS0:r']",
            "stop_grace_period: 250ms\nread_only: true",
            "labels: {a: '${not.interpolated}'}"})
    void roundTripsEachKeyForm(String body) {
        // given
        AppSpec app = parser.parseYaml(Specs.web(body), null).orElseThrow();

        // when
        AppSpec back = AppSpecJson.fromJson(AppSpecJson.toJson(app));

        // then
        assertThat(back).isEqualTo(app);
    }

    @Test
    void writesKeysInAStableCanonicalOrderWithDefaultsLeftOut() {
        // given: keys written in an unusual order
        String yaml = """
                x-fleetlet: {update_strategy: hand-over}
                services:
                  web:
                    restart: "no"
                    mem_limit: 1073741824
                    command: run --now
                    image: nginx:1.27
                name: shop
                """;

        // when
        JsonNode json = AppSpecJson.toJson(parser.parseYaml(yaml, null).orElseThrow());

        // then
        assertThat(json.toString()).isEqualTo("{\"name\":\"shop\",\"services\":{\"web\":{\"image\":\"nginx:1.27\","
                + "\"command\":[\"run\",\"--now\"],\"mem_limit\":\"1g\"}},\"x-fleetlet\":{\"update_strategy\":\"hand-over\"}}");
    }

    @Test
    void fromJsonRefusesAnInvalidTreeListingTheProblems() throws Exception {
        JsonNode bad = MAPPER.readTree("{\"name\":\"d\",\"services\":{\"w\":{\"image\":\"x\",\"mem_limit\":\"lots\"}}}");
        assertThatThrownBy(() -> AppSpecJson.fromJson(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("services.w.mem_limit: expected a byte size like 64m or 1g, was \"lots\"");
    }

    @Test
    void listsAndPinsImages() {
        // given
        AppSpec app = parser.parseYaml(Specs.WEATHER, null).orElseThrow();

        // when
        AppSpec pinned = app.withPinnedImages(Map.of(
                "eclipse-mosquitto:2.0.18", "eclipse-mosquitto@" + Specs.DIGEST,
                "registry.example/weather/bridge:1.4.0", "registry.example/weather/bridge@" + Specs.DIGEST));

        // then
        assertThat(app.images()).containsExactly(
                new AppSpec.ServiceImage("broker", "eclipse-mosquitto:2.0.18"),
                new AppSpec.ServiceImage("sampler", "registry.example/weather/sampler@" + Specs.DIGEST),
                new AppSpec.ServiceImage("bridge", "registry.example/weather/bridge:1.4.0"));
        assertThat(app.isFullyPinned()).isFalse();
        assertThat(pinned.isFullyPinned()).isTrue();
        assertThat(pinned.services().get("broker").image()).isEqualTo("eclipse-mosquitto@" + Specs.DIGEST);
        assertThat(pinned.services().keySet()).containsExactly("broker", "sampler", "bridge");
        assertThat(AppSpecJson.fromJson(AppSpecJson.toJson(pinned))).isEqualTo(pinned);
        assertThat(List.copyOf(app.services().values())).hasSize(3);
    }

    @Test
    void pinsImagesByServiceNameAndRefusesAnUnknownService() {
        // given
        AppSpec app = parser.parseYaml(Specs.WEATHER, null).orElseThrow();

        // when
        AppSpec pinned = app.withServiceImages(Map.of("bridge", "registry.example/weather/bridge@" + Specs.DIGEST));

        // then
        assertThat(pinned.services().get("bridge").isPinned()).isTrue();
        assertThat(pinned.services().get("broker")).isEqualTo(app.services().get("broker"));
        assertThatThrownBy(() -> app.withServiceImages(Map.of("nope", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no service nope");
    }
}
