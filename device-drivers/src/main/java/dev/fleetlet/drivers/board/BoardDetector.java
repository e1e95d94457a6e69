package dev.fleetlet.drivers.board;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Detects a Raspberry Pi from files under an injectable filesystem root: first
 * {@code proc/device-tree/model} (NUL-terminated), then the {@code Model} line of {@code proc/cpuinfo}.
 * Never throws: unreadable or missing files mean {@link DetectedBoard#UNKNOWN}.
 */
public final class BoardDetector {

    private static final Pattern CM = Pattern.compile("Compute Module (\\d)");
    private static final Pattern PI = Pattern.compile("Raspberry Pi (\\d)");
    private static final Pattern CPUINFO_MODEL = Pattern.compile("(?m)^Model\\s*:\\s*(.+)$");

    private final Path root;

    /** @param root filesystem root; {@code /} on a real board, a temp tree in tests */
    public BoardDetector(Path root) {
        this.root = root;
    }

    public DetectedBoard detect() {
        Path dt = root.resolve("proc/device-tree/model");
        String model = read(dt);
        if (model != null) {
            model = model.replace("\0", "").trim();
            if (!model.isEmpty()) {
                return new DetectedBoard(model, dt.toString(), generation(model));
            }
        }
        Path cpuinfo = root.resolve("proc/cpuinfo");
        String info = read(cpuinfo);
        if (info != null) {
            Matcher m = CPUINFO_MODEL.matcher(info);
            if (m.find()) {
                String cpuModel = m.group(1).trim();
                return new DetectedBoard(cpuModel, cpuinfo.toString(), generation(cpuModel));
            }
        }
        return DetectedBoard.UNKNOWN;
    }

    static int generation(String model) {
        if (!model.startsWith("Raspberry Pi")) {
            return 0;
        }
        Matcher cm = CM.matcher(model);
        if (cm.find()) {
            return Integer.parseInt(cm.group(1));
        }
        if (model.contains("Zero 2")) {
            return 3; // BCM2710A1, the Pi 3 SoC
        }
        Matcher pi = PI.matcher(model);
        if (pi.find()) {
            return Integer.parseInt(pi.group(1)); // "Raspberry Pi 400" -> 4, "500" -> 5
        }
        return 0;
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
