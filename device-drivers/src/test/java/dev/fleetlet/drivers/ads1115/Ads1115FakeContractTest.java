package dev.fleetlet.drivers.ads1115;

import dev.fleetlet.drivers.i2c.ContractMode;
import dev.fleetlet.drivers.i2c.Expectation;
import dev.fleetlet.drivers.i2c.Pause;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** The ADS1115 contract against the fake: a single-ended, a differential and a scaled channel. */
class Ads1115FakeContractTest extends Ads1115Contract {

    @Override
    protected Ads1115Sensor createSensor() {
        FakeAds1115 fake = new FakeAds1115(0x48, () -> 1.65, () -> 0.25, () -> 2.0, () -> 1.2);
        Ads1115Config config = new Ads1115Config("adc", 1, 0x48, List.of(
                Ads1115Config.Channel.voltage("supply_half", Ads1115Config.Mux.AIN0),
                new Ads1115Config.Channel("bridge", Ads1115Config.Mux.AIN2_AIN3, Ads1115Config.Gain.FS_1_024V,
                        Ads1115Config.DataRate.SPS_860, null),
                new Ads1115Config.Channel("soil_moisture", Ads1115Config.Mux.AIN1, Ads1115Config.Gain.FS_2_048V,
                        Ads1115Config.DataRate.SPS_8, new Ads1115Config.Scaling("%", 2.8, 0, 0.2, 100, 0, 100))),
                0);
        return new Ads1115Sensor(config, fake, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), Pause.NONE);
    }

    @Override
    protected ContractMode mode() {
        return ContractMode.EXACT;
    }

    @Override
    protected List<Expectation> expectations() {
        // one code is 125 µV at ±4.096 V, 31 µV at ±1.024 V; 0.25 V on the soil probe is (2.8-0.25)/2.6 = 98.08 %
        return List.of(
                new Expectation("supply_half", "V", 1.65, 0.000125, 0, 4.096),
                new Expectation("bridge", "V", 0.8, 0.00004, 0.7, 0.9),
                new Expectation("soil_moisture", "%", 98.0769, 0.003, 0, 100));
    }
}
