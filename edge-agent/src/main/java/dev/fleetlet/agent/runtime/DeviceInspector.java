package dev.fleetlet.agent.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Port: reads a host device node's type and major/minor numbers (for passthrough). */
@FunctionalInterface
public interface DeviceInspector {

    /** A device node: {@code c} (character) or {@code b} (block), with its numbers and permission bits. */
    record DeviceNode(String type, long major, long minor, int fileMode) {
    }

    /** Throws {@link IllegalArgumentException} naming the path when it is missing or not a device. */
    DeviceNode inspect(Path hostPath);

    /** Reads the real node with {@code stat}. */
    static DeviceInspector host() {
        return path -> {
            try {
                int mode = (Integer) Files.getAttribute(path, "unix:mode");
                long rdev = ((Number) Files.getAttribute(path, "unix:rdev")).longValue();
                int kind = mode & 0170000;
                String type = kind == 0020000 ? "c" : kind == 0060000 ? "b" : null;
                if (type == null) {
                    throw new IllegalArgumentException("device " + path + " is not a character or block device");
                }
                long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
                long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
                return new DeviceNode(type, major, minor, mode & 0777);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IllegalArgumentException("device " + path + " does not exist on this host");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stat device " + path, e);
            }
        };
    }
}
