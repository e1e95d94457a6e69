package dev.fleetlet.agent.state;

import dev.fleetlet.protocol.message.Release;
import java.util.Map;
import java.util.Objects;

/**
 * One thing the {@link Executor} does to move the device from its current state towards a desired state.
 * A closed set; dispatch on {@link #kind()} (Java 17 has no pattern switch).
 */
public sealed interface Step permits Step.ApplyConfig, Step.InstallRelease, Step.RemoveRelease {

    /** The step kinds, for switches and the journal. */
    enum Kind { APPLY_CONFIG, INSTALL_RELEASE, REMOVE_RELEASE }

    Kind kind();

    /** One line for logs, events and the journal. */
    String describe();

    /** Replace the device config values (the desired state's {@code config} map) with {@code values}. */
    record ApplyConfig(Map<String, String> values) implements Step {
        public ApplyConfig {
            values = Map.copyOf(values);
        }

        @Override
        public Kind kind() {
            return Kind.APPLY_CONFIG;
        }

        @Override
        public String describe() {
            return "apply config (" + values.size() + " values)";
        }
    }

    /**
     * Install and start {@code release}. When {@code replacing} is not null that release runs now; the
     * runtime stops it as late as it can and restores it if the new one does not come up.
     */
    record InstallRelease(Release release, String replacing) implements Step {
        public InstallRelease {
            Objects.requireNonNull(release, "release");
        }

        @Override
        public Kind kind() {
            return Kind.INSTALL_RELEASE;
        }

        @Override
        public String describe() {
            return "install release " + release.id() + (replacing == null ? "" : " replacing " + replacing);
        }
    }

    /** Stop and delete what is left of {@code releaseId}. */
    record RemoveRelease(String releaseId) implements Step {
        public RemoveRelease {
            Objects.requireNonNull(releaseId, "releaseId");
        }

        @Override
        public Kind kind() {
            return Kind.REMOVE_RELEASE;
        }

        @Override
        public String describe() {
            return "remove release " + releaseId;
        }
    }
}
