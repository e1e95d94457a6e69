package dev.fleetlet.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

    @ParameterizedTest
    @CsvSource({
        "PRESENCE,        fleetlet/v1/devices/pi-kitchen-01/presence",
        "TELEMETRY,       fleetlet/v1/devices/pi-kitchen-01/telemetry",
        "DESIRED_STATE,   fleetlet/v1/devices/pi-kitchen-01/state/desired",
        "REPORTED_STATE,  fleetlet/v1/devices/pi-kitchen-01/state/reported",
        "EVENTS,          fleetlet/v1/devices/pi-kitchen-01/events",
        "COMMAND_REQUEST, fleetlet/v1/devices/pi-kitchen-01/commands/req",
        "COMMAND_RESPONSE,fleetlet/v1/devices/pi-kitchen-01/commands/res",
        "LOGS,            fleetlet/v1/devices/pi-kitchen-01/logs"})
    void buildsTheDocumentedTopicForEachKind(TopicKind kind, String expected) {
        assertThat(Topics.of("pi-kitchen-01", kind)).isEqualTo(expected);
    }

    @Test
    void namedBuildersAgreeWithOf() {
        String id = "pi-kitchen-01";
        assertThat(Topics.presence(id)).isEqualTo(Topics.of(id, TopicKind.PRESENCE));
        assertThat(Topics.telemetry(id)).isEqualTo(Topics.of(id, TopicKind.TELEMETRY));
        assertThat(Topics.desiredState(id)).isEqualTo(Topics.of(id, TopicKind.DESIRED_STATE));
        assertThat(Topics.reportedState(id)).isEqualTo(Topics.of(id, TopicKind.REPORTED_STATE));
        assertThat(Topics.events(id)).isEqualTo(Topics.of(id, TopicKind.EVENTS));
        assertThat(Topics.commandRequests(id)).isEqualTo(Topics.of(id, TopicKind.COMMAND_REQUEST));
        assertThat(Topics.commandResponses(id)).isEqualTo(Topics.of(id, TopicKind.COMMAND_RESPONSE));
        assertThat(Topics.logs(id)).isEqualTo(Topics.of(id, TopicKind.LOGS));
        assertThat(Topics.allDevices(TopicKind.TELEMETRY)).isEqualTo("fleetlet/v1/devices/+/telemetry");
    }

    @ParameterizedTest
    @EnumSource(TopicKind.class)
    void parseInvertsTheBuilder(TopicKind kind) {
        String topic = Topics.of("abc", kind);

        Topics.DeviceTopic parsed = Topics.parse(topic).orElseThrow();

        assertThat(parsed.deviceId()).isEqualTo("abc");
        assertThat(parsed.kind()).isEqualTo(kind);
        assertThat(parsed.topic()).isEqualTo(topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "fleetlet/v2/devices/pi-kitchen-01/telemetry",
        "fleetlet/devices/pi-kitchen-01/telemetry",
        "other/v1/devices/pi-kitchen-01/telemetry",
        "/fleetlet/v1/devices/pi-kitchen-01/telemetry",
        "fleetlet/v1/devices/pi-kitchen-01/metrics",
        "fleetlet/v1/devices/pi-kitchen-01/telemetry/extra",
        "fleetlet/v1/devices/pi-kitchen-01/state",
        "fleetlet/v1/devices/pi-kitchen-01",
        "fleetlet/v1/devices/Pi-Kitchen/telemetry",
        "fleetlet/v1/devices/ab/telemetry",
        "fleetlet/v1/devices//telemetry",
        "fleetlet/v1/devices/+/telemetry",
        "fleetlet/v1/devices/pi-kitchen-01/#",
        "fleetlet/v1/#",
        "#",
        ""})
    void parseRejectsTopicsThatAreNotOurs(String topic) {
        assertThat(Topics.parse(topic)).isEmpty();
    }

    @Test
    void parseRejectsNull() {
        assertThat(Topics.parse(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "pi-kitchen-01", "0a-", "a234567890123456789012345678901234567890123456789012345678901234"})
    void acceptsWellFormedDeviceIds(String id) {
        assertThat(Topics.isValidDeviceId(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "-abc", "ABC", "a_b_c", "a.b.c", "a/b/c", "a+bc", "a#bc", "a bc",
        "a2345678901234567890123456789012345678901234567890123456789012345"})
    void refusesMalformedDeviceIdsNamingTheRule(String id) {
        assertThat(Topics.isValidDeviceId(id)).isFalse();
        assertThatThrownBy(() -> Topics.telemetry(id))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deviceId must match").hasMessageContaining(id);
    }

    @Test
    void onlyPresenceAndReportedStateAreDevicePublishedAndRetained() {
        EnumSet<TopicKind> retainedByDevice = EnumSet.noneOf(TopicKind.class);
        for (TopicKind kind : TopicKind.values()) {
            assertThat(kind.qos()).isEqualTo(1);
            if (kind.retained() && kind.publisher() == TopicKind.Publisher.DEVICE) {
                retainedByDevice.add(kind);
            }
        }
        assertThat(retainedByDevice).containsExactlyInAnyOrder(TopicKind.PRESENCE, TopicKind.REPORTED_STATE);
        assertThat(TopicKind.DESIRED_STATE.retained()).isTrue();
        assertThat(TopicKind.DESIRED_STATE.publisher()).isEqualTo(TopicKind.Publisher.SERVER);
    }
}
