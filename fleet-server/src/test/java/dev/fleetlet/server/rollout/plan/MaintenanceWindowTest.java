package dev.fleetlet.server.rollout.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MaintenanceWindowTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** Saturday 22:00 to Sunday 04:00, Berlin time. */
    static final MaintenanceWindow SAT_NIGHT = new MaintenanceWindow(EnumSet.of(DayOfWeek.SATURDAY),
            LocalTime.of(22, 0), LocalTime.of(4, 0), BERLIN);
    /** Weekdays 09:00-17:00 New York time. */
    static final MaintenanceWindow NY_OFFICE = new MaintenanceWindow(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
            LocalTime.of(9, 0), LocalTime.of(17, 0), NEW_YORK);

    static Stream<Arguments> cases() {
        // 2025-03-15 is a Saturday; Berlin is UTC+1 until 2025-03-30; New York is UTC-4 from 2025-03-09
        return Stream.of(
                arguments(SAT_NIGHT, "2025-03-15T20:59:59Z", false, "Saturday 21:59:59 Berlin: before"),
                arguments(SAT_NIGHT, "2025-03-15T21:00:00Z", true, "Saturday 22:00 Berlin: start is inclusive"),
                arguments(SAT_NIGHT, "2025-03-15T23:30:00Z", true, "Sunday 00:30 Berlin: after midnight, still open"),
                arguments(SAT_NIGHT, "2025-03-16T02:59:59Z", true, "Sunday 03:59:59 Berlin"),
                arguments(SAT_NIGHT, "2025-03-16T03:00:00Z", false, "Sunday 04:00 Berlin: end is exclusive"),
                arguments(SAT_NIGHT, "2025-03-16T21:30:00Z", false, "Sunday 22:30 Berlin: not a Saturday"),
                arguments(SAT_NIGHT, "2025-03-14T23:30:00Z", false, "Saturday 00:30 Berlin: Friday had no window"),
                arguments(SAT_NIGHT, "2025-03-29T22:00:00Z", true, "Saturday 23:00 CET before the DST switch"),
                arguments(SAT_NIGHT, "2025-03-30T01:30:00Z", true, "Sunday 03:30 CEST after the DST switch"),
                arguments(SAT_NIGHT, "2025-03-30T02:00:00Z", false, "Sunday 04:00 CEST"),
                arguments(NY_OFFICE, "2025-03-14T13:00:00Z", true, "Friday 09:00 New York (EDT)"),
                arguments(NY_OFFICE, "2025-03-14T12:59:00Z", false, "Friday 08:59 New York"),
                arguments(NY_OFFICE, "2025-03-14T21:00:00Z", false, "Friday 17:00 New York"),
                arguments(NY_OFFICE, "2025-03-15T15:00:00Z", false, "Saturday in New York"),
                arguments(MaintenanceWindow.daily(LocalTime.NOON, LocalTime.NOON, BERLIN), "2025-03-15T03:00:00Z", true,
                        "start equal to end means 24 hours"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("cases")
    void containsInstantsInTheWindowsZone(MaintenanceWindow w, String at, boolean inside, String name) {
        assertThat(w.contains(Instant.parse(at))).isEqualTo(inside);
    }

    static Stream<Arguments> openings() {
        return Stream.of(
                arguments(SAT_NIGHT, "2025-03-14T10:00:00Z", "2025-03-15T21:00:00Z"),
                arguments(SAT_NIGHT, "2025-03-15T23:00:00Z", "2025-03-15T23:00:00Z"),
                arguments(SAT_NIGHT, "2025-03-16T03:00:00Z", "2025-03-22T21:00:00Z"),
                arguments(NY_OFFICE, "2025-03-15T15:00:00Z", "2025-03-17T13:00:00Z"));
    }

    @ParameterizedTest
    @MethodSource("openings")
    void findsTheNextOpening(MaintenanceWindow w, String from, String expected) {
        assertThat(w.nextOpening(Instant.parse(from))).isEqualTo(Instant.parse(expected));
    }
}
