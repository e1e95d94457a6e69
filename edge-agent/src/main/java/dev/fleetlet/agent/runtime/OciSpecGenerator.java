package dev.fleetlet.agent.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns a {@link ContainerSpec} into an OCI runtime {@code config.json}: pid, mount, uts, ipc and
 * (unless host networking) network namespaces, the network one joined by path when the spec names an
 * existing namespace (an app's shared network); Docker's small default capability set plus explicit
 * additions, everything else dropped; no new privileges; the standard /proc, /dev, /sys mounts
 * with sensitive paths masked; named volumes and binds; device passthrough (node created and
 * allowed in the device cgroup, every other device denied apart from runc's defaults); memory,
 * CPU quota and pids limits under {@code <cgroupParent>/<id>} ({@code /fleetlet/<id>} by default).
 */
public final class OciSpecGenerator {
    /** The capabilities a container keeps by default (the same small set Docker grants). */
    public static final List<String> DEFAULT_CAPABILITIES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID",
            "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    /** The default cgroup parent of every container (configurable: {@code containers.cgroupParent}). */
    public static final String CGROUP_PARENT = "/fleetlet";
    private static final java.util.regex.Pattern CGROUP_PATH =
            java.util.regex.Pattern.compile("(/[A-Za-z0-9_.@:+-]+)+");

    private final VolumeStore volumes;
    private final DeviceInspector devices;
    private final CgroupControllers controllers;
    private final String cgroupParent;

    /** A generator placing containers under the default cgroup parent {@value #CGROUP_PARENT}. */
    public OciSpecGenerator(VolumeStore volumes, DeviceInspector devices, CgroupControllers controllers) {
        this(volumes, devices, controllers, CGROUP_PARENT);
    }

    /**
     * @param cgroupParent the cgroup (path from the hierarchy's root, e.g. {@code /fleetlet}) every container's cgroup
     *                     is created under; must pass {@link #cgroupParentProblem}
     * @throws IllegalArgumentException naming {@code containers.cgroupParent} when it is not a valid cgroup path
     */
    public OciSpecGenerator(VolumeStore volumes, DeviceInspector devices, CgroupControllers controllers, String cgroupParent) {
        cgroupParentProblem(cgroupParent).ifPresent(p -> {
            throw new IllegalArgumentException("containers.cgroupParent: " + p);
        });
        this.volumes = volumes;
        this.devices = devices;
        this.controllers = controllers;
        this.cgroupParent = cgroupParent.endsWith("/") ? cgroupParent.substring(0, cgroupParent.length() - 1) : cgroupParent;
    }

    /**
     * What is wrong with {@code parent} as a cgroup parent, or empty when it is fine: an absolute path of plain
     * names (no {@code .} or {@code ..} segments, no spaces), not the root itself.
     */
    public static java.util.Optional<String> cgroupParentProblem(String parent) {
        String p = parent != null && parent.length() > 1 && parent.endsWith("/") ? parent.substring(0, parent.length() - 1) : parent;
        if (p == null || !CGROUP_PATH.matcher(p).matches()) {
            return java.util.Optional.of("expected an absolute cgroup path like " + CGROUP_PARENT
                    + " (names of [A-Za-z0-9_.@:+-], not the root), got '" + parent + "'");
        }
        for (String segment : p.substring(1).split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return java.util.Optional.of("'" + parent + "' must not contain . or .. segments");
            }
        }
        return java.util.Optional.empty();
    }

    /** The cgroup path of a container under the default parent {@value #CGROUP_PARENT}. */
    public static String cgroupsPath(String containerId) {
        return CGROUP_PARENT + "/" + containerId;
    }

    /** The cgroup path of a container under this generator's parent. */
    public String cgroupPathOf(String containerId) {
        return cgroupParent + "/" + containerId;
    }

    /**
     * Builds the config.json records. Fails with {@link IllegalStateException} when a limit needs a
     * disabled cgroup controller, {@link IllegalArgumentException} when a passed-through device is missing.
     */
    public OciSpec generate(ContainerSpec spec) {
        controllers.requireFor(spec.resources());
        TreeSet<String> caps = new TreeSet<>(DEFAULT_CAPABILITIES);
        for (String c : spec.addedCapabilities()) {
            caps.add(c.startsWith("CAP_") ? c : "CAP_" + c);
        }
        List<String> capList = List.copyOf(caps);
        List<String> env = new ArrayList<>();
        if (!spec.env().containsKey("PATH")) {
            env.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        }
        spec.env().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> env.add(e.getKey() + "=" + e.getValue()));
        OciSpec.Process process = new OciSpec.Process(false, new OciSpec.User(spec.uid(), spec.gid()), spec.args(), env,
                spec.cwd(), new OciSpec.Capabilities(capList, capList, List.of(), capList, List.of()),
                List.of(new OciSpec.Rlimit("RLIMIT_NOFILE", 1024, 1024)), true);

        List<OciSpec.Namespace> namespaces = new ArrayList<>();
        for (String ns : List.of("pid", "mount", "uts", "ipc")) {
            namespaces.add(new OciSpec.Namespace(ns));
        }
        if (spec.networkNamespace() != null) {
            namespaces.add(new OciSpec.Namespace("network", spec.networkNamespace().toString()));
        } else if (!spec.hostNetwork()) {
            namespaces.add(new OciSpec.Namespace("network"));
        }
        List<OciSpec.DeviceRule> rules = new ArrayList<>();
        rules.add(new OciSpec.DeviceRule(false, null, null, null, "rwm"));
        List<OciSpec.Device> nodes = new ArrayList<>();
        for (ContainerSpec.DeviceMapping d : spec.devices()) {
            DeviceInspector.DeviceNode node = devices.inspect(d.hostPath());
            nodes.add(new OciSpec.Device(d.containerPath(), node.type(), node.major(), node.minor(), node.fileMode(), 0, 0));
            rules.add(new OciSpec.DeviceRule(true, node.type(), node.major(), node.minor(), d.access()));
        }
        Resources r = spec.resources();
        OciSpec.LinuxResources resources = new OciSpec.LinuxResources(rules,
                r.memoryBytes() == null ? null : new OciSpec.Memory(r.memoryBytes()),
                r.cpuMillis() == null ? null : new OciSpec.Cpu(r.cpuQuotaMicros(), Resources.CPU_PERIOD_MICROS),
                r.pidsLimit() == null ? null : new OciSpec.Pids(r.pidsLimit()));
        OciSpec.Linux linux = new OciSpec.Linux(namespaces, resources, cgroupPathOf(spec.id()), nodes,
                List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware"),
                List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"), null);
        return new OciSpec("1.0.2", process, new OciSpec.Root(spec.rootfs().toString(), spec.readOnlyRoot()),
                spec.hostname(), mounts(spec), linux);
    }

    private List<OciSpec.Mount> mounts(ContainerSpec spec) {
        List<OciSpec.Mount> m = new ArrayList<>();
        m.add(new OciSpec.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")));
        m.add(new OciSpec.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        m.add(new OciSpec.Mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")));
        m.add(new OciSpec.Mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")));
        m.add(new OciSpec.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        if (spec.hostNetwork()) {
            m.add(new OciSpec.Mount("/sys", "none", "/sys", List.of("rbind", "nosuid", "noexec", "nodev", "ro")));
        } else {
            m.add(new OciSpec.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", "ro")));
        }
        m.add(new OciSpec.Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of("nosuid", "noexec", "nodev", "relatime", "ro")));
        for (ContainerSpec.VolumeMount v : spec.volumes()) {
            m.add(new OciSpec.Mount(v.containerPath(), "none", volumes.ensure(v.volume()).toString(),
                    List.of("rbind", "rprivate", v.readOnly() ? "ro" : "rw")));
        }
        for (ContainerSpec.BindMount b : spec.binds()) {
            m.add(new OciSpec.Mount(b.containerPath(), "none", b.hostPath().toString(),
                    List.of("rbind", "rprivate", b.readOnly() ? "ro" : "rw")));
        }
        return m;
    }
}
