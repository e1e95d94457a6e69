package dev.fleetlet.agent.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Named volumes: plain directories under {@code <root>/volumes/<name>} that outlive containers, so
 * data survives updates and rollbacks. A volume is created on first use and only removed on request.
 */
public final class VolumeStore {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");
    private final Path dir;

    public VolumeStore(Path root) {
        this.dir = root.resolve("volumes");
    }

    /** The volume's directory, created if needed; names must match {@code [a-z0-9][a-z0-9_.-]*}. */
    public Path ensure(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("volume name '" + name + "' must match " + NAME.pattern());
        }
        try {
            return Files.createDirectories(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create volume " + name, e);
        }
    }

    public List<String> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list volumes in " + dir, e);
        }
    }
}
