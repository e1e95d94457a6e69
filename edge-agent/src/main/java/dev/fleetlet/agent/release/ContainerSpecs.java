package dev.fleetlet.agent.release;

import dev.fleetlet.agent.image.ImageConfig;
import dev.fleetlet.agent.network.AppNetwork;
import dev.fleetlet.agent.runtime.ContainerSpec;
import dev.fleetlet.agent.runtime.HealthCheck;
import dev.fleetlet.agent.runtime.OciSpecGenerator;
import dev.fleetlet.agent.runtime.Resources;
import dev.fleetlet.agent.runtime.RestartPolicy;
import dev.fleetlet.agent.runtime.RestartRule;
import dev.fleetlet.protocol.app.Healthcheck;
import dev.fleetlet.protocol.app.NetworkMode;
import dev.fleetlet.protocol.app.ServiceSpec;
import dev.fleetlet.protocol.app.VolumeMount;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Translates one app-spec service into a {@link ServicePlan}: the image's defaults (entrypoint, cmd, env,
 * working directory, user) overridden by the service's {@code entrypoint}, {@code command},
 * {@code environment}, {@code working_dir} and {@code user}; limits; devices; named volumes scoped to the
 * app (so they survive updates and rollbacks between releases of the same app); read-only binds;
 * {@code read_only}; capabilities; network; restart rule and health check.
 *
 * <p>Pure apart from reading the rootfs's {@code /etc/passwd} and {@code /etc/group} for user names.
 * Everything it cannot honour is refused with an {@link IllegalArgumentException} naming the service and
 * the key, never silently dropped: {@code tmpfs} and dropping a default capability ({@code cap_drop}) need
 * runtime support that {@link ContainerSpec} does not have yet.
 */
public final class ContainerSpecs {

    static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration DEFAULT_HC_INTERVAL = Duration.ofSeconds(30);
    private static final Duration DEFAULT_HC_TIMEOUT = Duration.ofSeconds(30);
    private static final int DEFAULT_HC_RETRIES = 3;

    private ContainerSpecs() {
    }

    /**
     * The container id of {@code service} of {@code app} in release {@code releaseId}:
     * {@code <app>-<service>-<8 hex of sha256(releaseId)>}, lower-cased, other characters than
     * {@code [a-z0-9_.-]} replaced by {@code -}, app and service shortened so the id fits 63 characters.
     */
    public static String containerId(String app, String service, String releaseId) {
        String hash = shortHash(releaseId);
        String a = sanitize(app);
        String s = sanitize(service);
        int room = 63 - hash.length() - 2;
        if (a.length() + s.length() > room) {
            int half = room / 2;
            if (a.length() > half && s.length() > room - half) {
                a = a.substring(0, half);
                s = s.substring(0, room - half);
            } else if (a.length() > half) {
                a = a.substring(0, room - s.length());
            } else {
                s = s.substring(0, room - a.length());
            }
        }
        return a + "-" + s + "-" + hash;
    }

    /** The store name of named volume {@code volume} of {@code app}: {@code <app>_<volume>} (same for every release). */
    public static String volumeName(String app, String volume) {
        String name = sanitize(app) + "_" + sanitize(volume);
        if (name.length() > 63) {
            throw new IllegalArgumentException("volume " + volume + " of app " + app
                    + ": app and volume name together must be at most 62 characters, got " + (name.length() - 1));
        }
        return name;
    }

    /** Eight hex digits of the SHA-256 of {@code releaseId}. */
    public static String shortHash(String releaseId) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(releaseId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }

    /**
     * Builds the plan of one service.
     *
     * @param network the app's network, required when the service does not use {@code network_mode: host}
     * @throws IllegalArgumentException naming the service and key when the service cannot be run as written
     */
    public static ServicePlan plan(String app, String releaseId, String name, ServiceSpec s, ImageConfig image,
                                   Path rootfs, AppNetwork network) {
        String where = "service " + name + ": ";
        String id = containerId(app, name, releaseId);
        List<String> args = args(s, image);
        if (args.isEmpty()) {
            throw new IllegalArgumentException(where + "no command: neither the service nor its image "
                    + s.image() + " sets entrypoint or command");
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String kv : image.env()) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        env.putAll(s.environment());
        env.putIfAbsent("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        String cwd = s.workingDir() != null && !s.workingDir().isEmpty() ? s.workingDir()
                : image.workingDir().isEmpty() ? "/" : image.workingDir();
        if (!cwd.startsWith("/")) {
            throw new IllegalArgumentException(where + "working_dir must be absolute, got '" + cwd + "'");
        }
        String user = s.user() != null && !s.user().isEmpty() ? s.user() : image.user();
        int[] ids = UserResolver.resolve(user, rootfs, where);

        List<ContainerSpec.VolumeMount> volumes = new ArrayList<>();
        List<ContainerSpec.BindMount> binds = new ArrayList<>();
        for (VolumeMount v : s.volumes()) {
            switch (v.kind()) {
                case VOLUME -> {
                    String vol = v.source() == null || v.source().isEmpty()
                            ? volumeName(app, name + "." + shortHash(v.target()))
                            : volumeName(app, v.source());
                    volumes.add(new ContainerSpec.VolumeMount(vol, v.target(), v.readOnly()));
                }
                case BIND -> binds.add(new ContainerSpec.BindMount(Path.of(v.source()), v.target(), true));
                case TMPFS -> throw new IllegalArgumentException(where + "tmpfs " + v.target()
                        + " is not supported by this agent's container runtime yet");
                default -> throw new IllegalArgumentException(where + "unknown volume kind " + v.kind());
            }
        }
        List<ContainerSpec.DeviceMapping> devices = s.devices().stream()
                .map(d -> new ContainerSpec.DeviceMapping(Path.of(d.hostPath()), d.containerPath(), d.permissions()))
                .toList();
        Set<String> capAdd = new LinkedHashSet<>();
        for (String c : s.capAdd()) {
            capAdd.add(capName(c));
        }
        for (String c : s.capDrop()) {
            String cap = capName(c);
            if (cap.equals("CAP_ALL") || OciSpecGenerator.DEFAULT_CAPABILITIES.contains(cap)) {
                throw new IllegalArgumentException(where + "cap_drop " + c
                        + " is not supported by this agent's container runtime yet (it keeps its default capability set)");
            }
        }
        boolean host = s.networkMode() == NetworkMode.HOST;
        Path netns = null;
        if (!host) {
            if (network == null) {
                throw new IllegalArgumentException(where + "needs the app's network (no network_mode: host) but "
                        + "app networking (CNI) is not available on this device");
            }
            netns = network.netnsPath();
            binds.add(new ContainerSpec.BindMount(network.resolvConf(), "/etc/resolv.conf", true));
            binds.add(new ContainerSpec.BindMount(network.hosts(), "/etc/hosts", true));
        }
        ContainerSpec spec = new ContainerSpec(id, rootfs, args, env, cwd, ids[0], ids[1], sanitize(name), s.readOnly(),
                host, volumes, binds, devices, resources(s, where), capAdd, netns);
        return new ServicePlan(name, s.image(), spec, restart(s), health(s.healthcheck()), s.dependsOn(),
                s.stopGracePeriod() == null ? DEFAULT_STOP_GRACE : s.stopGracePeriod());
    }

    /** Compose semantics: an entrypoint set by the service drops the image's cmd; a command replaces the image's cmd. */
    static List<String> args(ServiceSpec s, ImageConfig image) {
        List<String> out = new ArrayList<>();
        if (!s.entrypoint().isEmpty()) {
            out.addAll(s.entrypoint());
            out.addAll(s.command());
        } else {
            out.addAll(image.entrypoint());
            out.addAll(s.command().isEmpty() ? image.cmd() : s.command());
        }
        return out;
    }

    static Resources resources(ServiceSpec s, String where) {
        Long cpuMillis = null;
        if (s.cpus() != null) {
            long m = s.cpus().multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.HALF_UP).longValueExact();
            if (m <= 0) {
                throw new IllegalArgumentException(where + "cpus " + s.cpus() + " is below 0.001 CPU");
            }
            cpuMillis = m;
        }
        Long pids = s.pidsLimit() == null || s.pidsLimit() < 0 ? null : s.pidsLimit();
        try {
            return new Resources(s.memLimitBytes(), cpuMillis, pids);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage().replace("resources.memoryBytes", "mem_limit")
                    .replace("resources.pidsLimit", "pids_limit"), e);
        }
    }

    static RestartRule restart(ServiceSpec s) {
        return switch (s.restart().mode()) {
            case NO -> RestartRule.of(RestartPolicy.NEVER);
            case ALWAYS -> RestartRule.of(RestartPolicy.ALWAYS);
            case UNLESS_STOPPED -> RestartRule.of(RestartPolicy.UNLESS_STOPPED);
            case ON_FAILURE -> new RestartRule(RestartPolicy.ON_FAILURE, s.restart().maxRetries());
        };
    }

    /** The runtime health check, or null for none / disabled / {@code NONE}. */
    static HealthCheck health(Healthcheck h) {
        if (h == null || h.disabled() || h.test().isEmpty() || h.test().get(0).equals("NONE")) {
            return null;
        }
        List<String> test = h.test();
        List<String> command = switch (test.get(0)) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> List.of("/bin/sh", "-c", String.join(" ", test.subList(1, test.size())));
            default -> List.of("/bin/sh", "-c", String.join(" ", test));
        };
        return new HealthCheck(command, Optional.ofNullable(h.interval()).orElse(DEFAULT_HC_INTERVAL),
                Optional.ofNullable(h.timeout()).orElse(DEFAULT_HC_TIMEOUT),
                h.retries() == null ? DEFAULT_HC_RETRIES : h.retries(),
                Optional.ofNullable(h.startPeriod()).orElse(Duration.ZERO));
    }

    private static String capName(String c) {
        String u = c.toUpperCase(Locale.ROOT);
        return u.startsWith("CAP_") ? u : "CAP_" + u;
    }

    static String sanitize(String text) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-");
        if (s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0))) {
            s = "x" + s;
        }
        return s;
    }

    /** Resolves compose {@code user} against the rootfs's passwd and group files. */
    static final class UserResolver {
        private UserResolver() {
        }

        static int[] resolve(String user, Path rootfs, String where) {
            if (user == null || user.isEmpty()) {
                return new int[] {0, 0};
            }
            String[] parts = user.split(":", 2);
            int uid;
            Integer gid = null;
            String[] pw = lookup(rootfs.resolve("etc/passwd"), parts[0]);
            if (parts[0].matches("\\d+")) {
                uid = Integer.parseInt(parts[0]);
                if (pw != null && pw.length > 3 && pw[3].matches("\\d+")) {
                    gid = Integer.parseInt(pw[3]);
                }
            } else if (pw != null && pw.length > 3 && pw[2].matches("\\d+") && pw[3].matches("\\d+")) {
                uid = Integer.parseInt(pw[2]);
                gid = Integer.parseInt(pw[3]);
            } else {
                throw new IllegalArgumentException(where + "user " + parts[0] + " is not in the image's /etc/passwd");
            }
            if (parts.length == 2) {
                if (parts[1].matches("\\d+")) {
                    gid = Integer.parseInt(parts[1]);
                } else {
                    String[] gr = lookup(rootfs.resolve("etc/group"), parts[1]);
                    if (gr == null || gr.length < 3 || !gr[2].matches("\\d+")) {
                        throw new IllegalArgumentException(where + "group " + parts[1] + " is not in the image's /etc/group");
                    }
                    gid = Integer.parseInt(gr[2]);
                }
            }
            return new int[] {uid, gid == null ? uid : gid};
        }

        private static String[] lookup(Path file, String name) {
            try {
                if (!Files.isRegularFile(file)) {
                    return null;
                }
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.split(":");
                    if (f.length > 0 && (f[0].equals(name) || (name.matches("\\d+") && f.length > 2 && f[2].equals(name)))) {
                        return f;
                    }
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        }
    }
}
