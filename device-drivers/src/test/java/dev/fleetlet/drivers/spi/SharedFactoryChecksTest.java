package dev.fleetlet.drivers.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.drivers.ads1115.Ads1115DriverFactory;
import dev.fleetlet.drivers.bme280.Bme280Config;
import dev.fleetlet.drivers.bme280.Bme280DriverFactory;
import dev.fleetlet.drivers.config.ActuatorSpec;
import dev.fleetlet.drivers.config.BoardType;
import dev.fleetlet.drivers.config.ConfigException;
import dev.fleetlet.drivers.config.Problems;
import dev.fleetlet.drivers.config.SensorSpec;
import dev.fleetlet.drivers.dht22.Dht22DriverFactory;
import dev.fleetlet.drivers.ds18b20.Ds18b20DriverFactory;
import dev.fleetlet.drivers.gpio.GpioDriverFactories;
import dev.fleetlet.drivers.sht3x.Sht3xConfig;
import dev.fleetlet.drivers.sht3x.Sht3xDriverFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks every chip factory shares through {@link ConfiguredSensorFactory} and {@link I2cChipFactory}. */
class SharedFactoryChecksTest {

    /** A real board without Pi4J: a factory that tried to open hardware would fail with IllegalStateException. */
    private final DriverContext noHardware = new DriverContext(BoardType.PI, null, Path.of("/nonexistent-root"),
            Path.of("/nonexistent-data"), Clock.systemUTC(), null, null);

    @Test
    void reportsANegativeBusAndAnAddressOutsideTheChipsPairThenFallsBackToDefaults() {
        SensorSpec spec = SensorSpec.of("sht3x", "attic").withBusAddress(-2, 0x46);
        Problems problems = Problems.root().scoped(spec.keyPath());

        Sht3xConfig config = new Sht3xDriverFactory().config(spec, problems);

        assertThat(problems.all()).containsExactly(
                "sensors[0].bus: expected a bus number >= 0, got -2",
                "sensors[0].address: expected 0x44 or 0x45, got 0x46");
        assertThat(config.bus()).isEqualTo(1);
        assertThat(config.address()).isEqualTo(0x44);
    }

    @Test
    void namesTheAddressRangeOfAChipWithFourAddresses() {
        SensorSpec spec = SensorSpec.of("ads1115", "adc").withBusAddress(0, 0x47);
        Problems problems = Problems.root();

        new Ads1115DriverFactory().validate(spec, problems);

        assertThat(problems.all()).containsExactly("address: expected 0x48..0x4B, got 0x47");
    }

    @Test
    void acceptsTheSecondAddressOfAPairAndBusZero() {
        SensorSpec spec = SensorSpec.of("bme280", "porch").withBusAddress(0, 0x77);
        Problems problems = Problems.root();

        Bme280Config config = new Bme280DriverFactory(Bme280Config.Variant.BME280).config(spec, problems);

        assertThat(problems.all()).isEmpty();
        assertThat(config.bus()).isZero();
        assertThat(config.address()).isEqualTo(0x77);
    }

    @Test
    void rejectsAStuckThresholdOfOneForEveryChipDriver() {
        List<SensorDriverFactory> factories = List.of(new Bme280DriverFactory(Bme280Config.Variant.BMP280),
                new Ads1115DriverFactory(), new Sht3xDriverFactory(), new Ds18b20DriverFactory(), new Dht22DriverFactory());

        for (SensorDriverFactory factory : factories) {
            SensorSpec spec = SensorSpec.of(factory.type(), "s").withOptions(Map.of("stuck-threshold", "1"));
            Problems problems = Problems.root();

            factory.validate(spec, problems);

            assertThat(problems.all()).as(factory.type())
                    .containsExactly("options.stuck-threshold: expected 0 (off) or at least 2, got 1");
        }
    }

    @Test
    void createRefusesAnInvalidSpecWithEveryProblemBeforeOpeningHardware() {
        SensorSpec spec = SensorSpec.of("sht3x", "attic").withBusAddress(-1, 0x10)
                .withOptions(Map.of("repeatability", "extreme"));

        assertThatThrownBy(() -> new Sht3xDriverFactory().create(spec, noHardware))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "sensors[0].bus: expected a bus number >= 0, got -1",
                        "sensors[0].address: expected 0x44 or 0x45, got 0x10",
                        "sensors[0].options.repeatability: expected one of [high, medium, low], got 'extreme'"));
    }

    @Test
    void createOfAValidI2cSpecOnABoardWithoutPi4jGoesToTheHardware() {
        SensorSpec spec = SensorSpec.of("sht3x", "attic");

        assertThatThrownBy(() -> new Sht3xDriverFactory().create(spec, noHardware))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs Pi4J");
    }

    @Test
    void gpioFactoriesRefuseInvalidSpecsInCreateWithTheirKeyPaths() {
        SensorSpec input = SensorSpec.of("digital-input", "door");
        ActuatorSpec pwm = ActuatorSpec.of("pwm", "fan", 5);

        assertThatThrownBy(() -> new GpioDriverFactories.DigitalInputFactory().create(input, noHardware))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "sensors[0].pin: required for digital-input: the BCM GPIO number (0-27)"));
        assertThatThrownBy(() -> new GpioDriverFactories.PwmFactory().create(pwm, noHardware))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        pwm.keyPath() + ".pin: expected a hardware PWM pin (12, 13, 18 or 19) or an explicit options.channel, got 5"));
    }
}
