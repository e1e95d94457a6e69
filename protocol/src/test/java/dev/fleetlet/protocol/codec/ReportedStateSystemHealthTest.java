package dev.fleetlet.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.ServiceStatus;
import dev.fleetlet.protocol.message.SystemHealth;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The optional {@code system} object of the reported state: an additive v1 field. */
class ReportedStateSystemHealthTest {

    private static final ProtocolCodec CODEC = new ProtocolCodec();
    private static final ObjectMapper MAPPER = ProtocolCodec.newMapper();
    private static final Instant T = Instant.parse("2025-03-14T10:01:37Z");

    private static ReportedState report(SystemHealth system) {
        return new ReportedState(1, "pi-kitchen-01", 12, T, ReportedState.Status.APPLIED, "app-1", null, null,
                List.of(new ServiceStatus("web", "r/web@sha256:" + "a".repeat(64), "running", "healthy", 2, 1.5,
                        1_000_000L, 8_000_000L, 3)), system);
    }

    private static ObjectNode tree(SystemHealth system) throws Exception {
        return (ObjectNode) MAPPER.readTree(CODEC.encode(MessageType.REPORTED_STATE, report(system)));
    }

    @Test
    void roundTripsEverySystemField() {
        // given
        SystemHealth system = new SystemHealth(100L, 1000L, 200L, 900L, 48.5, 3600L, true, false, true, 0x50005);

        // when
        byte[] bytes = CODEC.encode(MessageType.REPORTED_STATE, report(system));
        Decoded<ReportedState> decoded = CODEC.decode(MessageType.REPORTED_STATE, bytes);

        // then
        assertThat(decoded.isOk()).as("%s", decoded).isTrue();
        assertThat(decoded.orElseThrow().system()).isEqualTo(system);
        assertThat(decoded.orElseThrow().services().get(0).memoryLimitBytes()).isEqualTo(8_000_000L);
    }

    @Test
    void leavesSystemOutWhenNotMeasuredAndAReportWithoutItStillDecodes() throws Exception {
        // given
        JsonNode json = tree(null);

        // when
        Decoded<ReportedState> decoded = CODEC.decode(MessageType.REPORTED_STATE, MAPPER.writeValueAsBytes(json));

        // then
        assertThat(json.has("system")).isFalse();
        assertThat(decoded.orElseThrow().system()).isNull();
    }

    @Test
    void leavesOutSystemFieldsTheKernelDoesNotExpose() throws Exception {
        // given: a board without thermal zone or firmware flags
        JsonNode json = tree(new SystemHealth(5L, 10L, null, null, null, 7L, null, null, null, null));

        // then
        assertThat(json.get("system").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("diskFreeBytes", "diskTotalBytes", "uptimeSeconds");
    }

    @Test
    void ignoresUnknownFieldsInsideSystem() throws Exception {
        // given: a newer v1 agent adds a field
        ObjectNode json = tree(new SystemHealth(5L, 10L, null, null, null, 7L, null, null, null, null));
        ((ObjectNode) json.get("system")).put("fanRpm", 1200);

        // when
        Decoded<ReportedState> decoded = CODEC.decode(MessageType.REPORTED_STATE, MAPPER.writeValueAsBytes(json));

        // then
        assertThat(decoded.isOk()).as("%s", decoded).isTrue();
        assertThat(decoded.orElseThrow().system().uptimeSeconds()).isEqualTo(7L);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "diskFreeBytes|-1",
            "diskTotalBytes|\"big\"",
            "memoryAvailableBytes|1.5",
            "cpuTemperatureC|\"hot\"",
            "cpuTemperatureC|900",
            "uptimeSeconds|-5",
            "underVoltage|\"yes\"",
            "throttled|1",
            "throttleFlags|-1"})
    void rejectsABadSystemFieldNamingIt(String field, String value) throws Exception {
        // given
        ObjectNode json = tree(new SystemHealth(5L, 10L, null, null, null, 7L, null, null, null, null));
        ((ObjectNode) json.get("system")).set(field, MAPPER.readTree(value));

        // when
        Decoded<ReportedState> decoded = CODEC.decode(MessageType.REPORTED_STATE, MAPPER.writeValueAsBytes(json));

        // then
        assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
        Rejection r = ((Decoded.Rejected<ReportedState>) decoded).rejection();
        assertThat(r.reason()).isEqualTo(Rejection.Reason.SCHEMA_VIOLATION);
        assertThat(r.field()).isEqualTo("/system/" + field);
    }

    @Test
    void rejectsSystemThatIsNotAnObject() throws Exception {
        // given
        ObjectNode json = tree(null);
        json.put("system", "fine");

        // when
        Decoded<ReportedState> decoded = CODEC.decode(MessageType.REPORTED_STATE, MAPPER.writeValueAsBytes(json));

        // then
        assertThat(decoded.isOk()).isFalse();
        assertThat(((Decoded.Rejected<ReportedState>) decoded).rejection().field()).isEqualTo("/system");
    }

    @Test
    void diskUsedFractionIsNullWithoutSizesAndRatioOtherwise() {
        assertThat(new SystemHealth(null, 10L, null, null, null, null, null, null, null, null).diskUsedFraction())
                .isNull();
        assertThat(new SystemHealth(1L, 10L, null, null, null, null, null, null, null, null).diskUsedFraction())
                .isEqualTo(0.9);
    }
}
