package dev.fleetlet.protocol.app.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.protocol.app.DependencyCondition;
import dev.fleetlet.protocol.app.DeviceMapping;
import dev.fleetlet.protocol.app.Healthcheck;
import dev.fleetlet.protocol.app.NetworkMode;
import dev.fleetlet.protocol.app.RestartPolicy;
import dev.fleetlet.protocol.app.ServiceSpec;
import dev.fleetlet.protocol.app.VolumeMount;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one entry of {@code services}; every problem goes to the shared {@link Reader}. */
public final class ServiceReader {

    /** Service keys Fleetlet understands. */
    public static final Set<String> KNOWN = Set.of("image", "command", "entrypoint", "environment", "volumes",
            "devices", "mem_limit", "memswap_limit", "cpus", "pids_limit", "healthcheck", "restart", "depends_on",
            "labels", "network_mode", "user", "working_dir", "stop_signal", "stop_grace_period", "read_only",
            "cap_add", "cap_drop", "tmpfs");

    /** Compose service keys Fleetlet knowingly does not support. */
    public static final Set<String> UNSUPPORTED = Set.of("ports", "expose", "build", "networks", "secrets",
            "configs", "deploy", "extends", "profiles", "env_file", "container_name", "hostname", "domainname",
            "links", "external_links", "privileged", "pid", "ipc", "userns_mode", "cgroup_parent", "dns",
            "dns_search", "dns_opt", "extra_hosts", "logging", "security_opt", "sysctls", "ulimits", "volumes_from",
            "init", "platform", "pull_policy", "scale", "stdin_open", "tty", "mac_address", "shm_size",
            "mem_reservation", "cpu_shares", "cpu_quota", "cpu_period", "cpuset", "device_cgroup_rules",
            "group_add", "isolation", "runtime", "storage_opt", "oom_score_adj", "oom_kill_disable",
            "annotations", "attach", "develop", "post_start", "pre_stop", "gpus", "blkio_config", "cgroup",
            "credential_spec", "label_file", "mem_swappiness", "models", "provider", "use_api_socket");

    private static final Set<String> HEALTHCHECK_KEYS =
            Set.of("test", "interval", "timeout", "start_period", "retries", "disable");
    private static final Pattern IMAGE = Pattern.compile(
            "[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]{1,5})?(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");
    private static final Pattern RESTART = Pattern.compile("(no|always|unless-stopped|on-failure)(?::(\\d{1,9}))?");
    private static final Pattern SIGNAL = Pattern.compile("(SIG)?[A-Z0-9+-]{2,12}|[0-9]{1,2}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?");

    private final Reader r;
    private final MountReader mounts;

    public ServiceReader(Reader r) {
        this.r = r;
        this.mounts = new MountReader(r);
    }

    /** The service, or null when a problem prevents building it. Volume names are checked later by the caller. */
    public ServiceSpec read(JsonNode s, String p) {
        if (!r.keys(s, p, KNOWN, UNSUPPORTED)) {
            return null;
        }
        int before = r.problems().size();
        String image = r.string(s.get("image"), Reader.child(p, "image"));
        if (image == null && !s.hasNonNull("image")) {
            r.problem(Reader.child(p, "image"), "required");
        } else if (image != null && (image.length() > 512 || !IMAGE.matcher(image).matches())) {
            r.problem(Reader.child(p, "image"), "not a valid image reference: " + Reader.show(s.get("image")));
        }
        List<String> command = r.command(s.get("command"), Reader.child(p, "command"));
        List<String> entrypoint = r.command(s.get("entrypoint"), Reader.child(p, "entrypoint"));
        Map<String, String> env = r.stringMap(s.get("environment"), Reader.child(p, "environment"), true, true);
        List<VolumeMount> volumes = new ArrayList<>(mounts.volumes(s.get("volumes"), Reader.child(p, "volumes")));
        volumes.addAll(mounts.tmpfs(s.get("tmpfs"), Reader.child(p, "tmpfs")));
        List<DeviceMapping> devices = mounts.devices(s.get("devices"), Reader.child(p, "devices"));
        Long mem = r.bytes(s.get("mem_limit"), Reader.child(p, "mem_limit"));
        if (mem != null && mem < 4L << 20) {
            r.problem(Reader.child(p, "mem_limit"), "must be at least 4m, was " + Reader.show(s.get("mem_limit")));
        }
        Long memswap = memswap(s.get("memswap_limit"), Reader.child(p, "memswap_limit"), mem);
        BigDecimal cpus = cpus(s.get("cpus"), Reader.child(p, "cpus"));
        Long pids = r.integer(s.get("pids_limit"), Reader.child(p, "pids_limit"), -1, 4_194_304);
        if (pids != null && pids == 0) {
            r.problem(Reader.child(p, "pids_limit"), "must be positive, or -1 for unlimited");
        }
        Healthcheck hc = healthcheck(s.get("healthcheck"), Reader.child(p, "healthcheck"));
        RestartPolicy restart = restart(s.get("restart"), Reader.child(p, "restart"));
        Map<String, DependencyCondition> deps = dependsOn(s.get("depends_on"), Reader.child(p, "depends_on"));
        Map<String, String> labels = r.stringMap(s.get("labels"), Reader.child(p, "labels"), false, false);
        NetworkMode net = networkMode(s.get("network_mode"), Reader.child(p, "network_mode"));
        String user = r.string(s.get("user"), Reader.child(p, "user"));
        if (user != null && !USER.matcher(user).matches()) {
            r.problem(Reader.child(p, "user"), "expected a user name or uid, optionally :group or :gid, was "
                    + Reader.show(s.get("user")));
        }
        String workingDir = absolutePath(s.get("working_dir"), Reader.child(p, "working_dir"));
        String stopSignal = r.string(s.get("stop_signal"), Reader.child(p, "stop_signal"));
        if (stopSignal != null && !SIGNAL.matcher(stopSignal).matches()) {
            r.problem(Reader.child(p, "stop_signal"), "expected a signal like SIGTERM or SIGINT, was "
                    + Reader.show(s.get("stop_signal")));
        }
        Duration grace = r.duration(s.get("stop_grace_period"), Reader.child(p, "stop_grace_period"));
        Boolean readOnly = r.bool(s.get("read_only"), Reader.child(p, "read_only"));
        List<String> capAdd = caps(s.get("cap_add"), Reader.child(p, "cap_add"), false);
        List<String> capDrop = caps(s.get("cap_drop"), Reader.child(p, "cap_drop"), true);
        if (r.problems().size() > before) {
            return null;
        }
        return new ServiceSpec(image, command, entrypoint, env, volumes, devices, mem, memswap, cpus, pids, hc,
                restart, deps, labels, net, user, workingDir, stopSignal, grace, readOnly != null && readOnly,
                capAdd, capDrop);
    }

    private String absolutePath(JsonNode node, String p) {
        String s = r.string(node, p);
        if (s != null && (!s.startsWith("/") || s.contains("\0") || s.length() > 1024)) {
            r.problem(p, "expected an absolute path, was " + Reader.show(node));
            return null;
        }
        return s;
    }

    private Long memswap(JsonNode node, String p, Long mem) {
        if (node != null && node.isIntegralNumber() && node.canConvertToLong() && node.longValue() == -1) {
            return -1L;
        }
        Long v = r.bytes(node, p);
        if (v != null && mem == null) {
            r.problem(p, "requires mem_limit");
        } else if (v != null && v < mem) {
            r.problem(p, "must be at least mem_limit (it counts memory plus swap)");
        }
        return v;
    }

    private BigDecimal cpus(JsonNode node, String p) {
        if (node == null || node.isNull()) {
            return null;
        }
        BigDecimal v = null;
        if (node.isNumber()) {
            v = Reader.decimal(node);
        } else if (node.isTextual()) {
            try {
                v = new BigDecimal(node.textValue().trim());
            } catch (NumberFormatException e) {
                v = null;
            }
        }
        if (v == null || v.signum() <= 0 || v.compareTo(BigDecimal.valueOf(1024)) > 0 || v.scale() > 3) {
            r.problem(p, "expected a positive number of CPUs like 0.5 or 2 (at most 3 decimals), was " + Reader.show(node));
            return null;
        }
        v = v.stripTrailingZeros();
        return v.scale() < 0 ? v.setScale(0) : v;
    }

    private Healthcheck healthcheck(JsonNode node, String p) {
        if (node == null || node.isNull() || !r.keys(node, p, HEALTHCHECK_KEYS, Set.of("start_interval"))) {
            return null;
        }
        Boolean disable = r.bool(node.get("disable"), Reader.child(p, "disable"));
        JsonNode t = node.get("test");
        String tp = Reader.child(p, "test");
        List<String> test = null;
        if (t != null && t.isTextual()) {
            test = t.textValue().isBlank() ? null : List.of("CMD-SHELL", t.textValue());
            if (test == null) {
                r.problem(tp, "must not be empty");
            }
        } else if (t != null && !t.isNull()) {
            test = r.strings(t, tp);
            if (test != null && t.size() == test.size()) {
                String kind = test.isEmpty() ? "" : test.get(0);
                boolean ok = switch (kind) {
                    case "NONE" -> test.size() == 1;
                    case "CMD" -> test.size() >= 2;
                    case "CMD-SHELL" -> test.size() == 2;
                    default -> false;
                };
                if (!ok) {
                    r.problem(tp, "expected [\"CMD\", exe, args...], [\"CMD-SHELL\", \"command line\"] or [\"NONE\"]");
                }
            }
        }
        boolean disabled = (disable != null && disable) || (test != null && test.size() == 1 && "NONE".equals(test.get(0)));
        if (test == null && !disabled && t == null) {
            r.problem(tp, "required unless disable: true");
        }
        Duration interval = r.duration(node.get("interval"), Reader.child(p, "interval"));
        Duration timeout = r.duration(node.get("timeout"), Reader.child(p, "timeout"));
        Duration start = r.duration(node.get("start_period"), Reader.child(p, "start_period"));
        Long retries = r.integer(node.get("retries"), Reader.child(p, "retries"), 1, 1000);
        if (interval != null && interval.isZero()) {
            r.problem(Reader.child(p, "interval"), "must be greater than 0s");
        }
        if (timeout != null && timeout.isZero()) {
            r.problem(Reader.child(p, "timeout"), "must be greater than 0s");
        }
        return new Healthcheck(disabled && test == null ? List.of("NONE") : test, interval, timeout, start,
                retries == null ? null : retries.intValue(), disabled);
    }

    private RestartPolicy restart(JsonNode node, String p) {
        if (node != null && node.isBoolean() && !node.booleanValue()) {
            return RestartPolicy.NO; // YAML 1.1 reads an unquoted `no` as false
        }
        String s = r.string(node, p);
        if (s == null) {
            return null;
        }
        Matcher m = RESTART.matcher(s);
        if (!m.matches() || (m.group(2) != null && !m.group(1).equals("on-failure"))) {
            r.problem(p, "expected no, always, on-failure[:max] or unless-stopped, was \"" + s + "\"");
            return null;
        }
        for (RestartPolicy.Mode mode : RestartPolicy.Mode.values()) {
            if (mode.wire().equals(m.group(1))) {
                return new RestartPolicy(mode, m.group(2) == null ? null : Integer.valueOf(m.group(2)));
            }
        }
        throw new AssertionError(s);
    }

    private Map<String, DependencyCondition> dependsOn(JsonNode node, String p) {
        Map<String, DependencyCondition> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            List<String> names = r.strings(node, p);
            for (int i = 0; names != null && i < names.size(); i++) {
                if (out.put(names.get(i), DependencyCondition.SERVICE_STARTED) != null) {
                    r.problem(p + "[" + i + "]", "duplicate service " + names.get(i));
                }
            }
            return out;
        }
        if (!node.isObject()) {
            r.problem(p, "expected a list of services or a mapping of service to condition, was " + Reader.show(node));
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String ep = Reader.child(p, e.getKey());
            if (!r.keys(e.getValue(), ep, Set.of("condition"), Set.of("restart", "required"))) {
                continue;
            }
            String c = r.string(e.getValue().get("condition"), Reader.child(ep, "condition"));
            DependencyCondition cond = DependencyCondition.SERVICE_STARTED;
            if (c != null) {
                cond = null;
                for (DependencyCondition d : DependencyCondition.values()) {
                    if (d.wire().equals(c)) {
                        cond = d;
                    }
                }
                if (cond == null) {
                    r.problem(Reader.child(ep, "condition"), "expected service_started or service_healthy, was \"" + c + "\"");
                    continue;
                }
            }
            out.put(e.getKey(), cond);
        }
        return out;
    }

    private NetworkMode networkMode(JsonNode node, String p) {
        String s = r.string(node, p);
        if (s == null) {
            return null;
        }
        if (!s.equals("host")) {
            r.problem(p, "only host is supported (leave it out for the app's own network), was \"" + s + "\"");
            return null;
        }
        return NetworkMode.HOST;
    }

    private List<String> caps(JsonNode node, String p, boolean allowAll) {
        List<String> names = r.strings(node, p);
        if (names == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i).toUpperCase(Locale.ROOT);
            n = n.startsWith("CAP_") ? n.substring(4) : n;
            if (!(Values.CAPABILITIES.contains(n) || (allowAll && n.equals("ALL")))) {
                r.problem(p + "[" + i + "]", "not a Linux capability: \"" + names.get(i) + "\"");
            } else if (out.contains(n)) {
                r.problem(p + "[" + i + "]", "duplicate capability " + n);
            } else {
                out.add(n);
            }
        }
        return out;
    }
}
