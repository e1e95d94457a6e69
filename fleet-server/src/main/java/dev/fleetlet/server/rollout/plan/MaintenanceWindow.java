package dev.fleetlet.server.rollout.plan;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A recurring time range in which the rollout may dispatch: on each of {@code days}, from {@code start}
 * (inclusive) to {@code end} (exclusive), wall-clock time in {@code zone}. When {@code end} is not after
 * {@code start} the window crosses midnight: {@code SATURDAY 22:00–04:00} is open from Saturday 22:00
 * until Sunday 04:00. Daylight-saving gaps and overlaps follow {@link ZonedDateTime} rules (a start inside
 * a gap moves forward by the gap's length).
 *
 * @param days  the days a window opens on (in {@code zone}); not empty
 * @param start opening time
 * @param end   closing time; equal to {@code start} means 24 hours
 * @param zone  the time zone the times are read in
 */
public record MaintenanceWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, ZoneId zone) {

    public MaintenanceWindow {
        days = days == null || days.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(days));
    }

    /** Every day of the week. */
    public static MaintenanceWindow daily(LocalTime start, LocalTime end, ZoneId zone) {
        return new MaintenanceWindow(EnumSet.allOf(DayOfWeek.class), start, end, zone);
    }

    /** Whether {@code at} lies inside an occurrence of this window. */
    public boolean contains(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        // an occurrence that opened today or yesterday (crossing midnight) may contain the instant
        for (int back = 0; back <= 1; back++) {
            LocalDate day = local.toLocalDate().minusDays(back);
            if (!days.contains(day.getDayOfWeek())) {
                continue;
            }
            Instant open = openingOn(day);
            Instant close = closingAfter(day);
            if (!at.isBefore(open) && at.isBefore(close)) {
                return true;
            }
        }
        return false;
    }

    /** The first opening at or after {@code from} (or {@code from} itself when it is inside the window). */
    public Instant nextOpening(Instant from) {
        if (contains(from)) {
            return from;
        }
        LocalDate day = from.atZone(zone).toLocalDate();
        for (int i = 0; i <= 8; i++) {
            LocalDate d = day.plusDays(i);
            if (days.contains(d.getDayOfWeek())) {
                Instant open = openingOn(d);
                if (!open.isBefore(from)) {
                    return open;
                }
            }
        }
        throw new IllegalStateException("window has no day");
    }

    private Instant openingOn(LocalDate day) {
        return ZonedDateTime.of(day, start, zone).toInstant();
    }

    private Instant closingAfter(LocalDate day) {
        LocalDate closeDay = end.isAfter(start) ? day : day.plusDays(1);
        return ZonedDateTime.of(closeDay, end, zone).toInstant();
    }

    void collectProblems(String field, List<PlanProblem> out) {
        if (days.isEmpty()) {
            out.add(new PlanProblem(field + ".days", "must name at least one day"));
        }
        if (start == null) {
            out.add(new PlanProblem(field + ".start", "is required"));
        }
        if (end == null) {
            out.add(new PlanProblem(field + ".end", "is required"));
        }
        if (zone == null) {
            out.add(new PlanProblem(field + ".zone", "is required"));
        }
    }

    /** The first instant at or after {@code from} inside any of {@code windows}; {@code from} when none are set. */
    public static Instant nextOpening(List<MaintenanceWindow> windows, Instant from) {
        if (windows.isEmpty()) {
            return from;
        }
        Instant best = null;
        for (MaintenanceWindow w : windows) {
            Instant n = w.nextOpening(from);
            if (best == null || n.isBefore(best)) {
                best = n;
            }
        }
        return best;
    }

    /** Whether {@code at} is inside any of {@code windows}; always true when none are set. */
    public static boolean anyContains(List<MaintenanceWindow> windows, Instant at) {
        if (windows.isEmpty()) {
            return true;
        }
        for (MaintenanceWindow w : windows) {
            if (w.contains(at)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return days + " " + start + "–" + end + " " + zone;
    }
}
