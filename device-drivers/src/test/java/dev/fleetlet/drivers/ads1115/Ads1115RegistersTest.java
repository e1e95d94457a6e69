package dev.fleetlet.drivers.ads1115;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class Ads1115RegistersTest {

    @Test
    void configWordForAin0SingleEndedFourVolt128SpsSingleShotIs0xC383() {
        int word = Ads1115Registers.singleShotConfig(Ads1115Config.Mux.AIN0, Ads1115Config.Gain.FS_4_096V,
                Ads1115Config.DataRate.SPS_128);

        // OS=1 | MUX=100 | PGA=001 | MODE=1 | DR=100 | COMP_MODE=0 COMP_POL=0 COMP_LAT=0 | COMP_QUE=11
        assertThat(word).isEqualTo(0xC383);
    }

    @Test
    void configWordPlacesEveryFieldAtItsBits() {
        int word = Ads1115Registers.singleShotConfig(Ads1115Config.Mux.AIN1_AIN3, Ads1115Config.Gain.FS_0_256V,
                Ads1115Config.DataRate.SPS_860);

        assertThat(word).isEqualTo(0b1_010_101_1_111_0_0_0_11);
    }

    @Test
    void fullScaleCodesConvertToTheGainsLimits() {
        assertThat(Ads1115Registers.volts(0x7FFF, Ads1115Config.Gain.FS_4_096V)).isCloseTo(4.095875, within(1e-9));
        assertThat(Ads1115Registers.volts(0x8000, Ads1115Config.Gain.FS_4_096V)).isEqualTo(-4.096);
        assertThat(Ads1115Registers.volts(0x0001, Ads1115Config.Gain.FS_0_256V)).isCloseTo(7.8125e-6, within(1e-12));
        assertThat(Ads1115Registers.volts(0xFFFF, Ads1115Config.Gain.FS_6_144V)).isCloseTo(-0.0001875, within(1e-12));
    }

    @Test
    void codeClipsAtFullScale() {
        assertThat(Ads1115Registers.code(5.0, Ads1115Config.Gain.FS_4_096V)).isEqualTo(32767);
        assertThat(Ads1115Registers.code(-5.0, Ads1115Config.Gain.FS_4_096V)).isEqualTo(-32768);
        assertThat(Ads1115Registers.code(2.048, Ads1115Config.Gain.FS_4_096V)).isEqualTo(16384);
    }
}
