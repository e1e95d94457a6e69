package dev.fleetlet.agent.fs;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three C library calls on a container's start path that the JDK has no API for: {@code mount(2)},
 * {@code umount2(2)} and {@code mkfifo(3)}, called in-process through JNA (already on the agent's class path
 * for the drivers) instead of starting {@code mount}, {@code umount} or {@code mkfifo} as child processes, each of
 * which costs a process start (several milliseconds on a Pi) per container start.
 *
 * <p>{@link #available()} is false when JNA or its native part cannot be loaded (e.g. a read-only or
 * {@code noexec} temporary directory where JNA unpacks it); callers then run the host tools instead, with the same
 * semantics. The library is loaded once, at the first call. A failed call throws an {@link IOException} naming
 * the call, its arguments and the C library's error ({@code errno} and its text).
 */
public final class LinuxCalls {
    private static final Logger log = LoggerFactory.getLogger(LinuxCalls.class);

    private LinuxCalls() {
    }

    /** Loaded on first use (class initialisation is lazy and thread-safe). */
    private static final class Holder {
        static final boolean AVAILABLE = load();

        private static boolean load() {
            if (Boolean.getBoolean("fleetlet.linuxcalls.disabled")) {
                log.info("native calls disabled by fleetlet.linuxcalls.disabled, host tools are used");
                return false;
            }
            try {
                Native.register(Libc.class, "c");
                return true;
            } catch (LinkageError | RuntimeException e) {
                log.warn("native calls unavailable, mount/mkfifo run as host tools error={}", e.toString());
                return false;
            }
        }
    }

    /** JNA direct mapping of the C library functions used here. */
    private static final class Libc {
        static native int mount(String source, String target, String fstype, NativeLong flags, String data)
                throws LastErrorException;

        static native int umount2(String target, int flags) throws LastErrorException;

        static native int mkfifo(String path, int mode) throws LastErrorException;

        static native int getpagesize();
    }

    /** Whether the calls run in-process; false means callers must use the host tools. */
    public static boolean available() {
        return Holder.AVAILABLE;
    }

    /**
     * The most bytes of {@code data} that {@code mount(2)} passes to a file system: the kernel copies one page and
     * ends the string at its last byte, so a longer option string is cut short without an error (the host's
     * {@code mount(8)} of util-linux 2.38 passes it the same way). The page size comes from the C library when
     * available, else 4096 (the smallest Linux page size on the boards the agent runs on).
     */
    public static int mountDataLimit() {
        int page = 4096;
        if (available()) {
            try {
                page = Libc.getpagesize();
            } catch (LinkageError e) {
                log.debug("getpagesize unavailable, assuming 4096 error={}", e.toString());
            }
        }
        return page - 1;
    }

    /** {@code mount(source, target, fstype, 0, data)}: a new mount without flags. */
    public static void mount(String source, Path target, String fstype, String data) throws IOException {
        require();
        try {
            Libc.mount(source, target.toString(), fstype, new NativeLong(0), data);
        } catch (LastErrorException e) {
            throw failure("mount -t " + fstype + " " + source + " " + target + " -o " + data, e);
        }
    }

    /** {@code umount2(target, 0)}. */
    public static void umount(Path target) throws IOException {
        require();
        try {
            Libc.umount2(target.toString(), 0);
        } catch (LastErrorException e) {
            throw failure("umount " + target, e);
        }
    }

    /** {@code mkfifo(path, mode)}; the process's umask applies, as with {@code mkfifo -m}. */
    public static void mkfifo(Path path, int mode) throws IOException {
        require();
        try {
            Libc.mkfifo(path.toString(), mode);
        } catch (LastErrorException e) {
            throw failure("mkfifo " + path, e);
        }
    }

    private static void require() {
        if (!available()) {
            throw new IllegalStateException("native calls are not available here; use the host tools");
        }
    }

    private static IOException failure(String call, LastErrorException e) {
        String text = e.getMessage() == null ? "" : e.getMessage().replaceFirst("^\\[-?\\d+\\]\\s*", "");
        return new IOException(call + " failed: errno " + e.getErrorCode() + (text.isEmpty() ? "" : " (" + text + ")"));
    }
}
