package dev.fleetlet.drivers.ds18b20;

import dev.fleetlet.drivers.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * An in-memory 1-Wire sysfs for tests and the simulated board: {@code <root>/sys/bus/w1/devices}
 * with a {@code w1_bus_master1} entry and one {@code 28-*} node per added sensor. Each read of
 * {@code w1_slave} asks the sensor's source for °C, quantises it to 1/16 °C like the chip, and writes
 * the two lines the kernel would, with a real scratchpad and its Dallas CRC. The {@code temperature}
 * file (newer kernels) is served too.
 *
 * <p>Faults per sensor through {@link #setFault(String, Fault)}, {@link #remove(String)} for a sensor
 * that left the bus, {@link #setTemperatureFileOnly(String, boolean)} for a node without
 * {@code w1_slave}, and {@link #setContent(String, String)} for verbatim {@code w1_slave} text.
 */
public class FakeW1Bus implements SysfsFiles {

    /** A fault a sensor node can show. */
    public enum Fault {
        /** Healthy. */
        NONE,
        /** The kernel's CRC check fails: {@code crc=.. NO}. */
        CRC_ERROR,
        /** The scratchpad still holds its power-on value, 85 °C. */
        POWER_ON,
        /** Data line held low: all-zero scratchpad with a CRC that happens to match ({@code crc=00 YES t=0}). */
        ALL_ZERO,
        /** Reading the file fails with an I/O error ("No such device"). */
        READ_ERROR
    }

    private final Path devicesDir;
    private final Map<String, Node> nodes = new LinkedHashMap<>();

    /** @param root the filesystem root the drivers resolve {@code sys/bus/w1/devices} against */
    public FakeW1Bus(Path root) {
        this.devicesDir = root.resolve("sys/bus/w1/devices");
    }

    /** Adds (or replaces) a sensor whose temperature comes from {@code celsius}. */
    public synchronized FakeW1Bus addSensor(String id, DoubleSupplier celsius) {
        if (!Ds18b20Config.DEVICE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must look like 28-0316a2791cff, was '" + id + "'");
        }
        nodes.put(id, new Node(Objects.requireNonNull(celsius, "celsius")));
        return this;
    }

    /** The sensor leaves the bus: its node disappears. */
    public synchronized void remove(String id) {
        nodes.remove(id);
    }

    /** Injects a fault (or {@link Fault#NONE} to clear it). */
    public synchronized void setFault(String id, Fault fault) {
        node(id).fault = Objects.requireNonNull(fault, "fault");
    }

    /** Serves only the {@code temperature} file, as a kernel without {@code w1_slave} would. */
    public synchronized void setTemperatureFileOnly(String id, boolean only) {
        node(id).temperatureOnly = only;
    }

    /** Serves {@code content} verbatim as {@code w1_slave}; {@code null} goes back to the source. */
    public synchronized void setContent(String id, String content) {
        node(id).content = content;
    }

    /** How many times {@code w1_slave} or {@code temperature} of {@code id} was read. */
    public synchronized int reads(String id) {
        return node(id).reads;
    }

    @Override
    public synchronized List<String> list(Path dir) {
        if (!dir.equals(devicesDir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>(nodes.keySet());
        names.add("w1_bus_master1");
        return names;
    }

    @Override
    public synchronized boolean isFile(Path file) {
        Node node = nodeOf(file);
        if (node == null) {
            return false;
        }
        String name = file.getFileName().toString();
        return name.equals("temperature") || (name.equals("w1_slave") && !node.temperatureOnly);
    }

    @Override
    public synchronized String read(Path file) throws IOException {
        Node node = nodeOf(file);
        if (node == null || !isFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        node.reads++;
        if (node.fault == Fault.READ_ERROR) {
            throw new IOException("No such device");
        }
        if (file.getFileName().toString().equals("temperature")) {
            return milli(raw(node)) + "\n";
        }
        if (node.content != null) {
            return node.content;
        }
        int[] pad = scratchpad(node.fault == Fault.ALL_ZERO ? 0 : raw(node));
        if (node.fault == Fault.ALL_ZERO) {
            pad = new int[9];
        }
        boolean crcOk = node.fault != Fault.CRC_ERROR;
        if (!crcOk) {
            pad[8] ^= 0x5A;
        }
        StringBuilder bytes = new StringBuilder();
        for (int b : pad) {
            bytes.append(String.format(Locale.ROOT, "%02x ", b));
        }
        int raw = (short) ((pad[1] << 8) | pad[0]);
        return bytes + ": crc=" + String.format(Locale.ROOT, "%02x", pad[8]) + (crcOk ? " YES" : " NO") + "\n"
                + bytes + "t=" + milli(raw) + "\n";
    }

    private int raw(Node node) {
        if (node.fault == Fault.POWER_ON) {
            return 0x0550;
        }
        return (int) Math.round(node.celsius.getAsDouble() * 16.0);
    }

    private static int milli(int raw) {
        return raw * 1000 / 16;
    }

    /** A DS18B20 scratchpad at 12-bit resolution holding {@code raw} (1/16 °C), with its CRC. */
    static int[] scratchpad(int raw) {
        int[] pad = {raw & 0xFF, (raw >> 8) & 0xFF, 0x4B, 0x46, 0x7F, 0xFF, 0x0C, 0x10, 0};
        pad[8] = dallasCrc(pad, 8);
        return pad;
    }

    /** The Dallas/Maxim 1-Wire CRC-8 (x^8 + x^5 + x^4 + 1, reflected, init 0). */
    static int dallasCrc(int[] data, int length) {
        int crc = 0;
        for (int i = 0; i < length; i++) {
            int b = data[i];
            for (int bit = 0; bit < 8; bit++) {
                int mix = (crc ^ b) & 0x01;
                crc >>= 1;
                if (mix != 0) {
                    crc ^= 0x8C;
                }
                b >>= 1;
            }
        }
        return crc;
    }

    private Node node(String id) {
        Node node = nodes.get(id);
        if (node == null) {
            throw new IllegalArgumentException("no sensor " + id + " on the fake bus");
        }
        return node;
    }

    private Node nodeOf(Path file) {
        Path dir = file.getParent();
        if (dir == null || !devicesDir.equals(dir.getParent())) {
            return null;
        }
        return nodes.get(dir.getFileName().toString());
    }

    private static final class Node {
        final DoubleSupplier celsius;
        Fault fault = Fault.NONE;
        boolean temperatureOnly;
        String content;
        int reads;

        Node(DoubleSupplier celsius) {
            this.celsius = celsius;
        }
    }
}
