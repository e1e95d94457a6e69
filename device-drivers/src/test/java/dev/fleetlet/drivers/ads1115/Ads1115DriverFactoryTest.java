package dev.fleetlet.drivers.ads1115;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Ads1115DriverFactoryTest {

    private final Ads1115DriverFactory factory = new Ads1115DriverFactory();

    @Test
    void buildsAScaledDifferentialChannel() {
        SensorSpec spec = SensorSpec.of("ads1115", "soil").withBusAddress(1, 0x49).withOptions(Map.ofEntries(
                Map.entry("channel", "ain2-ain3"), Map.entry("gain", "fs-2-048v"), Map.entry("data-rate", "sps-860"),
                Map.entry("quantity", "soil_moisture"), Map.entry("unit", "%"), Map.entry("scale-volts-a", "2.8"),
                Map.entry("scale-value-a", "0"), Map.entry("scale-volts-b", "1.2"), Map.entry("scale-value-b", "100"),
                Map.entry("min", "0"), Map.entry("max", "100")));
        Problems problems = Problems.root();

        Ads1115Config config = factory.config(spec, problems);

        assertThat(problems.all()).isEmpty();
        Ads1115Config.Channel channel = config.channels().get(0);
        assertThat(channel.mux()).isEqualTo(Ads1115Config.Mux.AIN2_AIN3);
        assertThat(channel.gain()).isEqualTo(Ads1115Config.Gain.FS_2_048V);
        assertThat(channel.rate()).isEqualTo(Ads1115Config.DataRate.SPS_860);
        assertThat(channel.unit()).isEqualTo("%");
        assertThat(channel.scaling().apply(2.0)).isCloseTo(50.0, within(1e-9));
        assertThat(config.address()).isEqualTo(0x49);
    }

    @Test
    void reportsBadKeysWithTheirPaths() {
        SensorSpec spec = SensorSpec.of("ads1115", "adc").withBusAddress(1, 0x50)
                .withOptions(Map.of("gain", "huge", "unit", "%"));
        Problems problems = Problems.root().scoped(spec.keyPath());

        factory.validate(spec, problems);

        assertThat(problems.all()).containsExactlyInAnyOrder(
                "sensors[0].address: expected 0x48..0x4B, got 0x50",
                "sensors[0].options.gain: expected one of [fs-6-144v, fs-4-096v, fs-2-048v, fs-1-024v, fs-0-512v, fs-0-256v], got 'huge'",
                "sensors[0].options: scaling needs all of [scale-value-a, scale-value-b, scale-volts-a, scale-volts-b, unit], missing [scale-value-a, scale-value-b, scale-volts-a, scale-volts-b]");
    }
}
