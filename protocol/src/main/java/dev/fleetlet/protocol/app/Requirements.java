package dev.fleetlet.protocol.app;

import java.util.List;
import java.util.Map;

/**
 * What a device must offer to run the app ({@code x-fleetlet.requires}); the server turns it into the
 * release's capabilities and only targets devices that match.
 *
 * @param arch           accepted CPU architectures ({@code arm64}, {@code armhf}, {@code amd64}, ...); empty = any
 * @param labels         device labels that must all match; empty = none
 * @param minMemoryBytes minimum device memory, or null
 */
public record Requirements(List<String> arch, Map<String, String> labels, Long minMemoryBytes) {

    /** No requirements. */
    public static final Requirements NONE = new Requirements(List.of(), Map.of(), null);

    public Requirements {
        arch = arch == null ? List.of() : List.copyOf(arch);
        labels = labels == null ? Map.of() : AppSpec.ordered(labels);
    }

    /** Whether nothing is required. */
    public boolean isEmpty() {
        return arch.isEmpty() && labels.isEmpty() && minMemoryBytes == null;
    }
}
