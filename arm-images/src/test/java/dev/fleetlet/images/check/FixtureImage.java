package dev.fleetlet.images.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tiny synthetic root tree shaped like the mmdebstrap output (what the packages put there, including what the
 * image build must remove: a baked machine id, SSH host keys, ssh.service enabled), turned into an image by the
 * build's own scripts (scripts/image-from-tree.sh = customize-tree.sh + assemble-image.sh).
 */
final class FixtureImage {
    static final Path SCRIPTS = Path.of("scripts").toAbsolutePath();
    /** The fixture's one board device tree, as the kernel package installs it (no 1-Wire node). */
    static final String BOARD_DTB = "usr/lib/linux-image-6.1.0-99-arm64/broadcom/bcm2711-rpi-4-b.dtb";
    /** The parts of a Pi 4 device tree the build and the checker use: the GPIO controller and I2C bus 1. */
    private static final String BOARD_DTS = """
            /dts-v1/;
            / {
                compatible = "raspberrypi,4-model-b", "brcm,bcm2711";
                #address-cells = <1>;
                #size-cells = <1>;
                soc {
                    #address-cells = <1>;
                    #size-cells = <1>;
                    gpio: gpio@7e200000 {
                        compatible = "brcm,bcm2711-gpio";
                        reg = <0x7e200000 0xb4>;
                        gpio-controller;
                        #gpio-cells = <2>;
                    };
                    i2c@7e804000 {
                        compatible = "brcm,bcm2835-i2c";
                        reg = <0x7e804000 0x1000>;
                        status = "okay";
                    };
                };
                leds {
                    compatible = "gpio-leds";
                    led-act {
                        gpios = <&gpio 42 0>;
                    };
                };
            };
            """;

    private FixtureImage() {
    }

    /** Writes the fixture tree under {@code dir}/tree and returns the tree. */
    static Path tree(Path dir) throws IOException {
        Path t = dir.resolve("tree");
        write(t, "etc/machine-id", "0123456789abcdef0123456789abcdef\n");
        write(t, "etc/ssh/ssh_host_ed25519_key", "-----BEGIN OPENSSH PRIVATE KEY-----\nfixture\n");
        write(t, "etc/ssh/ssh_host_ed25519_key.pub", "ssh-ed25519 AAAAfixture root@build\n");
        write(t, "etc/shadow", "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
        write(t, "etc/hosts", "127.0.0.1 localhost\n");
        write(t, "etc/fleetlet/agent.yml", "agent:\n  dataDir: /var/lib/fleetlet\n"
                + "  provisioningFile: /boot/firmware/fleetlet-provisioning.json\n");
        write(t, "lib/systemd/system/fleetlet-agent.service", "[Unit]\nDescription=fixture\n");
        write(t, "lib/systemd/system/ssh.service", "[Unit]\nDescription=fixture\n");
        write(t, "etc/initramfs-tools/conf.d/fleetlet", "MODULES=list\nFSTYPE=ext4\n"); // as stage 1 writes it
        write(t, "boot/vmlinuz-6.1.0-99-arm64", "fixture kernel\n");
        write(t, "boot/initrd.img-6.1.0-99-arm64", "fixture initrd\n");
        write(t, "usr/lib/raspi-firmware/start4.elf", "fixture firmware\n");
        write(t, "usr/lib/raspi-firmware/fixup4.dat", "fixture firmware\n");
        boardDtb(t.resolve(BOARD_DTB));
        Files.createDirectories(t.resolve("var/lib/fleetlet"));
        Files.createDirectories(t.resolve("var/lib/dbus"));
        Files.createDirectories(t.resolve("tmp"));
        Path wants = Files.createDirectories(t.resolve("etc/systemd/system/multi-user.target.wants"));
        Files.createSymbolicLink(wants.resolve("ssh.service"), Path.of("/lib/systemd/system/ssh.service"));
        return t;
    }

    /** Deletes a fixture tree (its absolute symlinks point outside; they are removed, never followed). */
    static void delete(Path tree) throws IOException {
        try (var paths = Files.walk(tree)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Compiles the fixture's board device tree with dtc. */
    private static void boardDtb(Path dtb) throws IOException {
        Tools.require("dtc");
        Files.createDirectories(dtb.getParent());
        Path dts = dtb.resolveSibling("board.dts");
        Files.writeString(dts, BOARD_DTS, StandardCharsets.UTF_8);
        Tools.Result r = Tools.run(List.of("dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb.toString(), dts.toString()));
        Files.delete(dts);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("dtc failed: " + r.stderr());
        }
    }

    private static void write(Path root, String rel, String text) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    /** Runs scripts/NAME with {@code args}; returns its output, or fails with it when the exit code is not 0. */
    static String script(String name, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", SCRIPTS.resolve(name).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("BOOT_MIB", "40");
        pb.environment().put("ROOT_FREE_MIB", "4");
        pb.environment().put("SOURCE_DATE_EPOCH", "1767225600");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(name + " failed: " + out);
        }
        return out;
    }
}
