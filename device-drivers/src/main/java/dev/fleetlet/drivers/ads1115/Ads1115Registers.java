package dev.fleetlet.drivers.ads1115;

/**
 * The ADS1115 register layout (datasheet section 8.6): pointer 0x00 conversion (16-bit two's
 * complement, big-endian), 0x01 config, 0x02/0x03 comparator thresholds.
 */
public final class Ads1115Registers {

    /** Conversion result register. */
    public static final int CONVERSION = 0x00;
    /** Config register. */
    public static final int CONFIG = 0x01;
    /** OS bit: write 1 to start a single-shot conversion; reads 1 when no conversion is in progress. */
    public static final int OS = 0x8000;
    /** MODE bit: 1 = single-shot / power-down. */
    public static final int MODE_SINGLE_SHOT = 0x0100;
    /** COMP_QUE = 11: comparator disabled, ALERT/RDY high-impedance. */
    public static final int COMPARATOR_DISABLED = 0x0003;

    private Ads1115Registers() {
    }

    /**
     * The config word that starts one single-shot conversion with the comparator disabled
     * (traditional mode, active-low, non-latching, disabled). AIN0 single-ended, ±4.096 V, 128 SPS
     * gives 0xC383.
     */
    public static int singleShotConfig(Ads1115Config.Mux mux, Ads1115Config.Gain gain, Ads1115Config.DataRate rate) {
        return OS | (mux.bits() << 12) | (gain.bits() << 9) | MODE_SINGLE_SHOT | (rate.bits() << 5) | COMPARATOR_DISABLED;
    }

    /** Volts for a signed 16-bit conversion code: {@code code · FS / 32768}. */
    public static double volts(int code, Ads1115Config.Gain gain) {
        return (short) code * gain.fullScale() / 32768.0;
    }

    /** The code the chip produces for {@code volts}: rounded and clipped to -32768..32767. */
    public static int code(double volts, Ads1115Config.Gain gain) {
        long code = Math.round(volts / gain.fullScale() * 32768.0);
        return (int) Math.max(-32768, Math.min(32767, code));
    }
}
