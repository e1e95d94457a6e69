package dev.fleetlet.agent.enroll;

import dev.fleetlet.protocol.message.HardwareFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the board's identity and facts from an injectable filesystem root ({@code /} on a board, a temp
 * tree in tests). Never throws for a missing file: a fact that cannot be read gets a neutral value.
 */
public final class HardwareProbe {

    private static final Pattern CPUINFO_SERIAL = Pattern.compile("(?m)^Serial\\s*:\\s*([0-9A-Fa-f]+)\\s*$");
    private static final Pattern MEM_TOTAL = Pattern.compile("(?m)^MemTotal:\\s*(\\d+)\\s*kB");
    private static final Pattern PRETTY_NAME = Pattern.compile("(?m)^PRETTY_NAME=\"?([^\"\\n]*)\"?$");

    private final Path root;
    private final String agentVersion;
    private final String osArch;

    /**
     * @param root         the filesystem root
     * @param agentVersion this agent's version, reported in the facts
     * @param osArch       the JVM's {@code os.arch} (injected for tests)
     */
    public HardwareProbe(Path root, String agentVersion, String osArch) {
        this.root = root;
        this.agentVersion = agentVersion;
        this.osArch = osArch;
    }

    /**
     * The hardware serial: the device-tree {@code serial-number} (Raspberry Pi and most ARM boards), then
     * {@code Serial} of {@code /proc/cpuinfo} (older Pi kernels), then {@code /etc/machine-id} (any
     * other Linux host). An all-zero serial counts as absent. Lowercase, at most 64 characters.
     */
    public Optional<String> serial() {
        for (String p : List.of("proc/device-tree/serial-number", "sys/firmware/devicetree/base/serial-number")) {
            Optional<String> s = read(p).map(HardwareProbe::clean).filter(HardwareProbe::usable);
            if (s.isPresent()) {
                return s;
            }
        }
        Optional<String> cpu = read("proc/cpuinfo").map(CPUINFO_SERIAL::matcher).filter(Matcher::find)
                .map(m -> clean(m.group(1))).filter(HardwareProbe::usable);
        if (cpu.isPresent()) {
            return cpu;
        }
        return read("etc/machine-id").map(HardwareProbe::clean).filter(HardwareProbe::usable);
    }

    /** Facts for enrollment and the birth message; {@code serial} as found by {@link #serial()}. */
    public HardwareFacts facts(String serial) {
        String model = read("proc/device-tree/model").map(HardwareProbe::clean0)
                .filter(s -> !s.isEmpty()).orElse("generic " + osArch);
        long memoryMb = read("proc/meminfo").map(MEM_TOTAL::matcher).filter(Matcher::find)
                .map(m -> Long.parseLong(m.group(1)) / 1024).orElse(0L);
        String kernel = read("proc/sys/kernel/osrelease").map(String::trim).orElse("unknown");
        String os = read("etc/os-release").map(PRETTY_NAME::matcher).filter(Matcher::find)
                .map(m -> m.group(1)).orElse("Linux");
        String[] platform = ociPlatform(osArch);
        return new HardwareFacts(serial, truncate(model, 128), platform[0], platform[1], memoryMb,
                truncate(kernel, 128), truncate(os, 128), agentVersion, capabilities());
    }

    /** The boot id ({@code /proc/sys/kernel/random/boot_id}), or {@code unknown-boot}. */
    public String bootId() {
        return read("proc/sys/kernel/random/boot_id").map(String::trim).filter(s -> s.matches("[A-Za-z0-9-]{1,64}"))
                .orElse("unknown-boot");
    }

    private List<String> capabilities() {
        List<String> caps = new ArrayList<>();
        if (Files.exists(root.resolve("sys/fs/cgroup/cgroup.controllers"))) {
            caps.add("cgroup:v2");
        } else if (Files.isDirectory(root.resolve("sys/fs/cgroup/memory"))) {
            caps.add("cgroup:v1");
        }
        if (Files.exists(root.resolve("dev/i2c-1"))) {
            caps.add("i2c");
        }
        if (Files.exists(root.resolve("dev/gpiochip0"))) {
            caps.add("gpio");
        }
        return caps;
    }

    static String[] ociPlatform(String arch) {
        return switch (arch) {
            case "aarch64", "arm64" -> new String[] {"arm64", "v8"};
            case "arm", "armv7l", "armhf" -> new String[] {"arm", "v7"};
            case "amd64", "x86_64" -> new String[] {"amd64", null};
            default -> new String[] {arch.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_"), null};
        };
    }

    private Optional<String> read(String relative) {
        try {
            return Optional.of(Files.readString(root.resolve(relative), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String clean0(String s) {
        return s.replace("\u0000", "").trim();
    }

    private static String clean(String s) {
        return truncate(clean0(s).toLowerCase(Locale.ROOT), 64);
    }

    private static boolean usable(String s) {
        return !s.isEmpty() && !s.matches("0+");
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
