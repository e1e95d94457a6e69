package dev.fleetlet.server.rollout.plan;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

/** Locale-independent number and duration text used in validation messages and the audit log. */
public final class Format {

    private Format() {
    }

    /** A plain number without trailing zeros: {@code 2}, {@code 0.5}, {@code 12.25}. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Two decimals with a dot, whatever the default locale: {@code 0.75}. */
    public static String twoDecimals(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** A compact duration: {@code 45s}, {@code 15m}, {@code 2h30m}, {@code 1d2h}. */
    public static String duration(Duration d) {
        if (d == null) {
            return "-";
        }
        long s = d.getSeconds();
        if (s == 0) {
            return d.isZero() ? "0s" : d.toMillis() + "ms";
        }
        StringBuilder b = new StringBuilder();
        if (s < 0) {
            b.append('-');
            s = -s;
        }
        long days = s / 86_400;
        long hours = s % 86_400 / 3600;
        long minutes = s % 3600 / 60;
        long seconds = s % 60;
        if (days > 0) {
            b.append(days).append('d');
        }
        if (hours > 0) {
            b.append(hours).append('h');
        }
        if (minutes > 0) {
            b.append(minutes).append('m');
        }
        if (seconds > 0) {
            b.append(seconds).append('s');
        }
        return b.toString();
    }
}
