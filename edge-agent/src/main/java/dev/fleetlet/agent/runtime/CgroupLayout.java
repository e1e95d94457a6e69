package dev.fleetlet.agent.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which cgroup hierarchy the host uses for resource control, read from {@code /proc/self/mountinfo}.
 * A host with v1 controller mounts (including "hybrid": v1 controllers plus an empty v2 at
 * {@code /sys/fs/cgroup/unified}) is {@link V1}; a host whose only cgroup mount is cgroup2 (the Pi
 * with Raspberry Pi OS or Debian) is {@link V2}.
 */
public sealed interface CgroupLayout {

    /** cgroup v1: one mount point per controller ({@code memory}, {@code cpuacct}, {@code pids}, ...). */
    record V1(Map<String, Path> controllers) implements CgroupLayout {
        public V1 {
            controllers = Map.copyOf(controllers);
        }

        public Path controller(String name) {
            Path p = controllers.get(name);
            if (p == null) {
                throw new IllegalStateException("cgroup v1 controller '" + name + "' is not mounted (mounted: " + controllers.keySet() + ")");
            }
            return p;
        }
    }

    /** cgroup v2: a single unified hierarchy. */
    record V2(Path mountPoint) implements CgroupLayout {
    }

    static CgroupLayout detect(Path mountinfo) {
        List<String> lines;
        try {
            lines = Files.readAllLines(mountinfo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + mountinfo, e);
        }
        return parse(lines);
    }

    static CgroupLayout parse(List<String> mountinfoLines) {
        Map<String, Path> v1 = new LinkedHashMap<>();
        Path v2 = null;
        for (String line : mountinfoLines) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] left = line.substring(0, dash).split(" ");
            String[] right = line.substring(dash + 3).split(" ");
            if (left.length < 5 || right.length < 3) {
                continue;
            }
            Path mountPoint = Path.of(left[4]);
            if (right[0].equals("cgroup2")) {
                v2 = v2 == null ? mountPoint : v2;
            } else if (right[0].equals("cgroup")) {
                for (String option : right[2].split(",")) {
                    if (!option.startsWith("name=") && !option.equals("rw") && !option.equals("ro")) {
                        v1.putIfAbsent(option, mountPoint);
                    }
                }
            }
        }
        if (!v1.isEmpty()) {
            return new V1(v1);
        }
        if (v2 != null) {
            return new V2(v2);
        }
        throw new IllegalStateException("no cgroup mounts found in mountinfo; the agent needs cgroups to limit containers");
    }
}
