package dev.fleetlet.drivers.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads and parses the small text files of {@code /proc} and {@code /sys}. Every failure becomes a
 * {@link Fault} whose message is the reason put on the reading.
 */
final class ProcFiles {

    /** A node could not be read or parsed; the message is the reading's reason. */
    static final class Fault extends Exception {
        private static final long serialVersionUID = 1L;

        Fault(String reason) {
            super(reason, null, false, false);
        }
    }

    private ProcFiles() {
    }

    static String read(Path file) throws Fault {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new Fault("missing " + file);
        } catch (IOException | RuntimeException e) {
            throw new Fault("cannot read " + file + ": " + e.getMessage());
        }
    }

    static long parseLong(String text, Path file) throws Fault {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new Fault("unparsable value '" + abbreviate(text) + "' in " + file);
        }
    }

    static double parseDouble(String text, Path file) throws Fault {
        try {
            double d = Double.parseDouble(text.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new Fault("unparsable value '" + abbreviate(text) + "' in " + file);
        }
    }

    /** The value in kB of a {@code /proc/meminfo} line such as {@code MemAvailable:  812340 kB}, in bytes. */
    static long meminfoBytes(String meminfo, String key, Path file) throws Fault {
        int at = meminfo.indexOf(key + ":");
        if (at < 0) {
            throw new Fault("no " + key + " line in " + file);
        }
        int end = meminfo.indexOf('\n', at);
        String line = meminfo.substring(at + key.length() + 1, end < 0 ? meminfo.length() : end).trim();
        if (line.endsWith("kB")) {
            line = line.substring(0, line.length() - 2).trim();
        }
        return parseLong(line, file) * 1024;
    }

    static String abbreviate(String text) {
        String t = text.trim();
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
}
