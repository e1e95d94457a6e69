package dev.fleetlet.images.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.provisioning.Fleetctl;
import dev.fleetlet.provisioning.ProfileStore;
import dev.fleetlet.provisioning.image.ImageTool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The static image checks on an image assembled from a fixture tree by the image build's own scripts. */
class ImageCheckerTest {
    @TempDir
    static Path dir;
    static Path image;

    private final ImageChecker checker = new ImageChecker();

    @BeforeAll
    static void assembleFixtureImage() throws Exception {
        Path tree = FixtureImage.tree(dir);
        image = dir.resolve("fixture.img");
        FixtureImage.script("image-from-tree.sh", tree.toString(), image.toString());
        FixtureImage.delete(tree);
    }

    @Test
    void acceptsTheAssembledGenericImage() {
        // when
        CheckReport report = checker.check(image, ImageChecker.Expect.GENERIC);

        // then
        assertThat(report.failures()).isEmpty();
        assertThat(report.get("partition-table").detail())
                .contains("disk id f1ee7e70", "p1 FAT32 LBA 40 MiB (bootable)", "p2 Linux");
        assertThat(report.get("cmdline.txt").detail()).contains("cgroup_enable=memory", "root=PARTUUID=f1ee7e70-02");
        assertThat(report.get("agent-enabled").detail())
                .isEqualTo("/etc/systemd/system/multi-user.target.wants/fleetlet-agent.service -> /lib/systemd/system/fleetlet-agent.service");
        assertThat(report.get("device-trees").detail()).isEqualTo("1-Wire on GPIO 4 and I2C bus 1 in 1 board device trees");
        assertThat(report.get("onewire-hooks").detail())
                .isEqualTo("1-Wire re-applied after kernel installs and removals and initramfs updates");
        assertThat(report.get("kernel-files").detail())
                .isEqualTo("vmlinuz-6.1.0-99-arm64 and initrd.img-6.1.0-99-arm64 on the boot partition");
        assertThat(report.get("boot-config-inputs").detail()).isEqualTo("raspi-firmware's kernel hook keeps "
                + "ROOTPART=PARTUUID=f1ee7e70-02, the dtparam lines, rootfstype=ext4 and cgroup_enable=memory; initrd fsck for ext4; "
                + "apt keeps them");
    }

    @Test
    void refusesBootInputsThatPinTheKernelOrLeaveFsckOutOfTheInitrd() throws Exception {
        // given a tree whose /etc/default/raspi-firmware pins the kernel to a fixed name, and whose initramfs
        // configuration leaves the root file system type to probing (no fsck in the initrd)
        Path tree = FixtureImage.tree(dir.resolve("pinned"));
        Files.writeString(tree.resolve("etc/initramfs-tools/conf.d/fleetlet"), "MODULES=list\n");
        Files.createDirectories(tree.resolve("etc/default"));
        Files.writeString(tree.resolve("etc/default/raspi-firmware"), "#KERNEL=\"auto\"\nKERNEL=\"vmlinuz\"\n#ROOTPART=/dev/mmcblk0p2\n");
        Path pinned = dir.resolve("pinned.img");
        FixtureImage.script("image-from-tree.sh", tree.toString(), pinned.toString());
        FixtureImage.delete(tree);

        // when
        CheckReport report = checker.check(pinned, ImageChecker.Expect.GENERIC);

        // then the build's own settings were added (ROOTPART), the pinned kernel and the missing FSTYPE are named
        assertThat(report.failures()).extracting(CheckReport.Check::name).containsExactly("boot-config-inputs");
        assertThat(report.get("boot-config-inputs").detail()).isEqualTo(
                "/etc/default/raspi-firmware: KERNEL is vmlinuz, not auto (new kernels would not reach the boot partition); "
                        + "/etc/initramfs-tools/conf.d/fleetlet: FSTYPE is not ext4 (the initrd gets no fsck, and with rw on "
                        + "the command line nothing checks the root file system)");
    }

    @Test
    void buildRemovesTheBakedIdentitiesOfTheTree() {
        // given the fixture tree had a machine id, host keys and ssh.service enabled
        // when
        CheckReport report = checker.check(image, ImageChecker.Expect.GENERIC);

        // then
        assertThat(report.get("no-host-keys").passed()).isTrue();
        assertThat(report.get("machine-id").detail()).isEqualTo("/etc/machine-id empty");
        assertThat(report.get("ssh-off").detail()).isEqualTo("ssh.service not enabled");
    }

    @Test
    void partitionTableIsMbrWithFat32LbaBootAndLinuxRoot() {
        try (DiskImage disk = DiskImage.open(image)) {
            assertThat(disk.partitions()).hasSize(2);
            assertThat(disk.boot().type()).isEqualTo(0x0C);
            assertThat(disk.boot().bootable()).isTrue();
            assertThat(disk.boot().offset()).isEqualTo(4L << 20);
            assertThat(disk.root().type()).isEqualTo(0x83);
            assertThat(disk.root().offset()).isEqualTo(disk.boot().offset() + disk.boot().size());
        }
    }

    @Test
    void seesTheSettingsThatFleetctlInjected() throws Exception {
        // given
        Path key = dir.resolve("id.pub");
        Files.writeString(key, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFleetletFixtureKeyFleetletFixtureKey00 ops@example\n");
        Path injected = dir.resolve("injected.img");
        String token = "flt_ab12cd34ef_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6";

        // when
        int rc = fleetctl("wifi passphrase\n", "image", "inject", image.toString(), "--output", injected.toString(),
                "--server", "https://fleet.example:8443", "--token", token, "--force-offline",
                "--wifi-ssid", "Greenhouse", "--wifi-psk-stdin", "--ssh-authorized-key", key.toString(),
                "--hostname-pattern", "gh-{serial}");
        CheckReport report = checker.check(injected, ImageChecker.Expect.INJECTED);

        // then
        assertThat(rc).isZero();
        assertThat(report.failures()).isEmpty();
        assertThat(report.get("provisioning").detail())
                .isEqualTo("serverUrl https://fleet.example:8443, token flt_…, Wi-Fi, SSH key");
        assertThat(report.toString()).doesNotContain(token.substring(15));
        CheckReport asGeneric = checker.check(injected, ImageChecker.Expect.GENERIC);
        assertThat(asGeneric.get("generic").passed()).isFalse();
        assertThat(asGeneric.get("generic").detail()).contains("fleetlet-provisioning.json", "fleetlet-wifi.conf");
    }

    @Test
    void reportsMissingProvisioningOnAnImageThatWasNotInjected() {
        CheckReport report = checker.check(image, ImageChecker.Expect.INJECTED);

        assertThat(report.passed()).isFalse();
        assertThat(report.get("provisioning").detail()).isEqualTo("fleetlet-provisioning.json missing on the boot partition");
    }

    @Test
    void failsATreeAssembledWithoutTheCustomisation() throws Exception {
        // given the fixture tree assembled as-is: baked machine id and host keys, a password hash, no agent unit
        Path tree = FixtureImage.tree(dir.resolve("raw"));
        Files.writeString(tree.resolve("etc/shadow"), "root:$y$j9T$fixturehash:19000:0:99999:7:::\n");
        Path boot = Files.createDirectories(dir.resolve("raw/boot"));
        // boot files as the first images had them: fixed kernel and initrd names the kernel hook never updates
        Files.writeString(boot.resolve("config.txt"), "arm_64bit=1\nkernel=vmlinuz\ninitramfs initrd.img followkernel\n");
        Files.writeString(boot.resolve("cmdline.txt"), "console=tty0 root=/dev/mmcblk0p2\n");
        Files.writeString(boot.resolve("vmlinuz"), "fixture kernel\n");
        Files.writeString(boot.resolve("initrd.img"), "fixture initrd\n");
        Files.copy(tree.resolve(FixtureImage.BOARD_DTB), boot.resolve("bcm2711-rpi-4-b.dtb")); // as Debian ships it
        Files.createDirectories(tree.resolve("boot/firmware"));
        Path raw = dir.resolve("raw.img");
        FixtureImage.script("assemble-image.sh", boot.toString(), tree.toString(), raw.toString());
        FixtureImage.delete(tree);

        // when
        CheckReport report = checker.check(raw, ImageChecker.Expect.GENERIC);

        // then
        assertThat(report.failures()).extracting(CheckReport.Check::name).contains(
                "config.txt", "device-trees", "cmdline.txt", "agent-enabled", "ssh-off", "no-host-keys", "machine-id",
                "no-secrets", "onewire-hooks", "kernel-files", "boot-config-inputs");
        assertThat(report.get("kernel-files").detail()).isEqualTo("kernel= names vmlinuz, not a versioned vmlinuz-<version>; "
                + "initramfs names initrd.img, not a versioned initrd.img-<version>");
        assertThat(report.get("boot-config-inputs").detail()).isEqualTo("/etc/default/raspi-firmware missing; "
                + "/etc/default/raspi-firmware-custom missing; /etc/default/raspi-extra-cmdline missing; "
                + "/etc/apt/apt.conf.d/50fleetlet-keep-config missing or without --force-confold (a package update could "
                + "replace /etc/default/raspi-firmware and its ROOTPART)");
        assertThat(report.get("onewire-hooks").detail()).isEqualTo(
                "no /etc/kernel/postinst.d/zz-fleetlet-onewire; no /etc/kernel/postrm.d/zz-fleetlet-onewire; "
                        + "no /etc/initramfs/post-update.d/zz-fleetlet-onewire");
        assertThat(report.get("device-trees").detail())
                .isEqualTo("bcm2711-rpi-4-b.dtb: no 1-Wire node (/onewire with compatible w1-gpio)");
        assertThat(report.get("cmdline.txt").detail()).contains("no cgroup_enable=memory", "root= is root=/dev/mmcblk0p2");
        assertThat(report.get("config.txt").detail()).contains("dtparam=i2c_arm=on", "dtparam=watchdog=on");
        assertThat(report.get("no-host-keys").detail()).contains("ssh_host_ed25519_key");
        assertThat(report.get("no-secrets").detail()).contains("password hash for user root");
    }

    @Test
    void refusesAFileWithoutPartitionTable() throws Exception {
        Path junk = dir.resolve("junk.img");
        byte[] bytes = new byte[4096];
        new Random(7).nextBytes(bytes);
        bytes[510] = 0x12;
        Files.write(junk, bytes);

        assertThatThrownBy(() -> checker.check(junk, ImageChecker.Expect.GENERIC))
                .isInstanceOf(ImageCheckException.class)
                .hasMessageStartingWith("not a disk image: no MBR signature 0x55AA at byte 510");
    }

    @Test
    void refusesAForeignLayoutWithTheReason() throws Exception {
        // given the fixture image with partition 1 retyped as NTFS (0x07)
        Path foreign = dir.resolve("foreign.img");
        Files.copy(image, foreign);
        byte[] bytes = Files.readAllBytes(foreign);
        bytes[446 + 4] = 0x07;
        Files.write(foreign, bytes);

        assertThatThrownBy(() -> checker.check(foreign, ImageChecker.Expect.GENERIC))
                .hasMessage("not a Fleetlet image: partition 1 has type 0x07, not 0x0c (FAT32 LBA)");
    }

    @Test
    void refusesATruncatedImage() throws Exception {
        Path cut = dir.resolve("cut.img");
        try (var in = Files.newInputStream(image)) {
            Files.write(cut, in.readNBytes(8 << 20));
        }

        assertThatThrownBy(() -> checker.check(cut, ImageChecker.Expect.GENERIC))
                .hasMessageStartingWith("image truncated: partition 1 ends at byte");
    }

    @Test
    void refusesAnImageWhoseRootFileSystemIsCorrupt() throws Exception {
        Path corrupt = dir.resolve("corrupt.img");
        Files.copy(image, corrupt);
        try (DiskImage disk = DiskImage.open(image);
             var ch = java.nio.channels.FileChannel.open(corrupt, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[4096]), disk.root().offset());
        }

        assertThatThrownBy(() -> checker.check(corrupt, ImageChecker.Expect.GENERIC))
                .hasMessage("partition 2 holds no ext4 file system (superblock magic 0xEF53 missing)");
    }

    @Test
    void refusesACorruptXzFile() throws Exception {
        Path xz = dir.resolve("broken.img.xz");
        byte[] bytes = new byte[64];
        System.arraycopy(new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0}, 0, bytes, 0, 6);
        Files.write(xz, bytes);

        assertThatThrownBy(() -> checker.check(xz, ImageChecker.Expect.GENERIC))
                .hasMessageStartingWith("corrupt xz image");
    }

    @Test
    void namesThePackageOfAMissingTool() {
        assertThatThrownBy(() -> Tools.require("debugfs", "fleetlet-no-such-tool"))
                .hasMessage("missing tools; install them with: apt-get install fleetlet-no-such-tool");
    }

    @Test
    void commandLineExitsWithTwoAndTheReasonForARefusedImage() throws Exception {
        Path missing = dir.resolve("nope.img");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int rc = ImageCheck.run(new String[] {missing.toString()}, new java.io.PrintStream(new ByteArrayOutputStream()),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("image refused: no such image file: " + missing);
    }

    private static int fleetctl(String stdin, String... args) {
        Fleetctl cli = new Fleetctl(new ProfileStore(dir.resolve("fleetctl.json")), ImageTool.system(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Clock.systemUTC());
        var line = cli.commandLine();
        line.setOut(new PrintWriter(new ByteArrayOutputStream(), true));
        line.setErr(new PrintWriter(new ByteArrayOutputStream(), true));
        return line.execute(args);
    }
}
