package dev.fleetlet.protocol.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.protocol.app.internal.Reader;
import dev.fleetlet.protocol.app.internal.ServiceReader;
import dev.fleetlet.protocol.app.internal.YamlTree;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses and validates an app spec written in the Compose subset of {@code docs/app-spec.md}, from YAML
 * (what users write) or from a JSON tree (what {@code Release.spec} carries). Never throws on bad input:
 * the {@link ParseResult} lists every {@link Problem} found, each naming the key path. Unknown keys are
 * refused; Compose keys Fleetlet does not support get a "not supported" problem. Stateless and thread-safe.
 */
public final class AppSpecParser {

    /** Top-level keys Fleetlet understands. */
    public static final Set<String> TOP_LEVEL_KEYS = Set.of("name", "services", "volumes", "x-fleetlet", "version");
    /** Compose top-level keys Fleetlet knowingly does not support. */
    public static final Set<String> UNSUPPORTED_TOP_LEVEL_KEYS =
            Set.of("networks", "secrets", "configs", "include", "models");

    private static final Set<String> EXTENSION_KEYS = Set.of("update_strategy", "requires");
    private static final Set<String> REQUIRES_KEYS = Set.of("arch", "labels", "min_memory");
    private static final Set<String> VOLUME_KEYS = Set.of("labels");
    private static final Set<String> UNSUPPORTED_VOLUME_KEYS = Set.of("driver", "driver_opts", "external", "name");
    private static final Pattern ARCH = Pattern.compile("[a-z0-9][a-z0-9_]{1,15}");

    /**
     * Parses YAML (JSON is YAML too). Documents over 256 KiB, more than 50 aliases, duplicate keys,
     * non-string keys and merge keys are refused as a problem at path {@code ""}.
     *
     * @param defaultName the app name to use when the document has no {@code name}; null to require one
     */
    public ParseResult parseYaml(String text, String defaultName) {
        if (text == null) {
            return fail("", "document is empty");
        }
        JsonNode tree;
        try {
            tree = YamlTree.read(text);
        } catch (YamlTree.YamlException e) {
            return fail("", e.getMessage());
        } catch (RuntimeException e) {
            return fail("", "not valid YAML: " + e.getClass().getSimpleName());
        }
        return parseJson(tree, defaultName);
    }

    /**
     * Validates a JSON tree, such as a {@code Release.spec} or {@link AppSpecJson#toJson} output.
     *
     * @param defaultName the app name to use when the tree has no {@code name}; null to require one
     */
    public ParseResult parseJson(JsonNode tree, String defaultName) {
        Reader r = new Reader();
        AppSpec spec;
        try {
            spec = read(tree, defaultName, r);
        } catch (RuntimeException e) {
            // a bug in this class must still not escape to callers handling untrusted input
            r.problem("", "cannot read app spec: " + e.getClass().getSimpleName());
            spec = null;
        }
        if (!r.problems().isEmpty()) {
            return new ParseResult(null, r.problems());
        }
        return new ParseResult(spec, List.of());
    }

    private static ParseResult fail(String path, String message) {
        return new ParseResult(null, List.of(new Problem(path, message)));
    }

    private AppSpec read(JsonNode tree, String defaultName, Reader r) {
        if (!r.keys(tree, "", TOP_LEVEL_KEYS, UNSUPPORTED_TOP_LEVEL_KEYS)) {
            return null;
        }
        String name = r.string(tree.get("name"), "name");
        if (name == null && !tree.hasNonNull("name")) {
            name = defaultName;
            if (name == null) {
                r.problem("name", "required");
            }
        }
        if (name != null && !Reader.NAME.matcher(name).matches()) {
            r.problem("name", "must match [a-z0-9][a-z0-9_-]{0,62}, was \"" + name + "\"");
        }
        Map<String, VolumeSpec> volumes = volumes(tree.get("volumes"), r);
        Map<String, ServiceSpec> services = new LinkedHashMap<>();
        JsonNode s = tree.get("services");
        if (s == null || s.isNull()) {
            r.problem("services", "required: at least one service");
        } else if (!s.isObject()) {
            r.problem("services", "expected a mapping of service name to service, was " + Reader.show(s));
        } else if (s.isEmpty()) {
            r.problem("services", "required: at least one service");
        } else {
            ServiceReader sr = new ServiceReader(r);
            for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = "services." + e.getKey();
                if (!Reader.NAME.matcher(e.getKey()).matches()) {
                    r.problem(path, "service name must match [a-z0-9][a-z0-9_-]{0,62}");
                    continue;
                }
                ServiceSpec spec = sr.read(e.getValue(), path);
                if (spec != null) {
                    services.put(e.getKey(), spec);
                }
            }
            crossCheck(s, services, volumes, r);
        }
        UpdateStrategy strategy = UpdateStrategy.DOWNLOAD_THEN_KILL;
        Requirements requires = Requirements.NONE;
        JsonNode x = tree.get("x-fleetlet");
        if (x != null && !x.isNull() && r.keys(x, "x-fleetlet", EXTENSION_KEYS, Set.of())) {
            String st = r.string(x.get("update_strategy"), "x-fleetlet.update_strategy");
            if (st != null) {
                strategy = UpdateStrategy.fromWire(st).orElse(null);
                if (strategy == null) {
                    r.problem("x-fleetlet.update_strategy",
                            "expected download-then-kill, kill-then-download or hand-over, was \"" + st + "\"");
                }
            }
            requires = requires(x.get("requires"), r);
        }
        JsonNode version = tree.get("version");
        if (version != null && !version.isNull() && !version.isTextual()) {
            r.problem("version", "expected a string (it is ignored), was " + Reader.show(version));
        }
        if (!r.problems().isEmpty()) {
            return null;
        }
        return new AppSpec(name, strategy, services, volumes, requires);
    }

    private static Map<String, VolumeSpec> volumes(JsonNode node, Reader r) {
        Map<String, VolumeSpec> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            r.problem("volumes", "expected a mapping of volume name to options, was " + Reader.show(node));
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = "volumes." + e.getKey();
            if (!Reader.NAME.matcher(e.getKey()).matches()) {
                r.problem(p, "volume name must match [a-z0-9][a-z0-9_-]{0,62}");
                continue;
            }
            if (e.getValue().isNull()) {
                out.put(e.getKey(), VolumeSpec.empty());
            } else if (r.keys(e.getValue(), p, VOLUME_KEYS, UNSUPPORTED_VOLUME_KEYS)) {
                Map<String, String> labels = r.stringMap(e.getValue().get("labels"), p + ".labels", false, false);
                out.put(e.getKey(), new VolumeSpec(labels));
            }
        }
        return out;
    }

    private static Requirements requires(JsonNode node, Reader r) {
        if (node == null || node.isNull() || !r.keys(node, "x-fleetlet.requires", REQUIRES_KEYS, Set.of())) {
            return Requirements.NONE;
        }
        List<String> arch = r.strings(node.get("arch"), "x-fleetlet.requires.arch");
        if (arch != null) {
            for (int i = 0; i < arch.size(); i++) {
                if (!ARCH.matcher(arch.get(i)).matches()) {
                    r.problem("x-fleetlet.requires.arch[" + i + "]", "not an architecture name like arm64, armhf or amd64");
                } else if (arch.indexOf(arch.get(i)) != i) {
                    r.problem("x-fleetlet.requires.arch[" + i + "]", "duplicate architecture " + arch.get(i));
                }
            }
        }
        Map<String, String> labels = r.stringMap(node.get("labels"), "x-fleetlet.requires.labels", false, false);
        Long minMemory = r.bytes(node.get("min_memory"), "x-fleetlet.requires.min_memory");
        return new Requirements(arch, labels, minMemory);
    }

    /** Rules across services: known dependencies without cycles, declared volumes. */
    private static void crossCheck(JsonNode raw, Map<String, ServiceSpec> services, Map<String, VolumeSpec> volumes,
                                   Reader r) {
        for (Map.Entry<String, ServiceSpec> e : services.entrySet()) {
            String p = "services." + e.getKey();
            int i = 0;
            for (VolumeMount m : e.getValue().volumes()) {
                if (m.kind() == VolumeMount.Kind.VOLUME && !volumes.containsKey(m.source())) {
                    r.problem(p + ".volumes[" + i + "]", "named volume " + m.source()
                            + " is not declared under the top-level volumes key");
                }
                i++;
            }
            for (String dep : e.getValue().dependsOn().keySet()) {
                if (dep.equals(e.getKey())) {
                    r.problem(p + ".depends_on", "a service cannot depend on itself");
                } else if (!raw.has(dep)) {
                    r.problem(p + ".depends_on", "unknown service " + dep);
                }
            }
        }
        List<String> cycle = findCycle(services);
        if (!cycle.isEmpty()) {
            r.problem("services." + cycle.get(0) + ".depends_on", "dependency cycle: " + String.join(" -> ", cycle));
        }
    }

    private static List<String> findCycle(Map<String, ServiceSpec> services) {
        Map<String, Integer> state = new HashMap<>();
        for (String start : services.keySet()) {
            List<String> path = new ArrayList<>();
            if (visit(start, services, state, path)) {
                int from = path.indexOf(path.get(path.size() - 1));
                return path.subList(from, path.size());
            }
        }
        return List.of();
    }

    private static boolean visit(String n, Map<String, ServiceSpec> services, Map<String, Integer> state,
                                 List<String> path) {
        Integer st = state.get(n);
        if (st != null && st == 2) {
            return false;
        }
        path.add(n);
        if (st != null) {
            return true;
        }
        state.put(n, 1);
        ServiceSpec s = services.get(n);
        if (s != null) {
            for (String d : s.dependsOn().keySet()) {
                if (!d.equals(n) && visit(d, services, state, path)) {
                    return true;
                }
            }
        }
        state.put(n, 2);
        path.remove(path.size() - 1);
        return false;
    }
}
