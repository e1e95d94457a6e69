package dev.fleetlet.images.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the Debian tools the checker reads images with, and says which package to install when one is missing. */
final class Tools {
    /** Tool name to the Debian package that provides it. */
    static final Map<String, String> PACKAGES = Map.of(
            "debugfs", "e2fsprogs", "mdir", "mtools", "mtype", "mtools", "mcopy", "mtools", "xz", "xz-utils",
            "fdtget", "device-tree-compiler", "dtc", "device-tree-compiler");

    record Result(int exitCode, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private Tools() {
    }

    /** Fails with the apt-get line to run when any of {@code tools} is not on the PATH. */
    static void require(String... tools) {
        List<String> missing = new ArrayList<>();
        for (String tool : tools) {
            if (!onPath(tool)) {
                missing.add(PACKAGES.getOrDefault(tool, tool));
            }
        }
        if (!missing.isEmpty()) {
            throw new ImageCheckException("missing tools; install them with: apt-get install "
                    + String.join(" ", missing.stream().distinct().toList()));
        }
    }

    static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command} (60 s at most) and returns its exit code and output; never throws on a non-zero exit. */
    static Result run(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        pb.environment().put("PATH", path + ":/usr/sbin:/sbin");
        // mtools refuses odd geometry on image files without this.
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ImageCheckException(command.get(0) + " did not finish within 60 s");
            }
            return new Result(p.exitValue(), out.join(), new String(err.join(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ImageCheckException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageCheckException("interrupted while running " + command.get(0), e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
            in.transferTo(buf);
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
