package dev.fleetlet.drivers.bme280;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Bme280DriverFactoryTest {

    @Test
    void buildsTypedConfigFromOptions() {
        SensorSpec spec = SensorSpec.of("bme280", "greenhouse").withBusAddress(3, 0x77)
                .withOptions(Map.of("oversampling-pressure", "x16", "mode", "normal", "filter", "x4", "stuck-threshold", "0"));
        Problems problems = Problems.root();

        Bme280Config config = new Bme280DriverFactory(Bme280Config.Variant.BME280).config(spec, problems);

        assertThat(problems.all()).isEmpty();
        assertThat(config.bus()).isEqualTo(3);
        assertThat(config.address()).isEqualTo(0x77);
        assertThat(config.pressureOversampling()).isEqualTo(Bme280Config.Oversampling.X16);
        assertThat(config.mode()).isEqualTo(Bme280Config.Mode.NORMAL);
        assertThat(config.filter()).isEqualTo(Bme280Config.Filter.X4);
        assertThat(config.stuckThreshold()).isZero();
    }

    @Test
    void reportsEveryBadKeyWithItsPath() {
        SensorSpec spec = SensorSpec.of("bmp280", "shed").withBusAddress(1, 0x48)
                .withOptions(Map.of("oversampling-humidity", "x1", "oversampling-temperature", "skip", "speed", "fast"));
        Problems problems = Problems.root().scoped(spec.keyPath());

        new Bme280DriverFactory(Bme280Config.Variant.BMP280).validate(spec, problems);

        assertThat(problems.all()).containsExactlyInAnyOrder(
                "sensors[0].options.speed: unknown option, expected one of [filter, mode, oversampling-humidity, oversampling-pressure, oversampling-temperature, standby, stuck-threshold]",
                "sensors[0].address: expected 0x76 or 0x77, got 0x48",
                "sensors[0].options.oversampling-temperature: must not be skip: pressure and humidity need temperature",
                "sensors[0].options.oversampling-humidity: a bmp280 has no humidity sensor");
    }
}
