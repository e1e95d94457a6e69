package dev.fleetlet.hil.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

    @Test
    void serialsHaveSixDigitsFromTheFirstSerial() {
        SimulatorConfig config = SimulatorConfig.direct("localhost", 1883).withFirstSerial(123);
        assertThat(config.serial(0)).isEqualTo("SIM-000123");
        assertThat(config.serial(877)).isEqualTo("SIM-001000");
    }

    @Test
    void enrollingWithoutATokenNamesTheField() {
        assertThatThrownBy(() -> SimulatorConfig.enrolling(URI.create("http://localhost:8080"), " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("provisioningToken");
    }

    @Test
    void directModeNeedsAnMqttEndpoint() {
        assertThatThrownBy(() -> SimulatorConfig.direct(null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mqttHost/mqttPort");
    }

    @Test
    void reportsEveryBadFieldAtOnce() {
        SimulatorConfig ok = SimulatorConfig.direct("localhost", 1883);
        assertThatThrownBy(() -> ok.withDevices(0).withTelemetry(Duration.ofMillis(1), 501))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("devices");
        assertThatThrownBy(() -> ok.withTelemetry(Duration.ofMillis(1), 501))
                .hasMessageContaining("batchInterval").hasMessageContaining("readingsPerBatch");
        assertThatThrownBy(() -> ok.withConcurrency(0, 0, 0))
                .hasMessageContaining("enrollConcurrency").hasMessageContaining("connectConcurrency")
                .hasMessageContaining("nettyThreads");
    }

    @Test
    void refusesANonHttpServerUri() {
        assertThatThrownBy(() -> SimulatorConfig.enrolling(URI.create("ftp://x"), "t"))
                .hasMessageContaining("serverUri");
    }

    @Test
    void toStringHidesTheToken() {
        assertThat(SimulatorConfig.enrolling(URI.create("http://localhost:8080"), "secret-token").toString())
                .doesNotContain("secret-token").contains("***");
    }
}
