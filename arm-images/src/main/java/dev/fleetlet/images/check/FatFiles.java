package dev.fleetlet.images.check;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads files from the image's FAT boot partition with mtools ({@code mdir}, {@code mtype}) at its byte offset. */
final class FatFiles {
    private final String target;

    FatFiles(DiskImage image) {
        Tools.require("mdir", "mtype");
        this.target = image.rawFile() + "@@" + image.boot().offset();
    }

    /** Names in the root directory (long names), lowercased. */
    List<String> rootNames() {
        Tools.Result r = Tools.run(List.of("mdir", "-b", "-i", target, "::/"));
        if (r.exitCode() != 0) {
            throw new ImageCheckException("the FAT boot partition is not readable (mdir exit " + r.exitCode() + ": "
                    + r.stderr().strip() + ")");
        }
        List<String> names = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            String name = line.strip();
            if (name.startsWith("::/")) {
                name = name.substring(3);
            }
            if (!name.isEmpty()) {
                names.add(name.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** Copies the file {@code name} from the root directory to {@code dest} (replaced if present). */
    void copy(String name, java.nio.file.Path dest) {
        Tools.Result r = Tools.run(List.of("mcopy", "-n", "-o", "-i", target, "::/" + name, dest.toString()));
        if (r.exitCode() != 0) {
            throw new ImageCheckException("cannot copy " + name + " from the boot partition: " + r.stderr().strip());
        }
    }

    /** The file's text, or empty when it does not exist. */
    Optional<String> read(String name) {
        if (!rootNames().contains(name.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        Tools.Result r = Tools.run(List.of("mtype", "-i", target, "::/" + name));
        if (r.exitCode() != 0) {
            throw new ImageCheckException("cannot read " + name + " from the boot partition: " + r.stderr().strip());
        }
        return Optional.of(new String(r.stdout(), StandardCharsets.UTF_8));
    }
}
