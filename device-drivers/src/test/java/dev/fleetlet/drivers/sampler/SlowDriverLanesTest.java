package dev.fleetlet.drivers.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.ads1115.Ads1115Config;
import dev.fleetlet.drivers.ads1115.Ads1115Config.Channel;
import dev.fleetlet.drivers.ads1115.Ads1115Config.DataRate;
import dev.fleetlet.drivers.ads1115.Ads1115Config.Gain;
import dev.fleetlet.drivers.ads1115.Ads1115Config.Mux;
import dev.fleetlet.drivers.ads1115.Ads1115Sensor;
import dev.fleetlet.drivers.ads1115.FakeAds1115;
import dev.fleetlet.drivers.dht22.Dht22Config;
import dev.fleetlet.drivers.dht22.Dht22Sensor;
import dev.fleetlet.drivers.ds18b20.Ds18b20Config;
import dev.fleetlet.drivers.ds18b20.Ds18b20Sensor;
import dev.fleetlet.drivers.sysfs.SysfsFiles;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlowDriverLanesTest {

    @TempDir
    Path root;

    private final Clock clock = Clock.systemUTC();
    private final Duration slowThreshold = Sampler.Options.DEFAULTS.slowThreshold();

    private static FakeAds1115 chip() {
        return new FakeAds1115(0x48, () -> 1.0, () -> 1.0, () -> 1.0, () -> 1.0);
    }

    @Test
    void ds18b20ExpectsA750MsConversionAndIsSlow() {
        Ds18b20Sensor sensor = new Ds18b20Sensor(new Ds18b20Config("tank", null, 0), SysfsFiles.SYSTEM, root, clock);

        assertThat(sensor.expectedReadTime()).isEqualTo(Duration.ofMillis(750));
        assertThat(sensor.expectedReadTime()).isGreaterThanOrEqualTo(slowThreshold);
    }

    @Test
    void dht22ExpectsEveryAttemptAndBackoffOfItsConfiguration() {
        Dht22Sensor defaults = new Dht22Sensor(Dht22Config.defaults("air"), SysfsFiles.SYSTEM, root, clock, d -> { });
        Dht22Sensor oneAttempt = new Dht22Sensor(new Dht22Config("air", null, 1, Duration.ofMillis(500),
                Duration.ofSeconds(2), 0), SysfsFiles.SYSTEM, root, clock, d -> { });

        assertThat(defaults.expectedReadTime()).isEqualTo(Duration.ofMillis(3 * 100 + 2 * 500));
        assertThat(oneAttempt.expectedReadTime()).isEqualTo(Duration.ofMillis(100));
        assertThat(oneAttempt.expectedReadTime()).isGreaterThanOrEqualTo(slowThreshold);
    }

    @Test
    void ads1115ExpectsOneConversionPerChannelSoOnlyLowDataRatesAreSlow() {
        Ads1115Sensor defaultRate = new Ads1115Sensor(Ads1115Config.single("soil", Channel.voltage("voltage", Mux.AIN0)),
                chip(), clock, d -> { });
        Ads1115Sensor sps8 = new Ads1115Sensor(Ads1115Config.single("soil",
                new Channel("voltage", Mux.AIN0, Gain.FS_4_096V, DataRate.SPS_8, null)), chip(), clock, d -> { });
        Ads1115Sensor twoAt64 = new Ads1115Sensor(new Ads1115Config("soil", 1, 0x48, List.of(
                new Channel("a", Mux.AIN0, Gain.FS_4_096V, DataRate.SPS_64, null),
                new Channel("b", Mux.AIN1, Gain.FS_4_096V, DataRate.SPS_64, null)), 0), chip(), clock, d -> { });

        assertThat(defaultRate.expectedReadTime()).isEqualTo(Duration.ofNanos(1_000_000_000L / 128 + 100_000));
        assertThat(defaultRate.expectedReadTime()).isLessThan(slowThreshold);
        assertThat(sps8.expectedReadTime()).isEqualTo(Duration.ofNanos(125_100_000));
        assertThat(sps8.expectedReadTime()).isGreaterThanOrEqualTo(slowThreshold);
        assertThat(twoAt64.expectedReadTime()).isEqualTo(Duration.ofNanos(2 * (15_625_000 + 100_000)));
    }
}
