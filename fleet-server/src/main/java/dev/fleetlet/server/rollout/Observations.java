package dev.fleetlet.server.rollout;

import java.util.List;

/** The input of one controller step besides the state and the clock: device observations and manual commands. */
public record Observations(List<Observation> reports, List<Command> commands) {

    public static final Observations NONE = new Observations(List.of(), List.of());

    public Observations {
        reports = reports == null ? List.of() : List.copyOf(reports);
        commands = commands == null ? List.of() : List.copyOf(commands);
    }

    public static Observations of(Observation... reports) {
        return new Observations(List.of(reports), List.of());
    }

    public static Observations commands(Command... commands) {
        return new Observations(List.of(), List.of(commands));
    }
}
