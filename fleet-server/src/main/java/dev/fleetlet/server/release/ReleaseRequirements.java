package dev.fleetlet.server.release;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * Device capabilities a release needs, from the spec's {@code x-fleetlet.requires}.
 *
 * @param architectures accepted CPU architectures ({@code arm64}, {@code arm}); empty means any
 * @param labels        a label selector the device must match ({@code camera=present}); empty string for none
 * @param minMemoryMb   least RAM in MiB, or null for no minimum
 */
@Serdeable
public record ReleaseRequirements(List<String> architectures, String labels, Long minMemoryMb) {

    public static final ReleaseRequirements NONE = new ReleaseRequirements(List.of(), "", null);

    public ReleaseRequirements {
        architectures = architectures == null ? List.of() : List.copyOf(architectures);
        labels = labels == null ? "" : labels;
    }
}
