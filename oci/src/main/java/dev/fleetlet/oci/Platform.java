package dev.fleetlet.oci;

import java.util.Locale;
import java.util.Objects;

/**
 * The OS/architecture/variant triple of a board, used to pick a manifest out of a multi-arch
 * index. Variants are compared after normalising the defaults registries leave out
 * ({@code arm64} means {@code v8}, {@code arm} means {@code v7}).
 */
public record Platform(String os, String architecture, String variant) {

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        variant = variant == null || variant.isEmpty() ? null : variant;
    }

    /** Parses {@code linux/arm64}, {@code linux/arm/v7} or {@code linux/amd64}. */
    public static Platform parse(String text) {
        String[] parts = text == null ? new String[0] : text.split("/");
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new IllegalArgumentException("platform must be os/arch[/variant], got '" + text + "'");
        }
        return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** The platform of the running JVM's host, mapped from {@code os.arch}. */
    public static Platform ofHost() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> new Platform("linux", "amd64", null);
            case "aarch64", "arm64" -> new Platform("linux", "arm64", null);
            case "arm" -> new Platform("linux", "arm", "v7");
            default -> new Platform("linux", arch, null);
        };
    }

    /** True when an index entry with this platform can run on {@code board}. */
    public boolean matches(Platform board) {
        return os.equals(board.os)
                && architecture.equals(board.architecture)
                && Objects.equals(normalisedVariant(), board.normalisedVariant());
    }

    private String normalisedVariant() {
        if (architecture.equals("arm64") && (variant == null || variant.equals("v8"))) {
            return null;
        }
        if (architecture.equals("arm") && variant == null) {
            return "v7";
        }
        return variant;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant != null ? "/" + variant : "");
    }
}
