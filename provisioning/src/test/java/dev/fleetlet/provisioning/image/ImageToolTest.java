package dev.fleetlet.provisioning.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageToolTest {

    static final String TOKEN = "flt_abcdef1234_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6";
    static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB0fleetlettestkeymaterial0000000000000000 ops@fleetlet\n";

    @TempDir
    Path dir;

    final ImageTool tool = new ImageTool(Path.of("/nonexistent/mounts"), Path.of("/nonexistent/sys"));

    BootSettings full() throws IOException {
        String pem = Files.readString(TestPem.ca(dir));
        return new BootSettings(URI.create("https://fleet.example:8443"), TOKEN, Optional.of(pem), Optional.of("sensor-{serial}"),
                Optional.of(WifiNetwork.fromPassphrase("Lab Wi-Fi", "correct horse".toCharArray(), Optional.of("DE"))),
                Optional.of(SSH_KEY));
    }

    @Test
    void writesEveryContractFileByteExactAndLeavesTheRestOfTheImageAlone() throws IOException {
        // given a Pi-like image and every optional setting
        Path image = ImageFixture.piImage(dir);
        String rootBefore = sha256(image, ImageFixture.ROOT_START * 512, ImageFixture.IMAGE_BYTES);
        BootSettings settings = full();
        // when
        Path written = tool.inject(image, Optional.empty(), settings);
        // then each file reads back byte-exact through an independent mtype
        assertThat(written).isEqualTo(image.toAbsolutePath());
        for (Map.Entry<String, byte[]> f : BootFiles.render(settings).entrySet()) {
            assertThat(ImageFixture.mtype(image, f.getKey())).as(f.getKey()).isEqualTo(f.getValue());
        }
        assertThat(new String(ImageFixture.mtype(image, "cmdline.txt"), StandardCharsets.UTF_8)).isEqualTo(ImageFixture.CMDLINE_TXT);
        assertThat(new String(ImageFixture.mtype(image, "config.txt"), StandardCharsets.UTF_8)).isEqualTo(ImageFixture.CONFIG_TXT);
        assertThat(sha256(image, ImageFixture.ROOT_START * 512, ImageFixture.IMAGE_BYTES)).as("ext4 root partition").isEqualTo(rootBefore);
        assertThat(Files.size(image)).isEqualTo(ImageFixture.IMAGE_BYTES);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void writesTheProvisioningFileInTheAgentsFormat() throws IOException {
        // given
        Path image = ImageFixture.piImage(dir);
        // when
        tool.inject(image, Optional.empty(), full());
        // then the JSON has exactly the keys the agent's ProvisioningLoader allows
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ImageFixture.mtype(image, BootFiles.PROVISIONING));
        assertThat(json.fieldNames()).toIterable().containsExactly("serverUrl", "token", "caCertificatePem", "hostnamePattern");
        assertThat(json.get("serverUrl").asText()).isEqualTo("https://fleet.example:8443");
        assertThat(json.get("token").asText()).isEqualTo(TOKEN);
        assertThat(json.get("caCertificatePem").asText()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(json.get("hostnamePattern").asText()).isEqualTo("sensor-{serial}");
    }

    @Test
    void showReadsBackTheSettingsAndThePartitionTable() throws IOException {
        // given an injected image
        Path image = ImageFixture.piImage(dir);
        tool.inject(image, Optional.empty(), full());
        // when
        ImageTool.Inspection in = tool.show(image);
        // then
        assertThat(in.kind()).isEqualTo(DiskKind.RAW_IMAGE);
        assertThat(in.table().partitions()).extracting(Partition::type).containsExactly(0x0c, 0x83);
        assertThat(in.table().partitions().get(0)).isEqualTo(new Partition(1, 0x0c, true, 2048, 81920));
        assertThat(in.boot().number()).isEqualTo(1);
        assertThat(in.found().provisioning().orElseThrow().get("token").asText()).isEqualTo(TOKEN);
        assertThat(in.found().wifi().orElseThrow().ssid()).isEqualTo("Lab Wi-Fi");
        assertThat(in.found().wifi().orElseThrow().country()).contains("DE");
        assertThat(in.found().sshAuthorizedKeys()).contains(SSH_KEY);
        assertThat(in.found().problems()).isEmpty();
    }

    @Test
    void reinjectionWithoutOptionalSettingsRemovesTheirOldFiles() throws IOException {
        // given an image injected with Wi-Fi and SSH
        Path image = ImageFixture.piImage(dir);
        tool.inject(image, Optional.empty(), full());
        // when injected again with only server and token
        tool.inject(image, Optional.empty(), new BootSettings(URI.create("https://other.example"), TOKEN,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        // then
        BootFiles.Found found = tool.show(image).found();
        assertThat(found.wifi()).isEmpty();
        assertThat(found.sshAuthorizedKeys()).isEmpty();
        assertThat(found.provisioning().orElseThrow().get("serverUrl").asText()).isEqualTo("https://other.example");
        assertThat(found.provisioning().orElseThrow().has("caCertificatePem")).isFalse();
    }

    @Test
    void injectsIntoAnXzImageAndRecompressesIt() throws IOException {
        // given an .img.xz
        Path image = ImageFixture.piImage(dir);
        ImageFixture.run(dir, null, "xz", "-T0", "-1", image.toString());
        Path xz = dir.resolve("pi.img.xz");
        assertThat(tool.kindOf(xz)).isEqualTo(DiskKind.XZ_IMAGE);
        BootSettings settings = full();
        // when written to a new .img.xz
        Path out = tool.inject(xz, Optional.of(dir.resolve("provisioned.img.xz")), settings);
        // then the output is xz, and decompressed it carries the files
        assertThat(tool.kindOf(out)).isEqualTo(DiskKind.XZ_IMAGE);
        assertThat(tool.show(out).found().provisioning().orElseThrow().get("token").asText()).isEqualTo(TOKEN);
        ImageFixture.run(dir, null, "xz", "-d", "-k", out.toString());
        Path raw = dir.resolve("provisioned.img");
        assertThat(Files.size(raw)).isEqualTo(ImageFixture.IMAGE_BYTES);
        assertThat(ImageFixture.mtype(raw, BootFiles.PROVISIONING)).isEqualTo(BootFiles.render(settings).get(BootFiles.PROVISIONING));
        assertThat(tool.show(xz).found().provisioning()).as("the input .xz is untouched").isEmpty();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void refusesAZeroFilledFile() throws IOException {
        Path zeros = dir.resolve("zeros.img");
        Files.write(zeros, new byte[1 << 20]);
        assertThatThrownBy(() -> tool.inject(zeros, Optional.empty(), minimal()))
                .isInstanceOf(ImageException.class).hasMessageContaining("no MBR signature 0x55AA");
    }

    @Test
    void refusesATextFile() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "these are not the bytes you are looking for\n");
        assertThatThrownBy(() -> tool.show(text))
                .isInstanceOf(ImageException.class).hasMessageContaining("not a disk image").hasMessageContaining("shorter than one 512-byte sector");
        Path longer = Files.writeString(dir.resolve("long.txt"), "text ".repeat(300));
        assertThatThrownBy(() -> tool.show(longer)).isInstanceOf(ImageException.class).hasMessageContaining("no MBR signature 0x55AA");
    }

    @Test
    void injectsIntoTheEfiSystemPartitionOfAGptImage() throws IOException {
        // given a GPT image (sfdisk) with a FAT32 EFI System partition first
        Path image = ImageFixture.gptImage(dir);
        // when
        tool.inject(image, Optional.empty(), minimal());
        // then
        ImageTool.Inspection in = tool.show(image);
        assertThat(in.table().partitions()).extracting(Partition::typeName).containsExactly("EFI System", "Linux");
        assertThat(in.boot()).isEqualTo(new Partition(1, 0, false, 2048, 81920, Partition.GPT_EFI_SYSTEM));
        assertThat(ImageFixture.mtype(image, BootFiles.PROVISIONING)).isEqualTo(BootFiles.render(minimal()).get(BootFiles.PROVISIONING));
        assertThat(new String(ImageFixture.mtype(image, "config.txt"), StandardCharsets.UTF_8)).isEqualTo(ImageFixture.CONFIG_TXT);
    }

    @Test
    void refusesAGptDiskWithoutAFatPartitionFirst() throws IOException {
        // given a real GPT label written by sfdisk whose first partition is Linux, and one whose EFI partition is empty
        Path linux = dir.resolve("gpt-linux.img");
        Files.write(linux, new byte[8 << 20]);
        ImageFixture.run(dir, "label: gpt\nstart=2048, size=8192, type=" + Partition.GPT_LINUX + "\n", "sfdisk", "-q", linux.toString());
        Path empty = dir.resolve("gpt-empty.img");
        Files.write(empty, new byte[8 << 20]);
        ImageFixture.run(dir, "label: gpt\nstart=2048, size=8192, type=" + Partition.GPT_EFI_SYSTEM + "\n", "sfdisk", "-q", empty.toString());
        // then
        assertThatThrownBy(() -> tool.inject(linux, Optional.empty(), minimal())).isInstanceOf(ImageException.class)
                .hasMessageContaining("first partition is not FAT (type " + Partition.GPT_LINUX + ", Linux)");
        assertThatThrownBy(() -> tool.inject(empty, Optional.empty(), minimal())).isInstanceOf(ImageException.class)
                .hasMessageContaining("no boot sector signature 0x55AA");
    }

    @Test
    void refusesAProtectiveMbrWithoutAGptHeader() throws IOException {
        // given a GPT disk whose header sector was wiped
        Path gpt = dir.resolve("gpt.img");
        Files.write(gpt, new byte[8 << 20]);
        ImageFixture.run(dir, "label: gpt\nstart=2048, size=8192, type=" + Partition.GPT_EFI_SYSTEM + "\n", "sfdisk", "-q", gpt.toString());
        ImageFixture.poke(gpt, 512, new byte[512]);
        assertThatThrownBy(() -> tool.show(gpt)).isInstanceOf(ImageException.class)
                .hasMessageContaining("no GPT header signature \"EFI PART\"");
    }

    @Test
    void refusesAnImageWhoseFirstPartitionIsNotFat() throws IOException {
        Path image = ImageFixture.build(dir, "linux.img", "83");
        assertThatThrownBy(() -> tool.inject(image, Optional.empty(), minimal()))
                .isInstanceOf(ImageException.class).hasMessageContaining("first partition is not FAT (type 0x83");
    }

    @Test
    void refusesATruncatedImage() throws IOException {
        // given an image cut off in the middle of partition 2
        Path image = ImageFixture.piImage(dir);
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(48L << 20);
        }
        assertThatThrownBy(() -> tool.inject(image, Optional.empty(), minimal()))
                .isInstanceOf(ImageException.class)
                .hasMessage("image truncated: partition 2 ends at byte " + ImageFixture.IMAGE_BYTES + " beyond file size " + (48L << 20));
    }

    @Test
    void refusesAFatTypedPartitionWithoutAFileSystem() throws IOException {
        Path image = ImageFixture.piImage(dir);
        ImageFixture.poke(image, ImageFixture.BOOT_START * 512, new byte[512]);
        assertThatThrownBy(() -> tool.inject(image, Optional.empty(), minimal()))
                .isInstanceOf(ImageException.class).hasMessageContaining("no boot sector signature 0x55AA");
    }

    @Test
    void aCorruptFatLeavesTheOriginalUntouchedAndNoTemporaryFiles() throws IOException {
        // given a FAT whose boot sector keeps its signature but lost its BIOS parameter block
        Path image = ImageFixture.piImage(dir);
        ImageFixture.poke(image, ImageFixture.BOOT_START * 512, new byte[510]);
        String before = sha256(image, 0, ImageFixture.IMAGE_BYTES);
        // when / then mtools' refusal is reported
        assertThatThrownBy(() -> tool.inject(image, Optional.empty(), minimal()))
                .isInstanceOf(ImageException.class).hasMessageContaining("the FAT boot partition is not usable");
        assertThat(sha256(image, 0, ImageFixture.IMAGE_BYTES)).isEqualTo(before);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void refusesAMountedDeviceOrOneWithAMountedPartition() throws IOException {
        // given a mount table naming partitions, and device paths resolving to sdz and mmcblk7
        Path mounts = Files.writeString(dir.resolve("mounts"), "sysfs /sys sysfs rw 0 0\n"
                + "/dev/sdz1 /media/ops/bootfs vfat rw 0 0\n/dev/mmcblk7p2 /media/ops/root\\040fs ext4 rw 0 0\n");
        ImageTool t = new ImageTool(mounts, dir);
        Path sdz = Files.createFile(dir.resolve("sdz"));
        Path mmc = Files.createFile(dir.resolve("mmcblk7"));
        Path sdy = Files.createFile(dir.resolve("sdy"));
        // then
        assertThatThrownBy(() -> t.refuseMounted(sdz)).isInstanceOf(ImageException.class)
                .hasMessageContaining("is mounted (/dev/sdz1 on /media/ops/bootfs)");
        assertThatThrownBy(() -> t.refuseMounted(mmc)).isInstanceOf(ImageException.class)
                .hasMessageContaining("/dev/mmcblk7p2 on /media/ops/root fs");
        t.refuseMounted(sdy);
    }

    @Test
    void refusesABareFatFileSystemAsPartitionNotDisk() throws IOException {
        // given what a partition device such as /dev/sdb1 holds: a FAT file system without a partition table
        Path fat = dir.resolve("sdb1");
        ImageFixture.run(dir, null, "mkfs.vfat", "-F", "32", "-s", "1", "-C", fat.toString(), "40960");
        assertThatThrownBy(() -> tool.inject(fat, Optional.empty(), minimal())).isInstanceOf(ImageException.class)
                .hasMessageContaining("not a whole disk").hasMessageContaining("starts with a FAT file system");
    }

    @Test
    void refusesAMissingFile() {
        assertThatThrownBy(() -> tool.show(dir.resolve("nope.img"))).isInstanceOf(ImageException.class)
                .hasMessageContaining("no such file or device");
    }

    static BootSettings minimal() {
        return new BootSettings(URI.create("https://fleet.example"), TOKEN, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private java.util.List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().contains(".fleetctl-")).toList();
        }
    }

    static String sha256(Path file, long from, long to) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            var buf = java.nio.ByteBuffer.allocate(1 << 20);
            long pos = from;
            while (pos < to) {
                buf.clear().limit((int) Math.min(buf.capacity(), to - pos));
                int n = ch.read(buf, pos);
                if (n <= 0) {
                    break;
                }
                md.update(buf.array(), 0, n);
                pos += n;
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
