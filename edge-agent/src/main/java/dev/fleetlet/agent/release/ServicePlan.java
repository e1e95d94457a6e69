package dev.fleetlet.agent.release;

import dev.fleetlet.agent.runtime.ContainerSpec;
import dev.fleetlet.agent.runtime.HealthCheck;
import dev.fleetlet.agent.runtime.RestartRule;
import dev.fleetlet.protocol.app.DependencyCondition;
import java.time.Duration;
import java.util.Map;

/**
 * One service of a release translated for the {@link dev.fleetlet.agent.runtime.Supervisor}.
 *
 * @param service   the service name in the app spec
 * @param image     the image reference as written in the spec (pinned by digest for server releases)
 * @param container what to run
 * @param restart   the compose restart rule
 * @param health    the health check, or null when the service has none (or disabled it)
 * @param dependsOn services that must be started (or healthy) first
 * @param stopGrace how long the service gets between SIGTERM and SIGKILL
 */
public record ServicePlan(String service, String image, ContainerSpec container, RestartRule restart,
                          HealthCheck health, Map<String, DependencyCondition> dependsOn, Duration stopGrace) {

    public ServicePlan {
        dependsOn = Map.copyOf(dependsOn);
    }

    /** The container id. */
    public String id() {
        return container.id();
    }
}
