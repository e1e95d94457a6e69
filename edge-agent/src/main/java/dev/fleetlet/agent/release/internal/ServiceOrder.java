package dev.fleetlet.agent.release.internal;

import dev.fleetlet.protocol.app.AppSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Start order of an app's services: dependencies first ({@code depends_on}), otherwise the order written. */
public final class ServiceOrder {

    private ServiceOrder() {
    }

    /**
     * The services of {@code spec} with every service after the ones it depends on.
     *
     * @throws IllegalArgumentException naming the services on a dependency cycle or an unknown dependency
     */
    public static List<String> of(AppSpec spec) {
        Set<String> done = new LinkedHashSet<>();
        for (String name : spec.services().keySet()) {
            visit(spec, name, done, new LinkedHashSet<>());
        }
        return List.copyOf(done);
    }

    private static void visit(AppSpec spec, String name, Set<String> done, Set<String> path) {
        if (done.contains(name)) {
            return;
        }
        if (!spec.services().containsKey(name)) {
            throw new IllegalArgumentException("depends_on names unknown service " + name);
        }
        if (!path.add(name)) {
            List<String> cycle = new ArrayList<>(path);
            cycle.add(name);
            throw new IllegalArgumentException("depends_on cycle: " + String.join(" -> ", cycle));
        }
        for (String dep : spec.services().get(name).dependsOn().keySet()) {
            visit(spec, dep, done, path);
        }
        path.remove(name);
        done.add(name);
    }
}
