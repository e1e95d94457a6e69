package dev.fleetlet.agent.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cgroup controllers the kernel has enabled, from {@code /proc/cgroups} (same format on v1 and
 * v2). Raspberry Pi kernels ship with the memory controller disabled unless {@code cmdline.txt}
 * says {@code cgroup_enable=memory}; a limit the kernel cannot enforce is refused up front instead
 * of silently not applying.
 */
public final class CgroupControllers {
    private final Set<String> enabled;

    public CgroupControllers(Set<String> enabled) {
        this.enabled = Set.copyOf(enabled);
    }

    public static CgroupControllers read(Path procCgroups) {
        try {
            return parse(Files.readAllLines(procCgroups));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + procCgroups, e);
        }
    }

    static CgroupControllers parse(List<String> lines) {
        Set<String> on = new HashSet<>();
        for (String line : lines) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[3].equals("1")) {
                on.add(f[0]);
            }
        }
        return new CgroupControllers(on);
    }

    /** Throws {@link IllegalStateException} naming the resource field when its controller is disabled. */
    public void requireFor(Resources resources) {
        require(resources.memoryBytes() != null, "memory", "resources.memoryBytes");
        require(resources.cpuMillis() != null, "cpu", "resources.cpuMillis");
        require(resources.pidsLimit() != null, "pids", "resources.pidsLimit");
    }

    private void require(boolean needed, String controller, String field) {
        if (needed && !enabled.contains(controller)) {
            throw new IllegalStateException(field + " needs the '" + controller + "' cgroup controller, which this kernel has"
                    + " disabled (on a Raspberry Pi add cgroup_enable=" + controller + " to cmdline.txt and reboot)");
        }
    }
}
