package dev.fleetlet.agent.image;

import dev.fleetlet.oci.ImageError;
import dev.fleetlet.oci.ImageException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Path checks for layer entries: relative, no {@code ..}, never through a symlink. */
final class SafePaths {
    private SafePaths() {
    }

    /** Normalises a tar entry name to a relative path; refuses absolute names and {@code ..} segments. */
    static String entryName(String raw) {
        String name = raw;
        if (name.startsWith("/")) {
            throw unsafe(raw, "absolute path");
        }
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        if (name.equals(".")) {
            return "";
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw unsafe(raw, "'..' segment");
            }
        }
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    /** Resolves {@code name} under {@code root}, refusing it when an existing parent is a symlink. */
    static Path resolve(Path root, String name, String rawForErrors) {
        Path path = root.resolve(name).normalize();
        if (!path.startsWith(root)) {
            throw unsafe(rawForErrors, "escapes the layer root");
        }
        Path current = root;
        Path relativeParent = root.relativize(path).getParent();
        if (relativeParent != null) {
            for (Path part : relativeParent) {
                current = current.resolve(part);
                if (Files.isSymbolicLink(current)) {
                    throw unsafe(rawForErrors, "passes through symlink " + root.relativize(current));
                }
            }
        }
        return path;
    }

    static ImageException unsafe(String entry, String why) {
        return new ImageException(ImageError.UNSAFE_LAYER, "layer entry '" + entry + "' refused: " + why);
    }
}
