package dev.fleetlet.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.protocol.app.AppSpec;
import dev.fleetlet.protocol.app.AppSpecJson;
import dev.fleetlet.protocol.app.AppSpecParser;
import dev.fleetlet.protocol.message.DesiredState;
import dev.fleetlet.protocol.message.Release;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The codec validates a desired state's release.spec with the app spec parser. */
class DesiredStateAppSpecTest {

    private static final ProtocolCodec CODEC = new ProtocolCodec();
    private static final ObjectMapper MAPPER = ProtocolCodec.newMapper();

    private static String desired(String spec) {
        return """
                {"v":1,"deviceId":"pi-kitchen-01","generation":3,"issuedAt":"2025-03-14T10:00:00Z",
                 "release":{"id":"r-1","name":"weather","version":"1","spec":%s}}
                """.formatted(spec);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"services":{"web":{"image":"nginx","mem_limit":"lots"}}}   | /release/spec/services/web/mem_limit | release.spec.services.web.mem_limit: expected a byte size like 64m or 1g, was "lots"
            {"services":{"web":{"image":"nginx","ports":["80:80"]}}}    | /release/spec/services/web/ports     | release.spec.services.web.ports: not supported by Fleetlet (see docs/app-spec.md)
            {"services":{"db":{"image":"pg","volumes":["/data:/data"]}}} | /release/spec/services/db/volumes/0 | release.spec.services.db.volumes[0]: bind mount /data must be read-only (add :ro)
            {"services":{"web":{}},"colour":1}                          | /release/spec/colour                 | release.spec.colour: unknown key (and 1 more)
            """)
    void rejectsADesiredStateWhoseSpecIsInvalidNamingTheField(String spec, String field, String message) {
        // when
        Rejection r = CODEC.decode(MessageType.DESIRED_STATE, desired(spec)).rejection();

        // then
        assertThat(r.reason()).isEqualTo(Rejection.Reason.SCHEMA_VIOLATION);
        assertThat(r.field()).isEqualTo(field);
        assertThat(r.message()).isEqualTo(message);
    }

    @Test
    void rejectsASpecWithoutServicesThroughTheSchema() {
        Rejection r = CODEC.decode(MessageType.DESIRED_STATE, desired("{}")).rejection();
        assertThat(r.field()).isEqualTo("/release/spec/services");
    }

    @Test
    void acceptsACanonicalSpecAndUsesTheReleaseNameWhenTheSpecHasNone() throws Exception {
        // given
        AppSpec app = new AppSpecParser().parseYaml("services: {web: {image: 'nginx:1.27', cpus: 0.5}}", "weather")
                .orElseThrow();
        ObjectNode canonical = AppSpecJson.toJson(app);
        ObjectNode nameless = canonical.deepCopy();
        nameless.remove("name");

        // when
        Decoded<DesiredState> withName = CODEC.decode(MessageType.DESIRED_STATE, desired(canonical.toString()));
        Decoded<DesiredState> withoutName = CODEC.decode(MessageType.DESIRED_STATE, desired(nameless.toString()));

        // then
        assertThat(withName.isOk()).as("%s", withName).isTrue();
        assertThat(AppSpecJson.fromJson(withName.orElseThrow().release().spec())).isEqualTo(app);
        assertThat(withoutName.isOk()).as("%s", withoutName).isTrue();
        Release release = withoutName.orElseThrow().release();
        assertThat(AppSpecJson.fromJson(release.spec(), release.name())).isEqualTo(app);
    }

    @Test
    void refusesToEncodeADesiredStateWithAnInvalidSpec() throws Exception {
        DesiredState bad = new DesiredState(1, "pi-kitchen-01", 4, Instant.parse("2025-03-14T10:00:00Z"),
                new Release("r-2", "weather", "2", MAPPER.readTree("{\"services\":{\"web\":{\"image\":\"nginx\",\"cpus\":-1}}}")),
                Map.of());

        assertThatThrownBy(() -> CODEC.encode(MessageType.DESIRED_STATE, bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("release.spec.services.web.cpus");
    }
}
