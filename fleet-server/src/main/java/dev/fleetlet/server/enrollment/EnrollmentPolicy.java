package dev.fleetlet.server.enrollment;

import java.util.Locale;

/**
 * What happens to an unknown serial presenting a valid provisioning token ({@code fleetlet.enrollment.policy}):
 * accepted at once, accepted only when on the allowlist, or queued for an operator's approval.
 */
public enum EnrollmentPolicy {
    AUTO_ACCEPT, ALLOWLIST, MANUAL;

    /** Parses {@code auto-accept | allowlist | manual}; the error names the key and the allowed values. */
    public static EnrollmentPolicy parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "auto-accept" -> AUTO_ACCEPT;
            case "allowlist" -> ALLOWLIST;
            case "manual" -> MANUAL;
            default -> throw new IllegalArgumentException(
                    "fleetlet.enrollment.policy must be auto-accept, allowlist or manual; was '" + text + "'");
        };
    }
}
