package dev.fleetlet.agent.state;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.fs.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device config values from the desired state ({@code config}, string to string), written atomically
 * to {@code config-overlay.json} and readable by the rest of the agent at any time. The agent itself
 * interprets {@code identify.led} (the actuator the {@code identify} command blinks); every other value is
 * kept for the release runtime and future agent features. Unreadable on startup → logged, empty.
 */
public final class ConfigOverlay {

    static final String FILE = "config-overlay.json";
    private static final Logger log = LoggerFactory.getLogger(ConfigOverlay.class);

    private final Path file;
    private final ObjectMapper mapper;
    private volatile Map<String, String> values = Map.of();

    public ConfigOverlay(Path dir, ObjectMapper mapper) {
        this.file = dir.resolve(FILE);
        this.mapper = mapper;
        if (Files.isRegularFile(file)) {
            try {
                values = Map.copyOf(mapper.readValue(Files.readAllBytes(file), new TypeReference<Map<String, String>>() {
                }));
            } catch (IOException | RuntimeException e) {
                log.error("config overlay unreadable, starting without it path={} error={}", file, e.toString());
            }
        }
    }

    /** The values in effect. */
    public Map<String, String> values() {
        return values;
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** Replaces all values durably; readers see the new map once this returns. */
    public void apply(Map<String, String> newValues) throws IOException {
        Map<String, String> copy = Map.copyOf(newValues);
        AtomicFiles.write(file, mapper.writeValueAsBytes(new java.util.TreeMap<>(copy)));
        values = copy;
    }
}
