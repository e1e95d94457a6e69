package dev.fleetlet.drivers.dht22;

import dev.fleetlet.drivers.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * An in-memory IIO sysfs with one dht11-driver device for tests and the simulated board:
 * {@code <root>/sys/bus/iio/devices/iio:deviceN/} with {@code name}, {@code in_temp_input} and
 * {@code in_humidityrelative_input}. Each read of {@code in_temp_input} takes a new measurement from the
 * sources (rounded to 0.1, the DHT22's resolution) that the humidity file then serves, as the kernel's
 * cache does.
 *
 * <p>Faults: {@link #failNextReads(int, String)} makes the next measurement reads throw
 * {@link IOException} with the kernel's message ("Input/output error", "Connection timed out");
 * {@link #setPresent(boolean)} removes the device (overlay not loaded); {@link #setStuck(boolean)}
 * repeats the last measurement; {@link #setContent(String, String)} serves a file verbatim.
 */
public class FakeIioDht implements SysfsFiles {

    /** The kernel's message for EIO. */
    public static final String EIO = "Input/output error";
    /** The kernel's message for ETIMEDOUT. */
    public static final String ETIMEDOUT = "Connection timed out";

    private final Path deviceDir;
    private final String deviceName;
    private final DoubleSupplier temperature;
    private final DoubleSupplier humidity;
    private final Deque<String> failures = new ArrayDeque<>();
    private boolean present = true;
    private boolean stuck;
    private long milliC;
    private long milliRh;
    private String temperatureContent;
    private String humidityContent;
    private int measurements;

    /**
     * @param root        the filesystem root drivers resolve {@code sys/bus/iio/devices} against
     * @param device      the device directory, e.g. {@code iio:device0}
     * @param temperature °C source
     * @param humidity    %RH source
     */
    public FakeIioDht(Path root, String device, DoubleSupplier temperature, DoubleSupplier humidity) {
        this.deviceDir = root.resolve("sys/bus/iio/devices").resolve(device);
        this.deviceName = "dht11@4";
        this.temperature = Objects.requireNonNull(temperature, "temperature");
        this.humidity = Objects.requireNonNull(humidity, "humidity");
    }

    /** The next {@code count} reads of {@code in_temp_input} fail with {@code message}. */
    public synchronized void failNextReads(int count, String message) {
        for (int i = 0; i < count; i++) {
            failures.add(message);
        }
    }

    /** Whether the IIO device exists at all. */
    public synchronized void setPresent(boolean present) {
        this.present = present;
    }

    /** Repeats the last measurement instead of asking the sources. */
    public synchronized void setStuck(boolean stuck) {
        this.stuck = stuck;
    }

    /** Serves {@code content} for {@code in_temp_input} or {@code in_humidityrelative_input}; {@code null} clears. */
    public synchronized void setContent(String file, String content) {
        if (file.equals("in_temp_input")) {
            temperatureContent = content;
        } else if (file.equals("in_humidityrelative_input")) {
            humidityContent = content;
        } else {
            throw new IllegalArgumentException("no such fake file: " + file);
        }
    }

    /** Reads of {@code in_temp_input} so far, failed ones included: each would be a sensor wake-up. */
    public synchronized int measurements() {
        return measurements;
    }

    @Override
    public synchronized List<String> list(Path dir) {
        return present && dir.equals(deviceDir.getParent()) ? List.of(deviceDir.getFileName().toString()) : List.of();
    }

    @Override
    public synchronized boolean isFile(Path file) {
        if (!present || !deviceDir.equals(file.getParent())) {
            return false;
        }
        String name = file.getFileName().toString();
        return name.equals("name") || name.equals("in_temp_input") || name.equals("in_humidityrelative_input");
    }

    @Override
    public synchronized String read(Path file) throws IOException {
        if (!isFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        switch (file.getFileName().toString()) {
            case "name":
                return deviceName + "\n";
            case "in_temp_input":
                measurements++;
                if (!failures.isEmpty()) {
                    throw new IOException(failures.poll());
                }
                if (!stuck) {
                    milliC = Math.round(temperature.getAsDouble() * 10.0) * 100;
                    milliRh = Math.round(humidity.getAsDouble() * 10.0) * 100;
                }
                return temperatureContent != null ? temperatureContent : milliC + "\n";
            default:
                return humidityContent != null ? humidityContent : milliRh + "\n";
        }
    }
}
