package dev.fleetlet.agent.packaging;

import static org.assertj.core.api.Assertions.fail;

import dev.fleetlet.agent.hostcmd.HostCommand;
import dev.fleetlet.oci.testing.RequiredTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A Debian bookworm root filesystem (mmdebstrap, variant minbase, plus the given packages) kept as a
 * tarball outside the repository, so only the first run downloads it (about 80 s and 430 MB here).
 * The file name carries a hash of suite, variant, mirrors and package list: changing the list builds
 * a new one; delete the file to refresh it. Concurrent builds wait on a lock file instead of building
 * it twice. A rootfs that cannot be built fails the test with mmdebstrap's output; it never skips.
 */
final class BookwormRootfs {

    /** Where the tarballs live; {@code -Dfleetlet.test.rootfsCache=DIR} moves them. */
    static final Path DEFAULT_CACHE = Path.of("/var/cache/fleetlet-test");

    private static final List<String> MIRRORS = List.of(
            "deb http://deb.debian.org/debian bookworm main",
            "deb http://deb.debian.org/debian bookworm-updates main",
            "deb http://deb.debian.org/debian-security bookworm-security main");

    private BookwormRootfs() {
    }

    /** The cached tarball with {@code packages} installed, built first when missing. */
    static Path tarball(Path cacheDir, List<String> packages) {
        String mmdebstrap = RequiredTool.path("mmdebstrap", "mmdebstrap");
        List<String> sorted = packages.stream().sorted().collect(Collectors.toList());
        String key = sha256("bookworm|minbase|" + String.join(",", sorted) + "|" + String.join("|", MIRRORS)).substring(0, 16);
        Path tar = cacheDir.resolve("bookworm-rootfs-" + key + ".tar");
        try {
            Files.createDirectories(cacheDir);
            try (FileChannel lockFile = FileChannel.open(cacheDir.resolve("bookworm-rootfs-" + key + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                if (Files.isRegularFile(tar)) {
                    return tar;
                }
                Path partial = cacheDir.resolve("bookworm-rootfs-" + key + ".partial-" + ProcessHandle.current().pid() + ".tar");
                List<String> command = new ArrayList<>(List.of(mmdebstrap, "--variant=minbase", "--format=tar",
                        "--include=" + String.join(",", sorted), "bookworm", partial.toString()));
                command.addAll(MIRRORS);
                HostCommand.Result r = HostCommand.runAllowingFailure(command, Duration.ofMinutes(20));
                if (r.exitCode() != 0 || !Files.isRegularFile(partial)) {
                    HostCommand.runAllowingFailure(List.of("rm", "-rf", "--one-file-system", partial.toString()),
                            Duration.ofMinutes(2));
                    String out = (r.stdout() + "\n" + r.stderr()).strip();
                    fail("cannot build the Debian bookworm rootfs with mmdebstrap (exit %d) -- is deb.debian.org "
                            + "reachable? Cache: %s%nLast output:%n%s", r.exitCode(), tar,
                            out.substring(Math.max(0, out.length() - 3000)));
                }
                Files.move(partial, tar, StandardCopyOption.ATOMIC_MOVE);
                return tar;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rootfs cache " + tar, e);
        }
    }

    /** Unpacks the tarball into the empty directory {@code target} (device nodes included: needs root). */
    static void unpack(Path tarball, Path target) {
        HostCommand.run(List.of("tar", "--numeric-owner", "-xpf", tarball.toString(), "-C", target.toString()),
                Duration.ofMinutes(5));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
