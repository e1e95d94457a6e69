package dev.fleetlet.drivers.ads1115;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.i2c.Pause;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class Ads1115FaultsTest {

    private final AtomicReference<Double> ain0 = new AtomicReference<>(1.0);
    private final FakeAds1115 fake = new FakeAds1115(0x48, ain0::get, () -> 0, () -> 0, () -> 0);
    private final Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    private Ads1115Sensor sensor(int stuckThreshold, Ads1115Config.Scaling scaling) {
        Ads1115Config config = new Ads1115Config("probe", 1, 0x48, List.of(new Ads1115Config.Channel("soil",
                Ads1115Config.Mux.AIN0, Ads1115Config.Gain.FS_4_096V, Ads1115Config.DataRate.SPS_128, scaling)), stuckThreshold);
        return new Ads1115Sensor(config, fake, clock, Pause.NONE);
    }

    @Test
    void startsASingleShotConversionWithTheDatasheetConfigWord() {
        sensor(0, null).sample();

        assertThat(fake.operations()).contains("write 0x01 0xC3 0x83");
        assertThat(fake.conversions()).isEqualTo(1);
    }

    @Test
    void busErrorFailsAndRecovers() {
        Ads1115Sensor sensor = sensor(0, null);
        fake.failNextOperations(1);

        Reading failed = sensor.sample().get(0);
        Reading recovered = sensor.sample().get(0);

        assertThat(failed.quality()).isInstanceOf(Quality.Failed.class);
        assertThat(failed.quality().reason()).startsWith("bus error: injected bus error at 0x48");
        assertThat(recovered.quality()).isEqualTo(Quality.OK);
        assertThat(recovered.value()).isCloseTo(1.0, within(0.000125));
    }

    @Test
    void chipThatDoesNotEchoItsConfigIsNotAnAds1115() {
        fake.setConfigReadbackXor(0x0E00);
        Ads1115Sensor sensor = sensor(0, null);

        Reading reading = sensor.sample().get(0);

        assertThat(reading.quality()).isEqualTo(Quality.failed(
                "device at 0x48 does not answer like an ADS1115 (wrote config 0x4383, read 0xCD83)"));
        fake.clearFaults();
        assertThat(sensor.sample().get(0).quality()).isEqualTo(Quality.OK);
    }

    @Test
    void conversionThatNeverCompletesTimesOut() {
        fake.setConversionPolls(1000);

        Reading reading = sensor(0, null).sample().get(0);

        assertThat(reading.quality().reason()).startsWith("conversion did not complete within");
    }

    @Test
    void stuckCodeIsSuspectAfterThresholdAndRecovers() {
        Ads1115Sensor sensor = sensor(3, null);
        sensor.sample();
        fake.setStuck(true);
        ain0.set(2.0);

        sensor.sample();
        Reading third = sensor.sample().get(0);
        fake.setStuck(false);
        Reading recovered = sensor.sample().get(0);

        assertThat(third.quality()).isEqualTo(Quality.suspect("raw value unchanged for 3 samples (stuck?)"));
        assertThat(third.value()).isCloseTo(1.0, within(0.000125));
        assertThat(recovered.quality()).isEqualTo(Quality.OK);
        assertThat(recovered.value()).isCloseTo(2.0, within(0.000125));
    }

    @Test
    void inputBeyondFullScaleIsSuspectAsClipped() {
        ain0.set(5.0);

        Reading reading = sensor(0, null).sample().get(0);

        assertThat(reading.quality()).isEqualTo(Quality.suspect("input at full scale of ±4.096 V (clipped, code 0x7FFF)"));
        assertThat(reading.value()).isCloseTo(4.095875, within(1e-9));
    }

    @Test
    void scaledValueOutsideItsRangeIsSuspect() {
        ain0.set(3.1);
        Ads1115Config.Scaling soil = new Ads1115Config.Scaling("%", 2.8, 0, 1.2, 100, 0, 100);

        Reading reading = sensor(0, soil).sample().get(0);

        assertThat(reading.unit()).isEqualTo("%");
        assertThat(reading.value()).isCloseTo(-18.75, within(0.01));
        assertThat(reading.quality()).isInstanceOf(Quality.Suspect.class);
        assertThat(reading.quality().reason()).startsWith("soil -18.750 % outside plausible range 0.0..100.0");
    }

    @Test
    void configRejectsDuplicateQuantities() {
        Ads1115Config.Channel a = Ads1115Config.Channel.voltage("v", Ads1115Config.Mux.AIN0);
        Ads1115Config.Channel b = Ads1115Config.Channel.voltage("v", Ads1115Config.Mux.AIN1);

        assertThatThrownBy(() -> new Ads1115Config("adc", 1, 0x48, List.of(a, b), 0))
                .hasMessageContaining("channels must have distinct quantities");
    }
}
