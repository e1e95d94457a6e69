package dev.fleetlet.server.rollout.plan;

import java.util.List;

/** Thrown by {@link RolloutPlan#requireValid()} with every problem found, each naming its field. */
public final class InvalidPlanException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient List<PlanProblem> problems;

    public InvalidPlanException(List<PlanProblem> problems) {
        super("invalid rollout plan: " + problems);
        this.problems = List.copyOf(problems);
    }

    public List<PlanProblem> problems() {
        return problems;
    }
}
