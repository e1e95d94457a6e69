package dev.fleetlet.images.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the Raspberry Pi device trees on the boot partition with {@code fdtget} (device-tree-compiler): each board's
 * {@code .dtb} must carry the 1-Wire bus master the build writes ({@code /onewire}, {@code w1-gpio} on GPIO 4 of the
 * SoC's GPIO controller) and have I2C bus 1 ({@code /dev/i2c-1}, GPIO 2/3) enabled, as the upstream trees do.
 */
final class DeviceTrees {
    /** The board device trees of the supported boards (Pi 4 / 400 / CM4, Pi 3 / 3+ / CM3, Zero 2 W). */
    static final Pattern BOARD_DTB = Pattern.compile("bcm(2711|2837)-rpi-.*\\.dtb");
    static final int ONEWIRE_GPIO = 4;
    private static final String GPIO = "/soc/gpio@7e200000";
    private static final String I2C1 = "/soc/i2c@7e804000";

    private DeviceTrees() {
    }

    static CheckReport.Check check(FatFiles fat) {
        Tools.require("fdtget", "mcopy");
        List<String> boards = fat.rootNames().stream().filter(n -> BOARD_DTB.matcher(n).matches()).sorted().toList();
        if (boards.isEmpty()) {
            return new CheckReport.Check("device-trees", false,
                    "no Raspberry Pi device tree (bcm2711-rpi-*.dtb, bcm2837-rpi-*.dtb) on the boot partition");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("fleetlet-dtb");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            List<String> problems = new ArrayList<>();
            for (String name : boards) {
                Path dtb = dir.resolve(name);
                fat.copy(name, dtb);
                String problem = problem(dtb);
                if (problem != null) {
                    problems.add(name + ": " + problem);
                }
            }
            return problems.isEmpty()
                    ? new CheckReport.Check("device-trees", true, "1-Wire on GPIO " + ONEWIRE_GPIO + " and I2C bus 1 in "
                    + boards.size() + " board device trees")
                    : new CheckReport.Check("device-trees", false, String.join("; ", problems));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
                Files.delete(dir);
            } catch (IOException ignored) {
                // a temporary directory left behind is harmless
            }
        }
    }

    /** What is wrong with one device tree, or null. */
    private static String problem(Path dtb) {
        Tools.Result compatible = fdtget(dtb, "/onewire", "compatible");
        if (compatible.exitCode() != 0 || !compatible.out().strip().equals("w1-gpio")) {
            return "no 1-Wire node (/onewire with compatible w1-gpio)";
        }
        Tools.Result phandle = fdtget(dtb, "-t", "u", GPIO, "phandle");
        Tools.Result gpios = fdtget(dtb, "-t", "u", "/onewire", "gpios");
        String expected = phandle.out().strip() + " " + ONEWIRE_GPIO + " 0";
        if (phandle.exitCode() != 0 || gpios.exitCode() != 0 || !gpios.out().strip().equals(expected)) {
            return "1-Wire gpios are '" + gpios.out().strip() + "', expected GPIO " + ONEWIRE_GPIO + " of " + GPIO
                    + " ('" + expected + "')";
        }
        Tools.Result i2c = fdtget(dtb, I2C1, "status");
        if (i2c.exitCode() != 0 || !i2c.out().strip().equals("okay")) {
            return "I2C bus 1 (" + I2C1 + ") not enabled";
        }
        return null;
    }

    private static Tools.Result fdtget(Path dtb, String... args) {
        List<String> cmd = new ArrayList<>(List.of("fdtget"));
        if (args.length == 4) { // -t FORMAT NODE PROPERTY
            cmd.addAll(List.of(args[0], args[1], dtb.toString(), args[2], args[3]));
        } else {
            cmd.add(dtb.toString());
            cmd.addAll(List.of(args));
        }
        return Tools.run(cmd);
    }
}
