package dev.fleetlet.agent.image;

import dev.fleetlet.agent.hostcmd.HostCommandException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once whether overlayfs can be used: {@code overlay} must be listed in
 * {@code /proc/filesystems} and a probe mount with {@code userxattr} must succeed in the scratch
 * directory (it needs root and a kernel &gt;= 5.11).
 */
public final class OverlaySupport {
    private static final Logger log = LoggerFactory.getLogger(OverlaySupport.class);
    private final Path procFilesystems;
    private final Path scratch;
    private Boolean available;

    public OverlaySupport(Path procFilesystems, Path scratch) {
        this.procFilesystems = procFilesystems;
        this.scratch = scratch;
    }

    public synchronized boolean available() {
        if (available == null) {
            available = listed() && probe();
            log.info("overlayfs detection available={}", available);
        }
        return available;
    }

    boolean listed() {
        try {
            return Files.readAllLines(procFilesystems).stream()
                    .map(String::strip)
                    .anyMatch(l -> l.equals("overlay") || l.endsWith("\toverlay") || l.endsWith(" overlay"));
        } catch (IOException e) {
            return false;
        }
    }

    private boolean probe() {
        Path dir = scratch.resolve(".overlay-probe");
        try {
            LayerUnpacker.deleteRecursively(dir);
            for (String d : List.of("lower", "upper", "work", "merged")) {
                Files.createDirectories(dir.resolve(d));
            }
            OverlayMount.mount(List.of(dir.resolve("lower")), dir.resolve("upper"), dir.resolve("work"), dir.resolve("merged"));
            OverlayMount.unmount(dir.resolve("merged"));
            return true;
        } catch (IOException | HostCommandException e) {
            log.info("overlayfs probe failed error={}", e.getMessage());
            return false;
        } finally {
            try {
                LayerUnpacker.deleteRecursively(dir);
            } catch (IOException ignored) {
                // probe leftovers are harmless
            }
        }
    }
}
