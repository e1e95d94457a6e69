package dev.fleetlet.protocol.app;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A release's app: the validated, immutable form of the Compose subset documented in
 * {@code docs/app-spec.md}. Obtain one from {@link AppSpecParser} (user YAML or JSON) or
 * {@link AppSpecJson#fromJson} (the canonical JSON carried in {@code Release.spec}); the constructor
 * checks only structure, not the rules the parser enforces.
 *
 * @param name           app name, {@code [a-z0-9][a-z0-9_-]{0,62}}
 * @param updateStrategy how the agent replaces a running release ({@code x-fleetlet.update_strategy})
 * @param services       services by name, in the order written; at least one
 * @param volumes        declared named volumes, in the order written
 * @param requires       device requirements ({@code x-fleetlet.requires}), {@link Requirements#NONE} when absent
 */
public record AppSpec(String name, UpdateStrategy updateStrategy, Map<String, ServiceSpec> services,
                      Map<String, VolumeSpec> volumes, Requirements requires) {

    public AppSpec {
        Objects.requireNonNull(name, "name");
        updateStrategy = updateStrategy == null ? UpdateStrategy.DOWNLOAD_THEN_KILL : updateStrategy;
        services = ordered(Objects.requireNonNull(services, "services"));
        if (services.isEmpty()) {
            throw new IllegalArgumentException("an app needs at least one service");
        }
        volumes = volumes == null ? Map.of() : ordered(volumes);
        requires = requires == null ? Requirements.NONE : requires;
    }

    /** One service's image reference. */
    public record ServiceImage(String service, String image) {
    }

    /** Every service's image, in service order. */
    public List<ServiceImage> images() {
        List<ServiceImage> out = new ArrayList<>();
        services.forEach((n, s) -> out.add(new ServiceImage(n, s.image())));
        return List.copyOf(out);
    }

    /** Whether every image is pinned by digest (what a release stored by the server must satisfy). */
    public boolean isFullyPinned() {
        return services.values().stream().allMatch(ServiceSpec::isPinned);
    }

    /**
     * A copy whose images are replaced through {@code refToDigestRef} (as written → pinned reference,
     * e.g. {@code eclipse-mosquitto:2} → {@code eclipse-mosquitto@sha256:...}). Images not in the map
     * are kept as they are.
     */
    public AppSpec withPinnedImages(Map<String, String> refToDigestRef) {
        Map<String, ServiceSpec> copy = new LinkedHashMap<>();
        services.forEach((n, s) -> copy.put(n, s.withImage(refToDigestRef.getOrDefault(s.image(), s.image()))));
        return new AppSpec(name, updateStrategy, copy, volumes, requires);
    }

    /**
     * A copy whose named services run the given images (service name → reference, typically the pinned
     * reference resolved for that service). Services not in the map keep their image.
     *
     * @throws IllegalArgumentException when the map names a service the app does not have
     */
    public AppSpec withServiceImages(Map<String, String> imageByService) {
        for (String service : imageByService.keySet()) {
            if (!services.containsKey(service)) {
                throw new IllegalArgumentException("no service " + service + " in app " + name);
            }
        }
        Map<String, ServiceSpec> copy = new LinkedHashMap<>();
        services.forEach((n, s) -> copy.put(n, s.withImage(imageByService.getOrDefault(n, s.image()))));
        return new AppSpec(name, updateStrategy, copy, volumes, requires);
    }

    /** A copy with another name. */
    public AppSpec withName(String newName) {
        return new AppSpec(newName, updateStrategy, services, volumes, requires);
    }

    /** Services with {@code network_mode: host}. */
    public List<String> hostNetworkServices() {
        List<String> out = new ArrayList<>();
        services.forEach((n, s) -> {
            if (s.networkMode() == NetworkMode.HOST) {
                out.add(n);
            }
        });
        return List.copyOf(out);
    }

    /** An unmodifiable insertion-ordered copy (Map.copyOf loses order). */
    static <K, V> Map<K, V> ordered(Map<K, V> map) {
        for (Map.Entry<K, V> e : map.entrySet()) {
            Objects.requireNonNull(e.getKey(), "key");
            Objects.requireNonNull(e.getValue(), "value of " + e.getKey());
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
