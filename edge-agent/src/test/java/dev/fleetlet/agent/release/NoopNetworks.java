package dev.fleetlet.agent.release;

import dev.fleetlet.agent.network.AppNetwork;
import dev.fleetlet.agent.network.AppNetworks;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** App networks as records only (no namespaces): enough for release-layer unit tests. */
final class NoopNetworks implements AppNetworks {
    final Map<String, AppNetwork> nets = new LinkedHashMap<>();

    @Override
    public synchronized AppNetwork attach(String appName, Collection<String> serviceNames) {
        return nets.computeIfAbsent(appName, a -> new AppNetwork(a, Path.of("/run/netns/" + a), "10.0.0.2", 24, "10.0.0.1",
                Path.of("/tmp/" + a + "/resolv.conf"), Path.of("/tmp/" + a + "/hosts")));
    }

    @Override
    public synchronized void detach(String appName) {
        nets.remove(appName);
    }

    @Override
    public synchronized Optional<AppNetwork> find(String appName) {
        return Optional.ofNullable(nets.get(appName));
    }

    @Override
    public synchronized List<AppNetwork> list() {
        return List.copyOf(nets.values());
    }

    @Override
    public void check(String appName) {
    }

    @Override
    public List<String> reconcile() {
        return List.of();
    }
}
