package dev.fleetlet.protocol.app;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One service of an app: a container and how to run it. Absent optional values are null (scalars) or
 * empty (collections); maps keep the order in which they were written. Built by {@link AppSpecParser},
 * which validates every field; the constructor only copies collections.
 *
 * @param image           image reference, pinned when it contains {@code @sha256:}
 * @param command         replaces the image's CMD; empty = image default
 * @param entrypoint      replaces the image's ENTRYPOINT; empty = image default
 * @param environment     environment variables, literal values
 * @param volumes         mounts: named volumes, read-only binds, tmpfs
 * @param devices         device nodes passed through
 * @param memLimitBytes   cgroup memory limit, or null for none
 * @param memswapLimitBytes memory + swap limit, or null (Compose semantics: -1 = unlimited swap)
 * @param cpus            CPU quota in CPUs (0.5 = half a core), or null
 * @param pidsLimit       maximum number of processes, or null
 * @param healthcheck     health probe, or null for the image's own
 * @param restart         restart policy, {@link RestartPolicy#NO} by default
 * @param dependsOn       services started first, with what to wait for
 * @param labels          container labels
 * @param networkMode     {@link NetworkMode#APP} unless {@code network_mode: host}
 * @param user            {@code uid[:gid]} or name, or null
 * @param workingDir      working directory, or null
 * @param stopSignal      signal sent to stop, or null (SIGTERM)
 * @param stopGracePeriod time between stop signal and SIGKILL, or null (10s)
 * @param readOnly        read-only root filesystem
 * @param capAdd          Linux capabilities added, names without {@code CAP_}, upper case
 * @param capDrop         Linux capabilities dropped ({@code ALL} allowed)
 */
public record ServiceSpec(String image, List<String> command, List<String> entrypoint,
                          Map<String, String> environment, List<VolumeMount> volumes,
                          List<DeviceMapping> devices, Long memLimitBytes, Long memswapLimitBytes,
                          BigDecimal cpus, Long pidsLimit, Healthcheck healthcheck, RestartPolicy restart,
                          Map<String, DependencyCondition> dependsOn, Map<String, String> labels,
                          NetworkMode networkMode, String user, String workingDir, String stopSignal,
                          Duration stopGracePeriod, boolean readOnly, List<String> capAdd,
                          List<String> capDrop) {

    public ServiceSpec {
        Objects.requireNonNull(image, "image");
        command = command == null ? List.of() : List.copyOf(command);
        entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
        environment = environment == null ? Map.of() : AppSpec.ordered(environment);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        devices = devices == null ? List.of() : List.copyOf(devices);
        restart = restart == null ? RestartPolicy.NO : restart;
        dependsOn = dependsOn == null ? Map.of() : AppSpec.ordered(dependsOn);
        labels = labels == null ? Map.of() : AppSpec.ordered(labels);
        networkMode = networkMode == null ? NetworkMode.APP : networkMode;
        capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
        capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
    }

    /** A service running {@code image} with every other field at its default. */
    public static ServiceSpec of(String image) {
        return new ServiceSpec(image, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, false, null, null);
    }

    /** Whether the image reference names a digest ({@code repo@sha256:...}), so it cannot change under us. */
    public boolean isPinned() {
        return image.contains("@sha256:");
    }

    /** A copy running {@code newImage}. */
    public ServiceSpec withImage(String newImage) {
        return new ServiceSpec(newImage, command, entrypoint, environment, volumes, devices, memLimitBytes,
                memswapLimitBytes, cpus, pidsLimit, healthcheck, restart, dependsOn, labels, networkMode, user,
                workingDir, stopSignal, stopGracePeriod, readOnly, capAdd, capDrop);
    }
}
