package dev.fleetlet.provisioning.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The FAT file system of one partition of an image or device, read and written with GNU mtools
 * ({@code mcopy}, {@code mtype}, {@code mdir}, {@code mdel}) addressed as {@code IMAGE@@OFFSET}: no root,
 * no mount, no loop device. Debian package {@code mtools}.
 *
 * <p>Failures (a corrupt FAT, a missing tool) raise {@link ImageException} with mtools' own message.
 */
public final class Mtools {

    private static final long TIMEOUT_S = 300;

    private final String drive;

    /**
     * @param disk      the image file or block device
     * @param partition the FAT partition
     */
    public Mtools(Path disk, Partition partition) {
        this.drive = disk.toAbsolutePath() + "@@" + partition.offsetBytes();
    }

    /** Names of the files in the root directory (upper or mixed case as stored). */
    public List<String> listRoot() {
        String out = new String(run(List.of("mdir", "-b", "-i", drive, "::/"), "list the FAT root directory"),
                StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        for (String line : out.split("\n")) {
            String l = line.strip();
            if (l.startsWith("::/")) {
                names.add(l.substring(3));
            }
        }
        return names;
    }

    /** Copies a local file to {@code ::/name}, replacing an existing one. */
    public void put(Path local, String name) {
        run(List.of("mcopy", "-i", drive, "-D", "o", local.toAbsolutePath().toString(), "::/" + name), "write " + name);
    }

    /** The bytes of {@code ::/name}, empty when the root directory has no such file. */
    public Optional<byte[]> read(String name) {
        if (listRoot().stream().noneMatch(n -> n.equalsIgnoreCase(name))) {
            return Optional.empty();
        }
        return Optional.of(run(List.of("mtype", "-i", drive, "::/" + name), "read " + name));
    }

    /** Deletes {@code ::/name}; nothing when absent. */
    public void delete(String name) {
        if (listRoot().stream().anyMatch(n -> n.equalsIgnoreCase(name))) {
            run(List.of("mdel", "-i", drive, "::/" + name), "delete " + name);
        }
    }

    private byte[] run(List<String> command, String what) {
        ProcessBuilder pb = new ProcessBuilder(command);
        // mtools checks the geometry against sectors-per-track and refuses images made by other tools without this.
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        pb.environment().put("MTOOLSRC", "/dev/null");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ImageException("cannot run " + command.get(0) + " (install the Debian package mtools): " + e.getMessage(), e);
        }
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        byte[] out = readAll(p.getInputStream());
        try {
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ImageException(command.get(0) + " did not finish within " + TIMEOUT_S + " s while trying to " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new ImageException("interrupted while trying to " + what, e);
        }
        if (p.exitValue() != 0) {
            String message = new String(err.join(), StandardCharsets.UTF_8).strip().replace('\n', ' ');
            throw new ImageException("the FAT boot partition is not usable: cannot " + what + " (" + command.get(0)
                    + " exit " + p.exitValue() + ": " + message + ")");
        }
        return out;
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
