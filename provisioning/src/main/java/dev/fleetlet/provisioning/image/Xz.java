package dev.fleetlet.provisioning.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * xz (de)compression through the {@code xz} binary (Debian package {@code xz-utils}): it streams,
 * compresses on every core ({@code -T0}) and matches how images are built, where a Java implementation is
 * single-threaded and several times slower on multi-GiB images.
 */
final class Xz {

    private Xz() {
    }

    static void decompress(Path xz, Path raw) {
        run(List.of("xz", "--decompress", "--stdout", "--", xz.toAbsolutePath().toString()), raw, "decompress " + xz);
    }

    static void compress(Path raw, Path xz) {
        run(List.of("xz", "--compress", "--stdout", "-T0", "-6", "--", raw.toAbsolutePath().toString()), xz, "compress " + raw);
    }

    private static void run(List<String> command, Path output, String what) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int rc = p.waitFor();
            if (rc != 0) {
                throw new ImageException("cannot " + what + ": xz exit " + rc + ": " + err.replace('\n', ' '));
            }
        } catch (IOException e) {
            throw new ImageException("cannot run xz (install the Debian package xz-utils): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while trying to " + what, e);
        }
    }
}
