package dev.fleetlet.server.rollout.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetlet.protocol.message.Release;
import dev.fleetlet.server.rollout.CatalogRelease;
import dev.fleetlet.server.rollout.ReleaseCatalog;
import dev.fleetlet.server.rollout.RequiredCapabilities;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A release catalog in memory for rollout tests; replaces the real one only in contexts started with
 * {@code fleetlet.test.release-catalog=memory}. Knows releases {@code app-1}, {@code app-2}, {@code app-3}
 * and whatever a test adds.
 */
@Singleton
@Replaces(ReleaseCatalog.class)
@Requires(property = "fleetlet.test.release-catalog", value = "memory")
public class InMemoryReleaseCatalog implements ReleaseCatalog {

    private final Map<String, CatalogRelease> releases = new ConcurrentHashMap<>();

    public InMemoryReleaseCatalog() {
        add("app-1", RequiredCapabilities.NONE);
        add("app-2", RequiredCapabilities.NONE);
        add("app-3", RequiredCapabilities.NONE);
    }

    public void add(String id, RequiredCapabilities requires) {
        String version = id.substring(id.indexOf('-') + 1);
        com.fasterxml.jackson.databind.node.ObjectNode spec = JsonNodeFactory.instance.objectNode();
        spec.putObject("services").putObject("web").put("image", "registry.example/app:" + version + "@sha256:"
                + "0".repeat(63) + version.charAt(0));
        releases.put(id, new CatalogRelease(new Release(id, "app", version, spec), requires));
    }

    @Override
    public Optional<CatalogRelease> find(String releaseId) {
        return Optional.ofNullable(releaseId == null ? null : releases.get(releaseId));
    }
}
