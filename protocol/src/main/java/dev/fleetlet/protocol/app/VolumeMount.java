package dev.fleetlet.protocol.app;

import java.util.Objects;

/**
 * A filesystem mounted into a service.
 *
 * @param kind     named volume, read-only bind mount of a host path, or tmpfs
 * @param source   the volume name or absolute host path; null for tmpfs
 * @param target   the absolute path inside the container
 * @param readOnly whether the mount is read-only (always true for binds)
 */
public record VolumeMount(Kind kind, String source, String target, boolean readOnly) {

    public VolumeMount {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        if (kind == Kind.BIND && !readOnly) {
            throw new IllegalArgumentException("bind mount " + source + " must be read-only");
        }
    }

    /** Mount kinds. */
    public enum Kind { VOLUME, BIND, TMPFS }

    /** The short Compose syntax: {@code data:/var/lib/app}, {@code /etc/app:/etc/app:ro}. Not for tmpfs. */
    public String shortSyntax() {
        return source + ":" + target + (readOnly ? ":ro" : "");
    }
}
