package dev.fleetlet.agent.containertest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.runtime.CgroupControllers;
import dev.fleetlet.agent.runtime.CgroupLayout;
import dev.fleetlet.agent.runtime.CgroupStatsReader;
import dev.fleetlet.agent.runtime.DeviceInspector;
import dev.fleetlet.agent.runtime.OciSpecGenerator;
import dev.fleetlet.agent.runtime.Runc;
import dev.fleetlet.agent.runtime.RuncContainerRuntime;
import dev.fleetlet.agent.runtime.VolumeStore;
import dev.fleetlet.oci.testing.Exec;
import dev.fleetlet.oci.testing.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A real runc runtime on a temp root with its own runc state directory, plus a busybox rootfs.
 * {@link #cleanUp()} removes every container present on the root (whichever runtime or process started it),
 * their shims and cgroups, even after failures; close supervisors first so they do not restart anything.
 */
public final class RuncFixture {
    public final Path root;
    public final Runc runc;
    public final CgroupLayout layout = CgroupLayout.detect(Path.of("/proc/self/mountinfo"));
    public final VolumeStore volumes;
    public final RuncContainerRuntime runtime;
    private final OciSpecGenerator generator;

    public RuncFixture(Path root) {
        this.root = root;
        String binary = RequiredTool.path("runc", "runc");
        this.runc = new Runc(binary, root.resolve("runc-state"), Duration.ofSeconds(30), new ObjectMapper());
        this.volumes = new VolumeStore(root);
        this.generator = new OciSpecGenerator(volumes, DeviceInspector.host(), CgroupControllers.read(Path.of("/proc/cgroups")));
        this.runtime = newRuntime();
    }

    /**
     * Another runtime object on the same root and runc state, as a restarted agent would construct: it knows
     * nothing in memory and must find the containers on disk.
     */
    public RuncContainerRuntime newRuntime() {
        return new RuncContainerRuntime(runc, generator, new CgroupStatsReader(layout), root, new ObjectMapper(),
                Clock.systemUTC(), new RuncContainerRuntime.LogLimits(64 * 1024, 2), Duration.ofSeconds(20));
    }

    /** A rootfs with the static busybox and its applets. */
    public Path busyboxRootfs(String name) throws IOException {
        Path rootfs = root.resolve(name);
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of(RequiredTool.path("busybox", "busybox-static")), bin.resolve("busybox"));
        for (String applet : Exec.run(bin.resolve("busybox").toString(), "--list").split("\\s+")) {
            if (!applet.isBlank() && !applet.equals("busybox")) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
        }
        for (String d : List.of("proc", "sys", "dev", "tmp", "etc", "data")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        return rootfs;
    }

    public void cleanUp() {
        for (String id : runtime.list()) {
            try {
                runtime.remove(id);
            } catch (RuntimeException e) {
                System.err.println("cleanup of " + id + " failed: " + e.getMessage());
            }
        }
        for (String id : runc.list()) {
            runc.delete(id);
        }
    }

    public String stdout(String id) throws IOException {
        return Files.readString(runtime.logDir(id).resolve("stdout.log"));
    }

    public String stderr(String id) throws IOException {
        return Files.readString(runtime.logDir(id).resolve("stderr.log"));
    }
}
