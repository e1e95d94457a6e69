package dev.fleetlet.drivers.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.fleetlet.drivers.spi.ActuatorDriverFactory;
import dev.fleetlet.drivers.spi.DriverRegistry;
import dev.fleetlet.drivers.spi.SensorDriverFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the board YAML (format in the module README) into a validated {@link BoardConfig}.
 *
 * <p>Checks, in one pass: unknown keys, required keys, types and ranges of the shared keys, unique
 * names, known driver types, then each driver factory's own checks. Every problem found is reported
 * at once in a {@link ConfigException} whose messages start with the key path.
 */
public final class BoardConfigParser {

    /** Shortest sampling interval accepted. */
    public static final Duration MIN_INTERVAL = Duration.ofMillis(10);

    private static final Set<String> TOP_KEYS = Set.of("board", "sensors", "actuators");
    private static final Set<String> BOARD_KEYS = Set.of("type", "root", "dataDir", "seed");
    private static final Set<String> SENSOR_KEYS = Set.of("type", "name", "bus", "pin", "address", "interval",
            "offsets", "labels", "options");
    private static final Set<String> ACTUATOR_KEYS = Set.of("type", "name", "pin", "activeLow", "safeState",
            "labels", "options");

    private final DriverRegistry registry;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());

    public BoardConfigParser(DriverRegistry registry) {
        this.registry = registry;
    }

    public BoardConfig parse(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read board configuration: " + e.getMessage()));
        }
    }

    public BoardConfig parse(String text) {
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of("(file): not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr())));
        }
        Problems problems = Problems.root();
        if (root == null || !root.isObject()) {
            problems.add("(file)", "expected a mapping with keys " + TOP_KEYS.stream().sorted().toList());
            problems.throwIfAny();
        }
        unknownKeys(root, TOP_KEYS, problems);

        JsonNode boardNode = root.get("board");
        Problems bp = problems.scoped("board");
        BoardType type = BoardType.SIMULATED;
        Path fsRoot = Path.of("/");
        Path dataDir = Path.of("/var/lib/fleetlet");
        long seed = 1;
        if (boardNode == null || !boardNode.isObject()) {
            problems.add("board", "required: a mapping with at least 'type: pi' or 'type: simulated'");
        } else {
            unknownKeys(boardNode, BOARD_KEYS, bp);
            type = boardType(boardNode.get("type"), bp).orElse(type);
            fsRoot = text(boardNode, "root", bp).map(Path::of).orElse(fsRoot);
            dataDir = text(boardNode, "dataDir", bp).map(Path::of).orElse(dataDir);
            JsonNode s = boardNode.get("seed");
            if (s != null) {
                if (s.canConvertToLong() && s.isIntegralNumber()) {
                    seed = s.asLong();
                } else {
                    bp.add("seed", "expected an integer, got '" + s.asText() + "'");
                }
            }
        }

        Map<String, String> names = new HashMap<>();
        List<SensorSpec> sensors = new ArrayList<>();
        for (JsonNode n : list(root, "sensors", problems)) {
            int i = sensors.size();
            Problems p = problems.scoped("sensors[" + i + "]");
            SensorSpec spec = sensor(i, n, p, names);
            sensors.add(spec);
        }
        List<ActuatorSpec> actuators = new ArrayList<>();
        for (JsonNode n : list(root, "actuators", problems)) {
            int i = actuators.size();
            actuators.add(actuator(i, n, problems.scoped("actuators[" + i + "]"), names));
        }
        problems.throwIfAny();
        return new BoardConfig(type, fsRoot, dataDir, seed, sensors, actuators);
    }

    private SensorSpec sensor(int index, JsonNode n, Problems p, Map<String, String> names) {
        if (!n.isObject()) {
            p.add("", "expected a mapping with keys type, name, ...");
            return SensorSpec.of("?", "?");
        }
        unknownKeys(n, SENSOR_KEYS, p);
        String type = requiredText(n, "type", p).orElse("?");
        Optional<SensorDriverFactory> factory = Optional.empty();
        if (!"?".equals(type)) {
            factory = registry.sensor(type);
            if (factory.isEmpty()) {
                p.add("type", "unknown sensor type '" + type + "', expected one of " + registry.sensorTypes());
            }
        }
        String name = name(n, p, names);
        Integer bus = integer(n, "bus", 0, 31, p);
        Integer pin = integer(n, "pin", 0, 27, p);
        Integer address = integer(n, "address", 0x03, 0x77, p);
        Duration interval = SensorSpec.DEFAULT_INTERVAL;
        Optional<String> iv = text(n, "interval", p);
        if (iv.isPresent()) {
            Duration d = Options.parseDuration(iv.get());
            if (d == null) {
                p.add("interval", "expected a duration like 500ms, 10s, 1m, got '" + iv.get() + "'");
            } else if (d.compareTo(MIN_INTERVAL) < 0 || d.compareTo(Duration.ofDays(1)) > 0) {
                p.add("interval", "expected between 10ms and 1d, got " + iv.get());
            } else {
                interval = d;
            }
        }
        Map<String, Double> offsets = new HashMap<>();
        mapping(n, "offsets", p).forEach((k, v) -> {
            if (v.isNumber()) {
                offsets.put(k, v.asDouble());
            } else {
                p.add("offsets." + k, "expected a number, got '" + v.asText() + "'");
            }
        });
        SensorSpec spec = new SensorSpec(index, type, name, bus, pin, address, interval, offsets,
                strings(n, "labels", p), strings(n, "options", p));
        factory.ifPresent(f -> f.validate(spec, p));
        return spec;
    }

    private ActuatorSpec actuator(int index, JsonNode n, Problems p, Map<String, String> names) {
        if (!n.isObject()) {
            p.add("", "expected a mapping with keys type, name, pin, ...");
            return ActuatorSpec.of("?", "?", 0);
        }
        unknownKeys(n, ACTUATOR_KEYS, p);
        String type = requiredText(n, "type", p).orElse("?");
        Optional<ActuatorDriverFactory> factory = Optional.empty();
        if (!"?".equals(type)) {
            factory = registry.actuator(type);
            if (factory.isEmpty()) {
                p.add("type", "unknown actuator type '" + type + "', expected one of " + registry.actuatorTypes());
            }
        }
        String name = name(n, p, names);
        Integer pin = integer(n, "pin", 0, 27, p);
        if (pin == null && n.get("pin") == null) {
            p.add("pin", "required: the BCM GPIO number (0-27)");
        }
        boolean activeLow = false;
        JsonNode al = n.get("activeLow");
        if (al != null) {
            if (al.isBoolean()) {
                activeLow = al.asBoolean();
            } else {
                p.add("activeLow", "expected true or false, got '" + al.asText() + "'");
            }
        }
        double safe = 0.0;
        JsonNode s = n.get("safeState");
        if (s != null) {
            String t = s.asText().trim().toLowerCase(Locale.ROOT);
            if (t.equals("off") || (s.isBoolean() && !s.asBoolean())) {
                safe = 0.0;
            } else if (t.equals("on") || (s.isBoolean() && s.asBoolean())) {
                safe = 1.0;
            } else if (s.isNumber() && s.asDouble() >= 0.0 && s.asDouble() <= 1.0) {
                safe = s.asDouble();
            } else {
                p.add("safeState", "expected off, on or a level within [0, 1], got '" + s.asText() + "'");
            }
        }
        ActuatorSpec spec = new ActuatorSpec(index, type, name, pin == null ? 0 : pin, activeLow, safe,
                strings(n, "labels", p), strings(n, "options", p));
        factory.ifPresent(f -> f.validate(spec, p));
        return spec;
    }

    private static Optional<BoardType> boardType(JsonNode node, Problems p) {
        if (node == null) {
            p.add("type", "required: pi or simulated");
            return Optional.empty();
        }
        for (BoardType t : BoardType.values()) {
            if (t.code().equals(node.asText())) {
                return Optional.of(t);
            }
        }
        p.add("type", "expected pi or simulated, got '" + node.asText() + "'");
        return Optional.empty();
    }

    private static String name(JsonNode n, Problems p, Map<String, String> names) {
        String name = requiredText(n, "name", p).orElse("?");
        if ("?".equals(name)) {
            return name;
        }
        if (!name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
            p.add("name", "expected lower-case letters, digits, '-' or '_' (max 63), got '" + name + "'");
        }
        String first = names.putIfAbsent(name, p.path(""));
        if (first != null) {
            p.add("name", "duplicate name '" + name + "', already used by " + first);
        }
        return name;
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, Problems p) {
        node.fieldNames().forEachRemaining(k -> {
            if (!allowed.contains(k)) {
                p.add(k, "unknown key, expected one of " + allowed.stream().sorted().toList());
            }
        });
    }

    private static List<JsonNode> list(JsonNode root, String key, Problems p) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            p.add(key, "expected a list");
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    private static Optional<String> requiredText(JsonNode n, String key, Problems p) {
        Optional<String> t = text(n, key, p);
        if (t.isEmpty() && n.get(key) == null) {
            p.add(key, "required");
        }
        return t;
    }

    private static Optional<String> text(JsonNode n, String key, Problems p) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isValueNode() || v.asText().isBlank()) {
            p.add(key, "expected a non-empty text value");
            return Optional.empty();
        }
        return Optional.of(v.asText());
    }

    private static Integer integer(JsonNode n, String key, int min, int max, Problems p) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        Integer value = null;
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            value = v.asInt();
        } else if (v.isTextual()) {
            try {
                value = Integer.decode(v.asText().trim());
            } catch (NumberFormatException e) {
                value = null;
            }
        }
        boolean hex = key.equals("address");
        if (value == null) {
            p.add(key, "expected an integer" + (hex ? " such as 0x76" : "") + ", got '" + v.asText() + "'");
            return null;
        }
        if (value < min || value > max) {
            p.add(key, "expected within " + (hex ? hex(min) + ".." + hex(max) : min + ".." + max)
                    + ", got " + (hex ? hex(value) : value));
            return null;
        }
        return value;
    }

    /** Formats an I2C address the way users write it: {@code 0x76}. */
    public static String hex(int value) {
        return String.format(Locale.ROOT, "0x%02x", value);
    }

    private static Map<String, JsonNode> mapping(JsonNode n, String key, Problems p) {
        JsonNode v = n.get(key);
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isObject()) {
            p.add(key, "expected a mapping");
            return out;
        }
        v.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static Map<String, String> strings(JsonNode n, String key, Problems p) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        mapping(n, key, p).forEach((k, v) -> {
            if (v.isValueNode() && !v.isNull()) {
                out.put(k, v.asText());
            } else {
                p.add(key + "." + k, "expected a single value, got " + v.getNodeType().name().toLowerCase(Locale.ROOT));
            }
        });
        return out;
    }
}
