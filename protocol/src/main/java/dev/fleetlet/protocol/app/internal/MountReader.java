package dev.fleetlet.protocol.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.protocol.app.DeviceMapping;
import dev.fleetlet.protocol.app.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads a service's {@code volumes}, {@code tmpfs} and {@code devices}; problems go to the shared {@link Reader}. */
final class MountReader {

    private static final Pattern DEVICE_PERMS = Pattern.compile("r?w?m?");

    private final Reader r;

    MountReader(Reader r) {
        this.r = r;
    }

    List<VolumeMount> volumes(JsonNode node, String p) {
        List<VolumeMount> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            r.problem(p, "expected a list, was " + Reader.show(node));
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            String ip = p + "[" + i + "]";
            JsonNode item = node.get(i);
            VolumeMount m = item.isObject() ? longVolume(item, ip) : shortVolume(r.string(item, ip), ip);
            if (item.isNull()) {
                r.problem(ip, "expected a string, was null");
            }
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    private VolumeMount shortVolume(String text, String p) {
        if (text == null) {
            return null;
        }
        String[] parts = text.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            r.problem(p, "expected name:/path[:ro] or /host/path:/path:ro, was \"" + text + "\"");
            return null;
        }
        boolean ro = false;
        if (parts.length == 3) {
            if (parts[2].equals("ro")) {
                ro = true;
            } else if (!parts[2].equals("rw")) {
                r.problem(p, "mode must be ro or rw, was \"" + parts[2] + "\"");
                return null;
            }
        }
        return mount(parts[0], parts[1], ro, p);
    }

    private VolumeMount longVolume(JsonNode item, String p) {
        if (!r.keys(item, p, Set.of("type", "source", "target", "read_only"), Set.of("bind", "volume", "tmpfs",
                "consistency", "image"))) {
            return null;
        }
        String type = r.string(item.get("type"), Reader.child(p, "type"));
        String source = r.string(item.get("source"), Reader.child(p, "source"));
        String target = r.string(item.get("target"), Reader.child(p, "target"));
        Boolean ro = r.bool(item.get("read_only"), Reader.child(p, "read_only"));
        if (type == null || target == null) {
            if (type == null) {
                r.problem(Reader.child(p, "type"), "required: volume or bind");
            }
            if (target == null) {
                r.problem(Reader.child(p, "target"), "required");
            }
            return null;
        }
        if (!type.equals("volume") && !type.equals("bind")) {
            r.problem(Reader.child(p, "type"), "expected volume or bind (tmpfs goes under tmpfs), was \"" + type + "\"");
            return null;
        }
        if (source == null) {
            r.problem(Reader.child(p, "source"), "required");
            return null;
        }
        if (type.equals("bind") != source.startsWith("/")) {
            r.problem(Reader.child(p, "source"), type.equals("bind") ? "a bind source must be an absolute host path"
                    : "a volume source must be a volume name");
            return null;
        }
        return mount(source, target, ro != null && ro, p);
    }

    private VolumeMount mount(String source, String target, boolean ro, String p) {
        if (!target.startsWith("/") || target.length() > 1024 || target.contains("\0")) {
            r.problem(p, "container path must be absolute, was \"" + target + "\"");
            return null;
        }
        if (source.startsWith("/")) {
            if (!ro) {
                r.problem(p, "bind mount " + source + " must be read-only (add :ro)");
                return null;
            }
            if (source.contains("\0") || source.contains("/../") || source.endsWith("/..")) {
                r.problem(p, "host path must not contain .., was \"" + source + "\"");
                return null;
            }
            return new VolumeMount(VolumeMount.Kind.BIND, source, target, true);
        }
        if (source.startsWith(".") || source.startsWith("~")) {
            r.problem(p, "relative host paths are not supported; use an absolute path with :ro or a named volume");
            return null;
        }
        if (!Reader.NAME.matcher(source).matches()) {
            r.problem(p, "volume name must match [a-z0-9][a-z0-9_-]{0,62}, was \"" + source + "\"");
            return null;
        }
        return new VolumeMount(VolumeMount.Kind.VOLUME, source, target, ro);
    }

    List<VolumeMount> tmpfs(JsonNode node, String p) {
        List<VolumeMount> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        List<String> paths = node.isTextual() ? List.of(node.textValue()) : r.strings(node, p);
        if (paths == null) {
            return out;
        }
        for (int i = 0; i < paths.size(); i++) {
            String t = paths.get(i);
            if (!t.startsWith("/") || t.contains(":") || t.length() > 1024) {
                r.problem(node.isTextual() ? p : p + "[" + i + "]", "expected an absolute container path, was \"" + t + "\"");
            } else {
                out.add(new VolumeMount(VolumeMount.Kind.TMPFS, null, t, false));
            }
        }
        return out;
    }

    List<DeviceMapping> devices(JsonNode node, String p) {
        List<String> items = r.strings(node, p);
        List<DeviceMapping> out = new ArrayList<>();
        if (items == null) {
            return out;
        }
        for (int i = 0; i < items.size(); i++) {
            String ip = p + "[" + i + "]";
            String[] parts = items.get(i).split(":", -1);
            String host = parts[0];
            String container = parts.length > 1 ? parts[1] : null;
            String perms = parts.length > 2 ? parts[2] : null;
            if (parts.length == 2 && DEVICE_PERMS.matcher(parts[1]).matches() && !parts[1].isEmpty()) {
                container = null;
                perms = parts[1];
            }
            if (parts.length > 3 || !host.startsWith("/dev/") || host.contains("..")
                    || (container != null && !container.startsWith("/dev/"))
                    || (perms != null && (perms.isEmpty() || !DEVICE_PERMS.matcher(perms).matches()))) {
                r.problem(ip, "expected /dev/host[:/dev/container[:rwm]], was \"" + items.get(i) + "\"");
                continue;
            }
            out.add(new DeviceMapping(host, container, perms));
        }
        return out;
    }
}
