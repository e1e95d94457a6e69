package dev.fleetlet.hil.sim.internal;

import dev.fleetlet.protocol.message.Reading;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plausible indoor signals for one simulated board: a temperature with a daily cycle (coolest at 05:00,
 * warmest at 17:00 UTC) plus noise, a relative humidity that moves against it, and a PIR motion counter
 * that only grows, faster in day time.
 *
 * <p>Deterministic: the same seed, device index and sequence of sample times give the same values. Not
 * thread-safe; one instance per device, used from one thread at a time.
 */
public final class SignalModel {

    /** Sensor and quantity names the simulator reports. */
    public static final String CLIMATE_SENSOR = "sim-bme280";
    public static final String MOTION_SENSOR = "sim-pir";
    public static final String TEMPERATURE = "temperature";
    public static final String HUMIDITY = "humidity";
    public static final String MOTION = "motion_count";

    private static final int QUANTITIES = 3;

    private final SplittableRandom random;
    private final double baseTemperature;
    private final double amplitude;
    private final double baseHumidity;
    private long motionCount;

    public SignalModel(long seed, int deviceIndex) {
        this.random = new SplittableRandom(seed * 1_000_003L + deviceIndex);
        this.baseTemperature = 19.0 + random.nextDouble() * 4.0;
        this.amplitude = 1.5 + random.nextDouble() * 2.0;
        this.baseHumidity = 40.0 + random.nextDouble() * 15.0;
    }

    /**
     * The readings of one batch ending at {@code end}: {@code count} readings cycling through temperature,
     * humidity and motion, sampled at instants spread evenly over the {@code interval} before {@code end}.
     */
    public List<Reading> batch(Instant end, Duration interval, int count) {
        int samples = (count + QUANTITIES - 1) / QUANTITIES;
        long stepNanos = interval.toNanos() / samples;
        List<Reading> readings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int sample = i / QUANTITIES;
            Instant ts = end.minusNanos(stepNanos * (samples - 1 - sample));
            readings.add(switch (i % QUANTITIES) {
                case 0 -> Reading.ok(CLIMATE_SENSOR, TEMPERATURE, "Cel", round(temperature(ts)), ts);
                case 1 -> Reading.ok(CLIMATE_SENSOR, HUMIDITY, "%RH", round(humidity(ts)), ts);
                default -> Reading.ok(MOTION_SENSOR, MOTION, "1", motion(ts), ts);
            });
        }
        return readings;
    }

    /** Degrees Celsius at {@code ts}. */
    double temperature(Instant ts) {
        return baseTemperature + amplitude * dailyPhase(ts) + random.nextGaussian() * 0.15;
    }

    /** Percent relative humidity at {@code ts}, within 5..95. */
    double humidity(Instant ts) {
        double value = baseHumidity - 4.0 * dailyPhase(ts) + random.nextGaussian() * 0.8;
        return Math.max(5.0, Math.min(95.0, value));
    }

    /** Total motion events counted so far; grows by 0..3 per sample, rarely at night. */
    double motion(Instant ts) {
        int hour = ts.atOffset(ZoneOffset.UTC).getHour();
        double chance = hour >= 7 && hour < 22 ? 0.35 : 0.05;
        if (random.nextDouble() < chance) {
            motionCount += 1 + random.nextInt(3);
        }
        return motionCount;
    }

    /** -1 at 05:00 UTC, +1 at 17:00 UTC. */
    private static double dailyPhase(Instant ts) {
        double secondOfDay = ts.getEpochSecond() % 86_400;
        return Math.sin(2 * Math.PI * (secondOfDay - 11 * 3600.0) / 86_400.0);
    }

    private static double round(double v) {
        return Math.round(v * 100.0) / 100.0;
    }
}
