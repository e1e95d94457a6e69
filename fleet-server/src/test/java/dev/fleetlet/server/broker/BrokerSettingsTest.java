package dev.fleetlet.server.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerSettingsTest {

    private static BrokerSettings with(int port, int tlsPort, Path keystore, int packet, int receiveMax, Duration timeout) {
        return new BrokerSettings("0.0.0.0", port, tlsPort, keystore, "pw", Path.of("data/broker"), 1000, packet,
                receiveMax, timeout, BrokerSettings.Persistence.FILE);
    }

    @Test
    void rejectsClientAuthWithoutATlsListenerAndAnUnknownMode() {
        // given client-auth without a keystore, then a misspelt mode: both name the key
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BrokerSettings("0.0.0.0", 1883, 8883, null, null,
                        Path.of("data/broker"), 1000, 512 * 1024, 32, java.time.Duration.ofSeconds(10),
                        BrokerSettings.Persistence.FILE, BrokerSettings.ClientAuth.OPTIONAL))
                .hasMessageContaining("fleetlet.mqtt.tls.client-auth=optional").hasMessageContaining("fleetlet.mqtt.tls.keystore");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BrokerSettings.ClientAuth.of("mandatory"))
                .hasMessageContaining("fleetlet.mqtt.tls.client-auth").hasMessageContaining("mandatory");
        org.assertj.core.api.Assertions.assertThat(BrokerSettings.ClientAuth.of("")).isEqualTo(BrokerSettings.ClientAuth.NONE);
    }

    @Test
    void rejectsPortZeroNamingTheKey() {
        assertThatThrownBy(() -> with(0, 8883, null, 524_288, 32, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fleetlet.mqtt.port");
    }

    @Test
    void rejectsTheSamePortForTlsAndPlain() {
        assertThatThrownBy(() -> with(1883, 1883, Path.of("k.p12"), 524_288, 32, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fleetlet.mqtt.tls.port");
    }

    @Test
    void rejectsAPacketLimitBelowTheLargestDevicePayload() {
        assertThatThrownBy(() -> with(1883, 8883, null, 1024, 32, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fleetlet.mqtt.max-packet-size");
    }

    @Test
    void rejectsAnIngestTimeoutOutsideItsRangeAndAnUnknownPersistence() {
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1), Duration.ofMillis(1), Duration.ofMillis(99),
                Duration.ofMinutes(11))) {
            assertThatThrownBy(() -> with(1883, 8883, null, 524_288, 32, bad)).as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("fleetlet.mqtt.ingest-timeout must be between 100ms and 10m");
        }
        assertThat(with(1883, 8883, null, 524_288, 32, Duration.ofMillis(100)).ingestTimeout()).hasMillis(100);
        assertThatThrownBy(() -> BrokerSettings.Persistence.of("disk"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fleetlet.mqtt.persistence");
    }
}
