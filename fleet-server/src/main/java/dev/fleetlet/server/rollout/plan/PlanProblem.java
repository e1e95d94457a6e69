package dev.fleetlet.server.rollout.plan;

/**
 * One thing wrong with a rollout plan or target, naming the field as a JSON path would
 * ({@code waves[2].percent}, {@code thresholds.perWave.count}).
 */
public record PlanProblem(String field, String message) {

    @Override
    public String toString() {
        return field + ": " + message;
    }
}
