package dev.fleetlet.protocol.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.protocol.app.internal.Values;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON form of an {@link AppSpec}: what the server stores and puts in {@code Release.spec}.
 * It is itself a valid app spec in the documented syntax, so {@code fromJson(toJson(spec))} equals
 * {@code spec}. Keys come in a fixed order (top level: name, services, volumes, x-fleetlet; service keys
 * in the order of docs/app-spec.md), defaults and empty values are left out, {@code name} and
 * {@code x-fleetlet.update_strategy} are always written, byte sizes use the shortest exact unit
 * ({@code 64m}), durations the largest units ({@code 1m30s}), commands are lists, environment values
 * have {@code $} doubled. Equal specs therefore give byte-identical JSON.
 */
public final class AppSpecJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final AppSpecParser PARSER = new AppSpecParser();

    private AppSpecJson() {
    }

    /** The canonical tree of {@code spec}. */
    public static ObjectNode toJson(AppSpec spec) {
        ObjectNode root = F.objectNode();
        root.put("name", spec.name());
        ObjectNode services = root.putObject("services");
        spec.services().forEach((n, s) -> services.set(n, service(s)));
        if (!spec.volumes().isEmpty()) {
            ObjectNode volumes = root.putObject("volumes");
            spec.volumes().forEach((n, v) -> {
                ObjectNode o = volumes.putObject(n);
                if (!v.labels().isEmpty()) {
                    o.set("labels", map(v.labels(), false));
                }
            });
        }
        ObjectNode x = root.putObject("x-fleetlet");
        x.put("update_strategy", spec.updateStrategy().wire());
        Requirements req = spec.requires();
        if (!req.isEmpty()) {
            ObjectNode r = x.putObject("requires");
            if (!req.arch().isEmpty()) {
                r.set("arch", list(req.arch()));
            }
            if (!req.labels().isEmpty()) {
                r.set("labels", map(req.labels(), false));
            }
            if (req.minMemoryBytes() != null) {
                r.put("min_memory", Values.formatBytes(req.minMemoryBytes()));
            }
        }
        return root;
    }

    /**
     * Reads a canonical (or any valid) JSON app spec.
     *
     * @throws IllegalArgumentException listing the problems when the tree is not a valid app spec; use
     *     {@link AppSpecParser#parseJson} for untrusted input
     */
    public static AppSpec fromJson(JsonNode tree) {
        return fromJson(tree, null);
    }

    /**
     * Reads a JSON app spec whose {@code name} may be absent, as in a {@code Release.spec} (pass the
     * release's name).
     *
     * @throws IllegalArgumentException listing the problems when the tree is not a valid app spec
     */
    public static AppSpec fromJson(JsonNode tree, String defaultName) {
        return PARSER.parseJson(tree, defaultName).orElseThrow();
    }

    private static ObjectNode service(ServiceSpec s) {
        ObjectNode o = F.objectNode();
        o.put("image", s.image());
        if (!s.entrypoint().isEmpty()) {
            o.set("entrypoint", list(s.entrypoint()));
        }
        if (!s.command().isEmpty()) {
            o.set("command", list(s.command()));
        }
        if (!s.environment().isEmpty()) {
            o.set("environment", map(s.environment(), true));
        }
        ArrayNode volumes = F.arrayNode();
        ArrayNode tmpfs = F.arrayNode();
        for (VolumeMount m : s.volumes()) {
            if (m.kind() == VolumeMount.Kind.TMPFS) {
                tmpfs.add(m.target());
            } else {
                volumes.add(m.shortSyntax());
            }
        }
        if (!volumes.isEmpty()) {
            o.set("volumes", volumes);
        }
        if (!tmpfs.isEmpty()) {
            o.set("tmpfs", tmpfs);
        }
        if (!s.devices().isEmpty()) {
            ArrayNode d = o.putArray("devices");
            s.devices().forEach(m -> d.add(m.wire()));
        }
        if (s.memLimitBytes() != null) {
            o.put("mem_limit", Values.formatBytes(s.memLimitBytes()));
        }
        if (s.memswapLimitBytes() != null) {
            if (s.memswapLimitBytes() < 0) {
                o.put("memswap_limit", -1);
            } else {
                o.put("memswap_limit", Values.formatBytes(s.memswapLimitBytes()));
            }
        }
        if (s.cpus() != null) {
            o.put("cpus", s.cpus());
        }
        if (s.pidsLimit() != null) {
            o.put("pids_limit", s.pidsLimit());
        }
        if (s.healthcheck() != null) {
            o.set("healthcheck", healthcheck(s.healthcheck()));
        }
        if (s.restart() != null && s.restart().mode() != RestartPolicy.Mode.NO) {
            o.put("restart", s.restart().wire());
        }
        if (!s.dependsOn().isEmpty()) {
            ObjectNode d = o.putObject("depends_on");
            s.dependsOn().forEach((n, c) -> d.putObject(n).put("condition", c.wire()));
        }
        if (!s.labels().isEmpty()) {
            o.set("labels", map(s.labels(), false));
        }
        if (s.networkMode() == NetworkMode.HOST) {
            o.put("network_mode", "host");
        }
        putIfSet(o, "user", s.user());
        putIfSet(o, "working_dir", s.workingDir());
        putIfSet(o, "stop_signal", s.stopSignal());
        putDuration(o, "stop_grace_period", s.stopGracePeriod());
        if (s.readOnly()) {
            o.put("read_only", true);
        }
        if (!s.capAdd().isEmpty()) {
            o.set("cap_add", list(s.capAdd()));
        }
        if (!s.capDrop().isEmpty()) {
            o.set("cap_drop", list(s.capDrop()));
        }
        return o;
    }

    private static ObjectNode healthcheck(Healthcheck h) {
        ObjectNode o = F.objectNode();
        if (!h.test().isEmpty()) {
            o.set("test", list(h.test()));
        }
        putDuration(o, "interval", h.interval());
        putDuration(o, "timeout", h.timeout());
        putDuration(o, "start_period", h.startPeriod());
        if (h.retries() != null) {
            o.put("retries", h.retries());
        }
        if (h.disabled()) {
            o.put("disable", true);
        }
        return o;
    }

    private static void putIfSet(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }

    private static void putDuration(ObjectNode o, String key, Duration d) {
        if (d != null) {
            o.put(key, Values.formatDuration(d));
        }
    }

    private static ArrayNode list(List<String> items) {
        ArrayNode a = F.arrayNode();
        items.forEach(a::add);
        return a;
    }

    private static ObjectNode map(Map<String, String> map, boolean escapeDollar) {
        ObjectNode o = F.objectNode();
        map.forEach((k, v) -> o.put(k, escapeDollar ? v.replace("$", "$$") : v));
        return o;
    }
}
