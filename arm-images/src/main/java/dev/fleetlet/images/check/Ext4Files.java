package dev.fleetlet.images.check;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the image's ext4 root partition with {@code debugfs} (read-only, addressed by byte offset; no mount). */
final class Ext4Files {
    /** One directory entry from {@code debugfs ls -p}; {@code mode} is octal text such as 120777 for a symlink. */
    record Entry(String name, int mode, long size) {
        boolean symlink() {
            return (mode & 0170000) == 0120000;
        }

        boolean regularFile() {
            return (mode & 0170000) == 0100000;
        }
    }

    private final String target;

    Ext4Files(DiskImage image) {
        Tools.require("debugfs");
        this.target = image.rawFile() + "?offset=" + image.root().offset();
    }

    private Tools.Result debugfs(String request) {
        return Tools.run(List.of("debugfs", "-R", request, target));
    }

    private static boolean notFound(Tools.Result r) {
        String err = r.stderr();
        return err.contains("File not found") || err.contains("not found by ext2_lookup");
    }

    /** Entries of {@code dir} without "." and "..", or empty when the directory does not exist. */
    Optional<List<Entry>> list(String dir) {
        Tools.Result r = debugfs("ls -p " + dir);
        if (r.exitCode() != 0 || notFound(r)) {
            checkReadable(r);
            return Optional.empty();
        }
        List<Entry> entries = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            // /inode/mode/uid/gid/name/size/
            String[] f = line.split("/", -1);
            if (f.length < 7 || f[5].equals(".") || f[5].equals("..")) {
                continue;
            }
            long size = f[6].isEmpty() ? 0 : Long.parseLong(f[6]);
            entries.add(new Entry(f[5], Integer.parseInt(f[2], 8), size));
        }
        return Optional.of(entries);
    }

    /** The file's content, or empty when it does not exist. */
    Optional<String> read(String path) {
        Tools.Result r = debugfs("cat " + path);
        if (notFound(r)) {
            return Optional.empty();
        }
        checkReadable(r);
        return Optional.of(new String(r.stdout(), StandardCharsets.UTF_8));
    }

    /** The target of a symbolic link, or empty when {@code path} does not exist or is no link. */
    Optional<String> linkTarget(String path) {
        Tools.Result r = debugfs("stat " + path);
        if (notFound(r)) {
            return Optional.empty();
        }
        checkReadable(r);
        for (String line : r.out().split("\n")) {
            int at = line.indexOf("Fast link dest: \"");
            if (at >= 0) {
                String rest = line.substring(at + 17);
                return Optional.of(rest.substring(0, rest.lastIndexOf('"')));
            }
        }
        return Optional.empty();
    }

    private void checkReadable(Tools.Result r) {
        if (r.stderr().contains("Bad magic number") || r.stderr().contains("Couldn't find valid filesystem")
                || r.exitCode() != 0) {
            throw new ImageCheckException("the ext4 root partition is not readable by debugfs: " + r.stderr().strip());
        }
    }
}
