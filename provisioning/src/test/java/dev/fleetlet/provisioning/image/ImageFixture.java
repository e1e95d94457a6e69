package dev.fleetlet.provisioning.image;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds small Raspberry Pi-shaped disk images with the real tools, without root or loop devices: a 64 MiB
 * file with an MBR written by {@code sfdisk}, partition 1 a 40 MiB FAT32 boot partition ({@code mkfs.vfat}
 * on a separate file, files added with {@code mcopy}, copied in at its offset) holding {@code config.txt} and
 * {@code cmdline.txt}, partition 2 an ext4 root file system made by {@code mkfs.ext4 -d} from a tiny tree.
 */
public final class ImageFixture {

    public static final long IMAGE_BYTES = 64L << 20;
    public static final long BOOT_START = 2048;
    public static final long BOOT_SECTORS = 81920;
    public static final long ROOT_START = BOOT_START + BOOT_SECTORS;
    public static final String CONFIG_TXT = "arm_64bit=1\nenable_uart=1\ndtparam=i2c_arm=on\ndtoverlay=w1-gpio\n";
    public static final String CMDLINE_TXT = "console=serial0,115200 root=LABEL=RASPIROOT rw fsck.repair=yes rootwait "
            + "cgroup_enable=memory cgroup_memory=1\n";

    private ImageFixture() {
    }

    private static Path template;

    /**
     * A Pi-like image {@code dir/pi.img}: MBR, FAT32 boot partition (type 0x0c), ext4 root (0x83). Built once per
     * JVM (mkfs is the slow part) and copied.
     */
    public static synchronized Path piImage(Path dir) throws IOException {
        if (template == null || !Files.exists(template)) {
            Path tmp = Files.createTempDirectory("fleetctl-fixture-");
            template = build(tmp, "pi.img", "c");
            template.toFile().deleteOnExit();
            tmp.toFile().deleteOnExit();
            for (String left : List.of("config.txt", "cmdline.txt", "pi.img.root/etc/os-release", "pi.img.root/etc", "pi.img.root")) {
                Files.deleteIfExists(tmp.resolve(left));
            }
        }
        return Files.copy(template, dir.resolve("pi.img"));
    }

    /** The same layout with a given MBR type for partition 1 (e.g. "83" to make it look non-FAT). */
    public static Path build(Path dir, String name, String firstType) throws IOException {
        return buildWith(dir, name, "label: dos\nunit: sectors\nstart=" + BOOT_START + ", size=" + BOOT_SECTORS + ", type=" + firstType
                + ", bootable\nstart=" + ROOT_START + ", type=83\n");
    }

    /** The same layout under a GPT: partition 1 EFI System (FAT32), partition 2 Linux filesystem (ext4). */
    public static Path gptImage(Path dir) throws IOException {
        return buildWith(dir, "gpt.img", "label: gpt\nunit: sectors\nstart=" + BOOT_START + ", size=" + BOOT_SECTORS
                + ", type=" + Partition.GPT_EFI_SYSTEM + "\nstart=" + ROOT_START + ", size=" + (IMAGE_BYTES / 512 - ROOT_START - 33)
                + ", type=" + Partition.GPT_LINUX + "\n");
    }

    private static Path buildWith(Path dir, String name, String sfdiskScript) throws IOException {
        Path image = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(IMAGE_BYTES);
        }
        run(dir, sfdiskScript, "sfdisk", "-q", image.toString());
        Path fat = dir.resolve(name + ".fat");
        run(dir, null, "mkfs.vfat", "-F", "32", "-s", "1", "-n", "BOOT", "-C", fat.toString(), String.valueOf(BOOT_SECTORS / 2));
        Path config = Files.writeString(dir.resolve("config.txt"), CONFIG_TXT);
        Path cmdline = Files.writeString(dir.resolve("cmdline.txt"), CMDLINE_TXT);
        run(dir, null, "mcopy", "-i", fat.toString(), config.toString(), cmdline.toString(), "::/");
        Path tree = Files.createDirectories(dir.resolve(name + ".root/etc"));
        Files.writeString(tree.resolve("os-release"), "ID=debian\n");
        Path ext = dir.resolve(name + ".ext4");
        long rootBytes = IMAGE_BYTES - ROOT_START * 512 - (sfdiskScript.startsWith("label: gpt") ? 64 * 1024 : 0);
        run(dir, null, "mkfs.ext4", "-q", "-F", "-d", tree.getParent().toString(), ext.toString(), (rootBytes / 1024) + "k");
        copyInto(fat, image, BOOT_START * 512);
        copyInto(ext, image, ROOT_START * 512);
        Files.delete(fat);
        Files.delete(ext);
        return image;
    }

    /** Copies a file into another at a byte offset, like {@code dd conv=notrunc seek=}. */
    public static void copyInto(Path from, Path into, long offset) throws IOException {
        try (FileChannel in = FileChannel.open(from); FileChannel out = FileChannel.open(into, StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < in.size()) {
                done += in.transferTo(done, in.size() - done, out.position(offset + done));
            }
        }
    }

    /** Overwrites bytes at an offset. */
    public static void poke(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes), offset);
        }
    }

    /** Reads a file from the image's first partition with mtype (independent of the code under test). */
    public static byte[] mtype(Path image, String name) throws IOException {
        return run(image.getParent(), null, "mtype", "-i", image + "@@" + BOOT_START * 512, "::/" + name);
    }

    /** Runs a tool, failing the test with its stderr when it exits non-zero; returns stdout. */
    public static byte[] run(Path dir, String stdin, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.PIPE);
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        pb.environment().put("MTOOLSRC", "/dev/null");
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + err);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }
}
