package dev.fleetlet.agent.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads CPU, memory and pids figures of one cgroup from its files, for v1 ({@code cpuacct.usage},
 * {@code memory.usage_in_bytes}, {@code memory.failcnt}, {@code memory.oom_control},
 * {@code pids.current}) and v2 ({@code cpu.stat}, {@code memory.current}, {@code memory.events},
 * {@code pids.current}). Fails with {@link IllegalStateException} when the cgroup does not exist.
 */
public final class CgroupStatsReader {
    private static final long V1_UNLIMITED = 0x7FFFFFFFFFFFF000L;
    private final CgroupLayout layout;

    public CgroupStatsReader(CgroupLayout layout) {
        this.layout = layout;
    }

    /** @param cgroupsPath the path runc was given, e.g. {@code /fleetlet/web} */
    public CgroupStats read(String cgroupsPath) {
        String rel = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
        try {
            if (layout instanceof CgroupLayout.V1 v1) {
                Path mem = v1.controller("memory").resolve(rel);
                Path pids = v1.controller("pids").resolve(rel);
                long limit = readLong(mem.resolve("memory.limit_in_bytes"));
                return new CgroupStats(readLong(v1.controller("cpuacct").resolve(rel).resolve("cpuacct.usage")),
                        readLong(mem.resolve("memory.usage_in_bytes")),
                        limit >= V1_UNLIMITED ? null : limit,
                        readLong(mem.resolve("memory.failcnt")),
                        keyed(mem.resolve("memory.oom_control"), "oom_kill"),
                        readLong(pids.resolve("pids.current")),
                        readMax(pids.resolve("pids.max")));
            }
            Path dir = ((CgroupLayout.V2) layout).mountPoint().resolve(rel);
            return new CgroupStats(keyed(dir.resolve("cpu.stat"), "usage_usec") * 1000,
                    readLong(dir.resolve("memory.current")),
                    readMax(dir.resolve("memory.max")),
                    keyed(dir.resolve("memory.events"), "max"),
                    keyed(dir.resolve("memory.events"), "oom_kill"),
                    readLong(dir.resolve("pids.current")),
                    readMax(dir.resolve("pids.max")));
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("cgroup " + cgroupsPath + " has no file " + e.getFile() + " (container gone?)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cgroup " + cgroupsPath, e);
        }
    }

    /**
     * Whether any process is left in the cgroup: one file read ({@code cgroup.procs}), no runc. False when the
     * cgroup does not exist; true when it cannot be told (then ask runc).
     */
    public boolean hasProcesses(String cgroupsPath) {
        String rel = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
        Path dir;
        if (layout instanceof CgroupLayout.V1 v1) {
            Path controller = v1.controllers().get("pids");
            if (controller == null) {
                controller = v1.controllers().get("memory");
            }
            if (controller == null) {
                return true;
            }
            dir = controller.resolve(rel);
        } else {
            dir = ((CgroupLayout.V2) layout).mountPoint().resolve(rel);
        }
        try {
            return !Files.readString(dir.resolve("cgroup.procs")).isBlank();
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static long readLong(Path file) throws IOException {
        return Long.parseLong(Files.readString(file).strip());
    }

    private static Long readMax(Path file) throws IOException {
        String v = Files.readString(file).strip();
        return v.equals("max") ? null : Long.parseLong(v);
    }

    /** A {@code key value} line from a flat-keyed file; 0 when the key is absent (older kernels). */
    private static long keyed(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file)) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2 && parts[0].equals(key)) {
                return Long.parseLong(parts[1]);
            }
        }
        return 0;
    }
}
