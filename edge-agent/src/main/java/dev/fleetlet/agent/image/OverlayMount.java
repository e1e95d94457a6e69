package dev.fleetlet.agent.image;

import dev.fleetlet.agent.hostcmd.HostCommand;
import dev.fleetlet.agent.fs.LinuxCalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Mounts and unmounts overlayfs; lower directories are given top-most first. In-process ({@code mount(2)},
 * {@code umount2(2)} through {@link LinuxCalls}) when it is available, else with {@code mount(8)} and
 * {@code umount(8)}: the same mount either way (the tools pass these options to the kernel unchanged).
 */
final class OverlayMount {
    private OverlayMount() {
    }

    /**
     * @throws IOException the kernel refused the mount (in-process; errno named)
     * @throws dev.fleetlet.agent.hostcmd.HostCommandException {@code mount(8)} failed (host tool)
     */
    static void mount(List<Path> lowerTopFirst, Path upper, Path work, Path merged) throws IOException {
        mount(lowerTopFirst, upper, work, merged, LinuxCalls.available());
    }

    /**
     * Whether an overlay of these directories can be mounted in one call: its option string fits in what the kernel
     * takes ({@link LinuxCalls#mountDataLimit()}, one page). With long layer paths that is about 38 layers.
     */
    static boolean fits(List<Path> lowerTopFirst, Path upper, Path work) {
        return options(lowerTopFirst, upper, work).getBytes(StandardCharsets.UTF_8).length <= LinuxCalls.mountDataLimit();
    }

    private static String options(List<Path> lowerTopFirst, Path upper, Path work) {
        String lower = lowerTopFirst.stream().map(Path::toString).collect(Collectors.joining(":"));
        return "userxattr,lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
    }

    /**
     * {@code inProcess}: with {@code mount(2)} (needs {@link LinuxCalls#available()}), else with {@code mount(8)}.
     *
     * @throws IOException also when the option string is longer than {@link LinuxCalls#mountDataLimit()}: the kernel
     *                     would cut it short, which either fails with a misleading error or, cut just after the lower
     *                     directories, mounts a read-only overlay without the upper directory
     */
    static void mount(List<Path> lowerTopFirst, Path upper, Path work, Path merged, boolean inProcess) throws IOException {
        String options = options(lowerTopFirst, upper, work);
        int bytes = options.getBytes(StandardCharsets.UTF_8).length;
        int limit = LinuxCalls.mountDataLimit();
        if (bytes > limit) {
            throw new IOException("overlay mount options for " + merged + " are " + bytes + " bytes, more than the "
                    + limit + " the kernel takes in one mount(2) call (" + lowerTopFirst.size()
                    + " lower directories): too many layers for an overlay rootfs here");
        }
        if (inProcess) {
            LinuxCalls.mount("overlay", merged, "overlay", options);
        } else {
            HostCommand.run(List.of("mount", "-t", "overlay", "overlay", "-o", options, merged.toString()), Duration.ofSeconds(30));
        }
    }

    /**
     * @throws IOException the kernel refused (in-process; e.g. EBUSY while a process still uses the mount)
     * @throws dev.fleetlet.agent.hostcmd.HostCommandException {@code umount(8)} failed (host tool)
     */
    static void unmount(Path merged) throws IOException {
        unmount(merged, LinuxCalls.available());
    }

    /** {@code inProcess}: with {@code umount2(2)} (needs {@link LinuxCalls#available()}), else with {@code umount(8)}. */
    static void unmount(Path merged, boolean inProcess) throws IOException {
        if (inProcess) {
            LinuxCalls.umount(merged);
        } else {
            HostCommand.run(List.of("umount", merged.toString()), Duration.ofSeconds(30));
        }
    }
}
