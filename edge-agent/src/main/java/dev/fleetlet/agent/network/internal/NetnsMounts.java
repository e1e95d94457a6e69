package dev.fleetlet.agent.network.internal;

import dev.fleetlet.agent.hostcmd.HostCommand;
import dev.fleetlet.agent.hostcmd.HostCommandException;
import dev.fleetlet.agent.network.NetworkException;
import dev.fleetlet.agent.network.NetworkException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Persistent network namespaces as nsfs bind mounts on files the agent owns ({@code unshare --net=FILE},
 * the same mechanism {@code ip netns add} uses under /run/netns). A namespace is "there" when its file is an
 * nsfs mount point in {@code /proc/self/mountinfo}; after a reboot the file is left as an empty plain file.
 */
public final class NetnsMounts {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Path mountinfo;

    /** @param mountinfo normally {@code /proc/self/mountinfo} */
    public NetnsMounts(Path mountinfo) {
        this.mountinfo = mountinfo;
    }

    /** Creates a new network namespace kept alive by a bind mount at {@code file}. */
    public void create(Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
            HostCommand.run(List.of("unshare", "--net=" + file, "true"), TIMEOUT);
        } catch (IOException | HostCommandException e) {
            throw new NetworkException(Reason.NAMESPACE, "cannot create network namespace at " + file + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code file} is a mounted network namespace. */
    public boolean isMounted(Path file) {
        String target = escape(file.toAbsolutePath().normalize().toString());
        try {
            for (String line : Files.readAllLines(mountinfo)) {
                String[] f = line.split(" ");
                int dash = line.indexOf(" - ");
                if (f.length > 4 && f[4].equals(target) && dash > 0 && line.substring(dash + 3).startsWith("nsfs ")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new NetworkException(Reason.NAMESPACE, "cannot read " + mountinfo + ": " + e.getMessage(), e);
        }
    }

    /** Unmounts (every stacked mount) and deletes {@code file}; nothing happens when it is already gone. */
    public void remove(Path file) {
        try {
            while (isMounted(file)) {
                HostCommand.run(List.of("umount", file.toString()), TIMEOUT);
            }
            Files.deleteIfExists(file);
        } catch (IOException | HostCommandException e) {
            throw new NetworkException(Reason.NAMESPACE, "cannot remove network namespace " + file + ": " + e.getMessage(), e);
        }
    }

    private static String escape(String path) {
        return path.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011").replace("\n", "\\012");
    }
}
