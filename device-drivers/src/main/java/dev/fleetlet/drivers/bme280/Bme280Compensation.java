package dev.fleetlet.drivers.bme280;

/**
 * Bosch's floating-point compensation formulas (BME280 datasheet section 8.1, BMP280 section 3.12),
 * turning raw ADC values into °C, Pa and %RH with the chip's {@link Bme280Calibration}.
 *
 * <p>Temperature comes first: it yields {@code tFine}, which pressure and humidity need.
 */
public final class Bme280Compensation {

    private Bme280Compensation() {
    }

    /**
     * Temperature result: °C and the fine temperature carried into P and H.
     *
     * <p>{@code tFine} is kept as a double, as in the worked example table of the BMP280 datasheet
     * (section 3.12), which reaches 100653.27 Pa; the datasheet's code listing truncates it to an
     * int first, which gives 100653.26 Pa for the same input (0.009 Pa apart, far below the noise).
     */
    public record Temperature(double celsius, double tFine) {
    }

    /** Compensates a 20-bit temperature ADC value. */
    public static Temperature temperature(Bme280Calibration c, int adcT) {
        double var1 = (adcT / 16384.0 - c.t1() / 1024.0) * c.t2();
        double d = adcT / 131072.0 - c.t1() / 8192.0;
        double var2 = d * d * c.t3();
        return new Temperature((var1 + var2) / 5120.0, var1 + var2);
    }

    /** Compensates a 20-bit pressure ADC value; returns Pa, or 0 when the formula would divide by zero. */
    public static double pressure(Bme280Calibration c, int adcP, double tFine) {
        double var1 = tFine / 2.0 - 64000.0;
        double var2 = var1 * var1 * c.p6() / 32768.0;
        var2 = var2 + var1 * c.p5() * 2.0;
        var2 = var2 / 4.0 + c.p4() * 65536.0;
        var1 = (c.p3() * var1 * var1 / 524288.0 + c.p2() * var1) / 524288.0;
        var1 = (1.0 + var1 / 32768.0) * c.p1();
        if (var1 == 0.0) {
            return 0.0;
        }
        double p = 1048576.0 - adcP;
        p = (p - var2 / 4096.0) * 6250.0 / var1;
        var1 = c.p9() * p * p / 2147483648.0;
        var2 = p * c.p8() / 32768.0;
        return p + (var1 + var2 + c.p7()) / 16.0;
    }

    /**
     * Compensates a 16-bit humidity ADC value; returns %RH <em>before</em> the datasheet's clamp to
     * 0..100, so the caller can tell an implausible value from a dry or saturated one.
     */
    public static double humidityUnclamped(Bme280Calibration c, int adcH, double tFine) {
        double h = tFine - 76800.0;
        h = (adcH - (c.h4() * 64.0 + c.h5() / 16384.0 * h))
                * (c.h2() / 65536.0 * (1.0 + c.h6() / 67108864.0 * h * (1.0 + c.h3() / 67108864.0 * h)));
        return h * (1.0 - c.h1() * h / 524288.0);
    }
}
