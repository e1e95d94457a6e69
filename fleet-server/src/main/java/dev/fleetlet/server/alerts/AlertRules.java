package dev.fleetlet.server.alerts;

import dev.fleetlet.protocol.message.ReportedState;
import dev.fleetlet.protocol.message.ServiceStatus;
import dev.fleetlet.protocol.message.SystemHealth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pure alert rules over one reported state: which kinds hold now, each with a detail in words. The
 * {@code offline} kind is not decided here (it depends on presence and time, see {@link AlertService}).
 */
public final class AlertRules {

    private AlertRules() {
    }

    /** The alerts {@code state} shows, in {@link AlertKind} order. */
    public static Map<AlertKind, String> evaluate(ReportedState state, AlertSettings settings) {
        Map<AlertKind, String> out = new EnumMap<>(AlertKind.class);
        SystemHealth system = state.system();
        if (system != null) {
            if (Boolean.TRUE.equals(system.underVoltage())) {
                out.put(AlertKind.UNDER_VOLTAGE, "supply voltage below the minimum (check the power supply and cable)");
            }
            if (Boolean.TRUE.equals(system.throttled())) {
                out.put(AlertKind.THROTTLED, system.throttleFlags() == null ? "CPU throttled"
                        : String.format(Locale.ROOT, "CPU throttled (firmware flags 0x%x)", system.throttleFlags()));
            }
            Double used = system.diskUsedFraction();
            if (used != null && used * 100 >= settings.diskFullPercent()) {
                out.put(AlertKind.DISK_FULL, String.format(Locale.ROOT, "data disk %.1f %% full, %s free",
                        used * 100, bytes(system.diskFreeBytes())));
            }
        }
        List<String> unhealthy = new ArrayList<>();
        List<String> restarting = new ArrayList<>();
        for (ServiceStatus s : state.services()) {
            if ("unhealthy".equals(s.health())) {
                unhealthy.add(s.name());
            }
            if ("restarting".equals(s.state()) || s.restarts() >= settings.restartThreshold()) {
                restarting.add(s.name() + " (" + s.restarts() + " restarts)");
            }
        }
        if (!unhealthy.isEmpty()) {
            out.put(AlertKind.SERVICE_UNHEALTHY, "unhealthy: " + String.join(", ", unhealthy));
        }
        if (!restarting.isEmpty()) {
            out.put(AlertKind.SERVICE_RESTARTING, "restarting: " + String.join(", ", restarting));
        }
        if (state.status() == ReportedState.Status.ROLLBACK_FAILED) {
            out.put(AlertKind.ROLLBACK_FAILED, state.reason() == null ? "rollback failed" : state.reason());
        }
        out.replaceAll((k, v) -> v.length() <= 500 ? v : v.substring(0, 497) + "...");
        return out;
    }

    private static String bytes(Long n) {
        if (n == null) {
            return "?";
        }
        double mib = n / (1024.0 * 1024.0);
        return mib >= 1024 ? String.format(Locale.ROOT, "%.1f GiB", mib / 1024)
                : String.format(Locale.ROOT, "%.0f MiB", mib);
    }
}
