package dev.fleetlet.drivers.health;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Total and free bytes of the filesystem holding a directory (statvfs). Injected for tests. */
@FunctionalInterface
public interface DiskSpace {

    /** @return {@code {totalBytes, usableBytes}} */
    long[] of(Path directory) throws IOException;

    /** Asks the JDK's {@link FileStore} (statvfs on Linux). */
    DiskSpace FILE_STORE = directory -> {
        FileStore store = Files.getFileStore(directory);
        return new long[] {store.getTotalSpace(), store.getUsableSpace()};
    };
}
