package dev.fleetlet.drivers.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a Raspberry Pi-like /proc and /sys tree into a temp directory, node by node. */
final class FakeProcTree {

    final Path root;

    FakeProcTree(Path root) {
        this.root = root;
        temperature("48312\n");
        throttled("50005\n");
        node("proc/loadavg", "0.52 0.58 0.59 1/187 4567\n");
        node("proc/meminfo", "MemTotal:        3882816 kB\nMemFree:          912340 kB\nMemAvailable:    2912112 kB\n");
        node("proc/uptime", "12345.67 45678.90\n");
    }

    FakeProcTree temperature(String content) {
        return node("sys/class/thermal/thermal_zone0/temp", content);
    }

    FakeProcTree throttled(String content) {
        return node("sys/devices/platform/soc/soc:firmware/get_throttled", content);
    }

    FakeProcTree node(String relative, String content) {
        try {
            Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    FakeProcTree remove(String relative) {
        try {
            Files.deleteIfExists(root.resolve(relative));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
