package dev.fleetlet.server.release;

import dev.fleetlet.server.api.Problem;
import java.util.List;
import java.util.Map;

/**
 * Port over the protocol module's app-spec library ({@code dev.fleetlet.protocol.app}): what the release
 * service needs from the compose subset (docs/app-spec.md), and nothing else. The default implementation is
 * {@code internal.ProtocolAppSpecs}.
 */
public interface AppSpecs {

    /**
     * Parses compose text (YAML, or JSON which is YAML too).
     *
     * @throws InvalidSpec listing every problem with the key path it concerns ({@code services.web.ports[0]})
     */
    Spec parse(String composeText);

    /**
     * Parses compose text, using {@code defaultName} as the app name when the text names none.
     *
     * @throws InvalidSpec listing every problem with the key path it concerns
     */
    default Spec parse(String composeText, String defaultName) {
        return parse(composeText);
    }

    /**
     * The changes from one stored spec to another, both given as their canonical JSON, in canonical key order.
     *
     * @throws IllegalStateException when a stored spec no longer parses (not expected for stored releases)
     */
    List<ReleaseDiff.Change> diff(String canonicalJsonA, String canonicalJsonB);

    /** A parsed app spec. */
    interface Spec {

        /** Service name to image reference as written, in service-name order. */
        Map<String, String> images();

        /** The spec's {@code x-fleetlet.requires}, {@link ReleaseRequirements#NONE} when absent. */
        ReleaseRequirements requires();

        /** The app name: the compose's {@code name}, else the default given to the parser. */
        String name();

        /** Canonical JSON: equal specs give equal text. */
        String canonicalJson();

        /** The same spec with the images of the named services replaced by pinned references. */
        Spec withPinnedImages(Map<String, String> pinnedByService);
    }

    /** The compose text is not a valid app spec. */
    class InvalidSpec extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final transient List<Problem.FieldError> problems;

        public InvalidSpec(List<Problem.FieldError> problems) {
            super(problems.size() + " problem(s) in the app spec");
            this.problems = List.copyOf(problems);
        }

        /** Each problem: key path and message. */
        public List<Problem.FieldError> problems() {
            return problems;
        }
    }
}
