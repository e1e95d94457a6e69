package dev.fleetlet.agent.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A size-bounded log: {@code name.log} grows to {@code maxBytes}, then becomes {@code name.log.1}
 * (older ones shift up, the oldest beyond {@code keep} is deleted). Disk use never exceeds about
 * {@code maxBytes * (keep + 1)}. Thread-safe.
 */
public final class RotatingLogFile implements AutoCloseable {
    private final Path file;
    private final long maxBytes;
    private final int keep;
    private OutputStream out;
    private long size;

    public RotatingLogFile(Path file, long maxBytes, int keep) throws IOException {
        if (maxBytes <= 0 || keep < 0) {
            throw new IllegalArgumentException("log maxBytes must be > 0 and keep >= 0, got " + maxBytes + "/" + keep);
        }
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
        Files.createDirectories(file.getParent());
        open();
    }

    public synchronized void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (size >= maxBytes) {
                rotate();
            }
            int chunk = (int) Math.min(len, maxBytes - size);
            out.write(b, off, chunk);
            size += chunk;
            off += chunk;
            len -= chunk;
        }
        out.flush();
    }

    private void rotate() throws IOException {
        out.close();
        if (keep == 0) {
            Files.delete(file);
        } else {
            Files.deleteIfExists(sibling(keep));
            for (int i = keep - 1; i >= 1; i--) {
                if (Files.exists(sibling(i))) {
                    Files.move(sibling(i), sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, sibling(1), StandardCopyOption.REPLACE_EXISTING);
        }
        open();
    }

    private void open() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    private Path sibling(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
