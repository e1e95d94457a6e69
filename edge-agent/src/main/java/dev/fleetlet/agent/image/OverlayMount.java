package dev.fleetlet.agent.image;

import dev.fleetlet.agent.hostcmd.HostCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Mounts and unmounts overlayfs with {@code mount(8)}; lower directories are given top-most first. */
final class OverlayMount {
    private OverlayMount() {
    }

    static void mount(List<Path> lowerTopFirst, Path upper, Path work, Path merged) {
        String lower = lowerTopFirst.stream().map(Path::toString).collect(Collectors.joining(":"));
        String options = "userxattr,lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
        HostCommand.run(List.of("mount", "-t", "overlay", "overlay", "-o", options, merged.toString()), Duration.ofSeconds(30));
    }

    static void unmount(Path merged) {
        HostCommand.run(List.of("umount", merged.toString()), Duration.ofSeconds(30));
    }
}
