package dev.fleetlet.server.rollout;

import dev.fleetlet.server.device.selector.Selector;
import java.util.Set;

/**
 * What a release needs from a device. A device that does not report a required fact (arch or memory
 * unknown) does not match: the engine never guesses.
 *
 * @param architectures accepted CPU architectures; empty means any
 * @param labels        a label selector the device must also match (e.g. {@code camera=present}); {@link Selector#ALL} for none
 * @param minMemoryMb   least RAM in MiB, or null for no minimum
 */
public record RequiredCapabilities(Set<String> architectures, Selector labels, Long minMemoryMb) {

    public static final RequiredCapabilities NONE = new RequiredCapabilities(Set.of(), Selector.ALL, null);

    public RequiredCapabilities {
        architectures = architectures == null ? Set.of() : Set.copyOf(architectures);
        labels = labels == null ? Selector.ALL : labels;
    }
}
