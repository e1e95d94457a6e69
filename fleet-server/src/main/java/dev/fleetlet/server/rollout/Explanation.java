package dev.fleetlet.server.rollout;

import java.util.List;

/**
 * Why a device is or is not in a rollout's target: the "explain" answer.
 *
 * @param deviceId the device
 * @param included whether it is targeted
 * @param reasons  for an excluded device every reason that excludes it (not only the first); for an
 *                 included device one {@link Code#INCLUDED} reason saying what matched
 */
public record Explanation(String deviceId, boolean included, List<Reason> reasons) {

    public Explanation {
        reasons = List.copyOf(reasons);
    }

    /** Machine-readable reason codes. */
    public enum Code {
        INCLUDED,
        DECOMMISSIONED,
        SELECTOR_MISMATCH,
        PINNED_TO_OTHER_RELEASE,
        ALREADY_ON_RELEASE,
        ARCH_MISMATCH,
        ARCH_UNKNOWN,
        LABEL_REQUIREMENT_MISMATCH,
        MEMORY_TOO_SMALL,
        MEMORY_UNKNOWN
    }

    /** One reason, with a sentence that carries the numbers or the failing selector term. */
    public record Reason(Code code, String text) {
    }

    /** Whether a reason with {@code code} is present. */
    public boolean has(Code code) {
        for (Reason r : reasons) {
            if (r.code() == code) {
                return true;
            }
        }
        return false;
    }

    /** All reason texts joined with {@code "; "}. */
    public String text() {
        StringBuilder b = new StringBuilder();
        for (Reason r : reasons) {
            if (b.length() > 0) {
                b.append("; ");
            }
            b.append(r.text());
        }
        return b.toString();
    }
}
