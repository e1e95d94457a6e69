package dev.fleetlet.server.rollout.internal;

import dev.fleetlet.server.rollout.plan.Format;
import dev.fleetlet.server.rollout.plan.Threshold;

/**
 * Audit text for one threshold check, always with the numbers and a dot as decimal separator:
 * {@code wave 2: 3/400 failed = 0.75 % < 2 %}, {@code ...; count 11 > 10}. The comparison sign is
 * {@code <} below the limit, {@code ≤} exactly at it (still passing) and {@code >} above it (breach).
 */
public final class GateText {

    private GateText() {
    }

    public static String of(String label, int failed, int devices, Threshold t) {
        double pct = devices == 0 ? 0.0 : failed * 100.0 / devices;
        StringBuilder b = new StringBuilder(label).append(": ").append(failed).append('/').append(devices)
                .append(" failed = ").append(Format.twoDecimals(pct)).append(" %");
        if (t.percent() != null) {
            String op = t.percentBreached(failed, devices) ? ">" : t.percentEqual(failed, devices) ? "≤" : "<";
            if (devices == 0) {
                op = "≤";
            }
            b.append(' ').append(op).append(' ').append(Format.number(t.percent())).append(" %");
        }
        if (t.count() != null) {
            String op = t.countBreached(failed) ? ">" : failed == t.count() ? "≤" : "<";
            b.append(", count ").append(failed).append(' ').append(op).append(' ').append(t.count());
        }
        return b.toString();
    }
}
