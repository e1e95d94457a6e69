package dev.fleetlet.drivers.ds18b20;

import dev.fleetlet.drivers.sysfs.SysfsFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Finds the DS18B20 sensors the kernel has enumerated: every {@code 28-*} entry under
 * {@code <root>/sys/bus/w1/devices}, sorted by id.
 */
public final class Ds18b20Discovery {

    private final SysfsFiles files;
    private final Path devicesDir;

    /**
     * @param files the sysfs port
     * @param root  the filesystem root ({@code /} on a board, a fake tree in tests)
     */
    public Ds18b20Discovery(SysfsFiles files, Path root) {
        this.files = Objects.requireNonNull(files, "files");
        this.devicesDir = Objects.requireNonNull(root, "root").resolve("sys/bus/w1/devices");
    }

    /** The directory holding the 1-Wire device nodes. */
    public Path devicesDir() {
        return devicesDir;
    }

    /** The ids of all DS18B20 on the bus, sorted; empty when 1-Wire is not enabled. */
    public List<String> deviceIds() throws IOException {
        return files.list(devicesDir).stream()
                .filter(n -> Ds18b20Config.DEVICE_ID.matcher(n).matches())
                .sorted()
                .toList();
    }
}
