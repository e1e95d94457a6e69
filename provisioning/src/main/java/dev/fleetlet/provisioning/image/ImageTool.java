package dev.fleetlet.provisioning.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Injects {@link BootSettings} into, and reads them back from, the FAT boot partition of a raw image, an
 * xz-compressed image or a block device, without root and without mounting.
 *
 * <p>Image files are never modified in place: the work happens on a temporary copy next to the target, which
 * is renamed over the target only when every file was written and read back; on any failure the original is
 * untouched and the copy deleted. A block device is written directly (there is nothing to rename), after
 * refusing it when it or one of its partitions is mounted; a failure midway can leave a partly written boot
 * partition, and re-running the injection repairs it.
 */
public final class ImageTool {

    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;

    private final Path procMounts;
    private final Path sysBlock;

    /**
     * @param procMounts the mount table ({@code /proc/mounts})
     * @param sysBlock   sysfs block class ({@code /sys/class/block}) for device sizes
     */
    public ImageTool(Path procMounts, Path sysBlock) {
        this.procMounts = procMounts;
        this.sysBlock = sysBlock;
    }

    /** Uses the running system's {@code /proc/mounts} and {@code /sys/class/block}. */
    public static ImageTool system() {
        return new ImageTool(Path.of("/proc/mounts"), Path.of("/sys/class/block"));
    }

    /** The partition table, the FAT partition and the contract files found on it. */
    public record Inspection(DiskKind kind, PartitionTable table, Partition boot, BootFiles.Found found) {
    }

    /**
     * Classifies a path.
     *
     * @throws ImageException when it does not exist or is neither a regular file nor a block device
     */
    public DiskKind kindOf(Path path) {
        if (!Files.exists(path)) {
            throw new ImageException("no such file or device: " + path);
        }
        if (Files.isRegularFile(path)) {
            byte[] head = new byte[XZ_MAGIC.length];
            try (InputStream in = Files.newInputStream(path)) {
                int n = in.readNBytes(head, 0, head.length);
                return n == head.length && Arrays.equals(head, XZ_MAGIC) ? DiskKind.XZ_IMAGE : DiskKind.RAW_IMAGE;
            } catch (IOException e) {
                throw new ImageException("cannot read " + path + ": " + e.getMessage(), e);
            }
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            if ((mode & S_IFMT) == S_IFBLK) {
                return DiskKind.BLOCK_DEVICE;
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new ImageException("cannot inspect " + path + ": " + e.getMessage(), e);
        }
        throw new ImageException(path + " is neither an image file nor a block device");
    }

    /** Reads the partition table and the provisioning files of an image or device. */
    public Inspection show(Path image) {
        DiskKind kind = kindOf(image);
        if (kind == DiskKind.XZ_IMAGE) {
            Path raw = tempSibling(Path.of(System.getProperty("java.io.tmpdir")).resolve("fleetctl-show.img"));
            try {
                Xz.decompress(image, raw);
                return inspect(kind, raw, sizeOf(raw, DiskKind.RAW_IMAGE));
            } finally {
                deleteQuietly(raw);
            }
        }
        return inspect(kind, image, sizeOf(image, kind));
    }

    /**
     * Writes the settings into the boot partition.
     *
     * @param image    raw image, xz image or block device
     * @param output   where to write the result (image files only); default: replace {@code image}. A name
     *                 ending in {@code .xz} is xz-compressed, any other is raw
     * @return the path written
     * @throws ImageException when the image is not recognised, the FAT partition is unusable, or a block device is mounted
     */
    public Path inject(Path image, Optional<Path> output, BootSettings settings) {
        DiskKind kind = kindOf(image);
        if (kind == DiskKind.BLOCK_DEVICE) {
            if (output.isPresent()) {
                throw new ImageException("--output is for image files; " + image + " is a block device and is written in place");
            }
            refuseMounted(image);
            write(image, sizeOf(image, kind), settings);
            return image;
        }
        Path target = output.orElse(image).toAbsolutePath();
        boolean compress = target.getFileName().toString().endsWith(".xz");
        Path raw = tempSibling(target);
        Path packed = null;
        try {
            if (kind == DiskKind.XZ_IMAGE) {
                Xz.decompress(image, raw);
            } else {
                Files.copy(image, raw, StandardCopyOption.REPLACE_EXISTING);
            }
            write(raw, sizeOf(raw, DiskKind.RAW_IMAGE), settings);
            if (compress) {
                packed = tempSibling(target);
                Xz.compress(raw, packed);
                Files.move(packed, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(raw, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return target;
        } catch (IOException e) {
            throw new ImageException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(raw);
            if (packed != null) {
                deleteQuietly(packed);
            }
        }
    }

    private Inspection inspect(DiskKind kind, Path disk, long size) {
        PartitionTable table = PartitionTable.read(disk, size);
        Partition boot = table.bootPartition();
        checkBootSector(disk, boot);
        return new Inspection(kind, table, boot, BootFiles.read(new Mtools(disk, boot)));
    }

    private void write(Path disk, long size, BootSettings settings) {
        PartitionTable table = PartitionTable.read(disk, size);
        Partition boot = table.bootPartition();
        checkBootSector(disk, boot);
        Mtools fat = new Mtools(disk, boot);
        List<String> present = fat.listRoot();
        Map<String, byte[]> files = BootFiles.render(settings);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("fleetctl-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path local = dir.resolve(f.getKey());
                Files.write(local, f.getValue());
                fat.put(local, f.getKey());
            }
            for (String name : BootFiles.ALL) {
                if (!files.containsKey(name) && present.stream().anyMatch(n -> n.equalsIgnoreCase(name))) {
                    fat.delete(name);
                }
            }
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                byte[] back = fat.read(f.getKey()).orElse(new byte[0]);
                if (!Arrays.equals(back, f.getValue())) {
                    throw new ImageException("read-back of " + f.getKey() + " from the boot partition differs from what was written");
                }
            }
        } catch (IOException e) {
            throw new ImageException("cannot stage the boot files: " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                for (String name : files.keySet()) {
                    deleteQuietly(dir.resolve(name));
                }
                deleteQuietly(dir);
            }
        }
    }

    private static void checkBootSector(Path disk, Partition boot) {
        ByteBuffer sector = ByteBuffer.allocate(Partition.SECTOR);
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            while (sector.hasRemaining() && ch.read(sector, boot.offsetBytes() + sector.position()) > 0) {
                // fill the sector
            }
        } catch (IOException e) {
            throw new ImageException("cannot read " + disk + ": " + e.getMessage(), e);
        }
        if ((sector.get(510) & 0xff) != 0x55 || (sector.get(511) & 0xff) != 0xaa) {
            throw new ImageException("partition " + boot.number() + " is typed FAT but has no boot sector signature 0x55AA "
                    + "at its start (byte " + boot.offsetBytes() + "): the file system is missing or corrupt");
        }
    }

    private long sizeOf(Path disk, DiskKind kind) {
        try {
            if (kind != DiskKind.BLOCK_DEVICE) {
                return Files.size(disk);
            }
            String name = disk.toRealPath().getFileName().toString();
            Path sizeFile = sysBlock.resolve(name).resolve("size");
            return Long.parseLong(Files.readString(sizeFile).strip()) * Partition.SECTOR;
        } catch (IOException | NumberFormatException e) {
            throw new ImageException("cannot find the size of " + disk + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a block device that, or a partition of which, appears in the mount table.
     *
     * @throws ImageException naming the mounted device and its mount point
     */
    public void refuseMounted(Path device) {
        String name;
        try {
            name = device.toRealPath().getFileName().toString();
        } catch (IOException e) {
            throw new ImageException("cannot resolve " + device + ": " + e.getMessage(), e);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(procMounts);
        } catch (IOException e) {
            throw new ImageException("cannot read the mount table " + procMounts + " to check " + device + " is not mounted", e);
        }
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length < 2 || !f[0].startsWith("/dev/")) {
                continue;
            }
            String mounted = Path.of(f[0]).getFileName().toString();
            try {
                mounted = Path.of(f[0]).toRealPath().getFileName().toString(); // /dev/disk/by-* links, /dev/root
            } catch (IOException e) {
                // a device in the table that does not exist here: compare by name
            }
            if (mounted.equals(name) || mounted.matches(java.util.regex.Pattern.quote(name) + "p?[0-9]+")) {
                throw new ImageException(device + " is mounted (" + f[0] + " on " + f[1].replace("\\040", " ")
                        + "): unmount every partition of it first");
            }
        }
    }

    private static Path tempSibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".fleetctl-" + UUID.randomUUID().toString().substring(0, 8));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort clean-up of a temporary file
        }
    }
}
