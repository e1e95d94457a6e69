package dev.fleetlet.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.protocol.Acl.Action;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class AclTest {

    private static final List<Acl.Rule> DEVICE = Acl.forDevice("pi-kitchen-01");
    private static final List<Acl.Rule> READER = Acl.forTelemetryReader();

    @ParameterizedTest(name = "device {0} {1} -> {2}")
    @CsvSource({
        // own device-published topics
        "PUBLISH,   fleetlet/v1/devices/pi-kitchen-01/presence,       true",
        "PUBLISH,   fleetlet/v1/devices/pi-kitchen-01/telemetry,      true",
        "PUBLISH,   fleetlet/v1/devices/pi-kitchen-01/state/reported, true",
        "PUBLISH,   fleetlet/v1/devices/pi-kitchen-01/events,         true",
        "PUBLISH,   fleetlet/v1/devices/pi-kitchen-01/commands/res,   true",
        "PUBLISH,   fleetlet/v1/devices/pi-kitchen-01/logs,           true",
        // server-published topics, other devices, wildcards, other roots
        "PUBLISH,   fleetlet/v1/devices/pi-kitchen-01/state/desired,  false",
        "PUBLISH,   fleetlet/v1/devices/pi-kitchen-01/commands/req,   false",
        "PUBLISH,   fleetlet/v1/devices/pi-garage-02/telemetry,       false",
        "PUBLISH,   fleetlet/v1/devices/pi-garage-02/presence,        false",
        "PUBLISH,   fleetlet/v1/devices/+/telemetry,                  false",
        "PUBLISH,   fleetlet/v1/devices/pi-kitchen-01/#,              false",
        "PUBLISH,   fleetlet/v2/devices/pi-kitchen-01/telemetry,      false",
        "PUBLISH,   fleetlet/v1/devices/pi-kitchen-01/telemetry/x,    false",
        "PUBLISH,   '',                                               false",
        // subscriptions: own desired state and command requests only
        "SUBSCRIBE, fleetlet/v1/devices/pi-kitchen-01/state/desired,  true",
        "SUBSCRIBE, fleetlet/v1/devices/pi-kitchen-01/commands/req,   true",
        "SUBSCRIBE, fleetlet/v1/devices/+/state/desired,              false",
        "SUBSCRIBE, fleetlet/v1/devices/pi-garage-02/state/desired,   false",
        "SUBSCRIBE, fleetlet/v1/devices/pi-garage-02/commands/req,    false",
        "SUBSCRIBE, fleetlet/v1/devices/pi-kitchen-01/telemetry,      false",
        "SUBSCRIBE, fleetlet/v1/devices/pi-kitchen-01/commands/res,   false",
        "SUBSCRIBE, fleetlet/v1/devices/pi-kitchen-01/#,              false",
        "SUBSCRIBE, fleetlet/v1/devices/pi-kitchen-01/+/desired,      false",
        "SUBSCRIBE, fleetlet/v1/#,                                    false",
        "SUBSCRIBE, #,                                                false",
        "SUBSCRIBE, +/+/+/+/+/+,                                      false"})
    void deviceRules(Action action, String topic, boolean allowed) {
        assertThat(Acl.permits(DEVICE, action, topic)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "device publish {0} retain={1} -> {2}")
    @CsvSource({
        "fleetlet/v1/devices/pi-kitchen-01/presence,       true,  true",
        "fleetlet/v1/devices/pi-kitchen-01/state/reported, true,  true",
        "fleetlet/v1/devices/pi-kitchen-01/telemetry,      true,  false",
        "fleetlet/v1/devices/pi-kitchen-01/events,         true,  false",
        "fleetlet/v1/devices/pi-kitchen-01/logs,           true,  false",
        "fleetlet/v1/devices/pi-kitchen-01/telemetry,      false, true"})
    void deviceMayRetainOnlyPresenceAndReportedState(String topic, boolean retain, boolean allowed) {
        assertThat(Acl.permits(DEVICE, Action.PUBLISH, topic, retain)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "reader {0} {1} -> {2}")
    @CsvSource({
        "SUBSCRIBE, fleetlet/v1/devices/+/telemetry,                   true",
        "SUBSCRIBE, $share/g/fleetlet/v1/devices/+/telemetry,          true",
        "SUBSCRIBE, $share/telegraf/fleetlet/v1/devices/+/presence,    true",
        "SUBSCRIBE, fleetlet/v1/devices/pi-kitchen-01/telemetry,       true",
        "SUBSCRIBE, fleetlet/v1/devices/+/presence,                    true",
        "SUBSCRIBE, fleetlet/v1/devices/pi-kitchen-01/presence,        true",
        "SUBSCRIBE, fleetlet/v1/devices/+/state/desired,               false",
        "SUBSCRIBE, fleetlet/v1/devices/pi-kitchen-01/state/desired,   false",
        "SUBSCRIBE, fleetlet/v1/devices/+/state/reported,              false",
        "SUBSCRIBE, fleetlet/v1/devices/+/commands/req,                false",
        "SUBSCRIBE, fleetlet/v1/devices/+/logs,                        false",
        "SUBSCRIBE, fleetlet/v1/devices/+/+,                           false",
        "SUBSCRIBE, fleetlet/v1/+/+/telemetry,                         false",
        "SUBSCRIBE, fleetlet/v1/devices/pi+/telemetry,                 false",
        "SUBSCRIBE, fleetlet/v1/devices/#,                             false",
        "SUBSCRIBE, fleetlet/v1/#,                                     false",
        "SUBSCRIBE, #,                                                 false",
        "SUBSCRIBE, $share/g/#,                                        false",
        "SUBSCRIBE, $share//fleetlet/v1/devices/+/telemetry,           false",
        "SUBSCRIBE, $share/g,                                          false",
        "PUBLISH,   fleetlet/v1/devices/pi-kitchen-01/telemetry,       false",
        "PUBLISH,   fleetlet/v1/devices/pi-kitchen-01/state/desired,   false",
        "PUBLISH,   fleetlet/v1/devices/pi-kitchen-01/commands/req,    false"})
    void telemetryReaderRules(Action action, String topic, boolean allowed) {
        assertThat(Acl.permits(READER, action, topic)).isEqualTo(allowed);
    }

    @Test
    void deviceRulesNeedAValidDeviceId() {
        assertThatThrownBy(() -> Acl.forDevice("+"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deviceId");
    }

    @Test
    void nullTopicIsDenied() {
        assertThat(Acl.permits(DEVICE, Action.PUBLISH, null)).isFalse();
        assertThat(Acl.permits(READER, Action.SUBSCRIBE, null)).isFalse();
    }
}
