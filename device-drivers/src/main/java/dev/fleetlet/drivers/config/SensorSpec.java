package dev.fleetlet.drivers.config;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One sensor as declared in the board configuration, already checked for the keys every sensor
 * shares. Type-specific checks (e.g. allowed I2C addresses) are done by the driver factory.
 *
 * @param index    position in the {@code sensors} list, for error messages ({@code sensors[index]})
 * @param type     driver type, e.g. {@code digital-input}, {@code board-health}, {@code bme280}
 * @param name     unique name on the board; readings carry it
 * @param bus      I2C bus number, or {@code null} when not given
 * @param pin      BCM GPIO number, or {@code null} when not given
 * @param address  I2C address (7-bit), or {@code null} when not given
 * @param interval sampling interval (default 10 s)
 * @param offsets  calibration offset per quantity, added to the raw value by the sampler
 * @param labels   free-form labels carried to telemetry
 * @param options  type-specific settings as strings; read them with {@link Options}
 */
public record SensorSpec(int index, String type, String name, Integer bus, Integer pin, Integer address,
                         Duration interval, Map<String, Double> offsets, Map<String, String> labels,
                         Map<String, String> options) {

    /** Sampling interval used when none is configured. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    public SensorSpec {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(interval, "interval");
        offsets = Map.copyOf(offsets == null ? Map.of() : offsets);
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        options = Map.copyOf(options == null ? Map.of() : options);
    }

    /** A spec built in code (tests, simulator), at index 0 with no offsets, labels or options. */
    public static SensorSpec of(String type, String name) {
        return new SensorSpec(0, type, name, null, null, null, DEFAULT_INTERVAL, Map.of(), Map.of(), Map.of());
    }

    /** The key path of this entry: {@code sensors[index]}. */
    public String keyPath() {
        return "sensors[" + index + "]";
    }

    /** The offset for a quantity, {@code 0.0} when none is configured. */
    public double offset(String quantity) {
        Double offset = offsets.get(quantity);
        return offset == null ? 0.0 : offset;
    }

    public SensorSpec withPin(int newPin) {
        return new SensorSpec(index, type, name, bus, newPin, address, interval, offsets, labels, options);
    }

    public SensorSpec withBusAddress(int newBus, int newAddress) {
        return new SensorSpec(index, type, name, newBus, pin, newAddress, interval, offsets, labels, options);
    }

    public SensorSpec withInterval(Duration newInterval) {
        return new SensorSpec(index, type, name, bus, pin, address, newInterval, offsets, labels, options);
    }

    public SensorSpec withOptions(Map<String, String> newOptions) {
        return new SensorSpec(index, type, name, bus, pin, address, interval, offsets, labels, newOptions);
    }

    public SensorSpec withOffsets(Map<String, Double> newOffsets) {
        return new SensorSpec(index, type, name, bus, pin, address, interval, newOffsets, labels, options);
    }
}
