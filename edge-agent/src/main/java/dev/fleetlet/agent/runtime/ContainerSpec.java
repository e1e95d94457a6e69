package dev.fleetlet.agent.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything needed to run one container: the assembled rootfs, the process, isolation and limits.
 * Build with {@link #builder(String, Path, List)}; validation errors name the field.
 *
 * <p>Networking is one of three modes: {@code hostNetwork} shares the host's network namespace;
 * {@code networkNamespace} (an absolute path to a network namespace file, e.g. one made by
 * {@code dev.fleetlet.agent.network.AppNetworks}) joins that existing namespace, so every service of an
 * app given the same path shares one network stack (pod-like); neither gives the container a fresh
 * namespace with only a loopback interface (which the runtime leaves down). Both together are refused.
 */
public record ContainerSpec(String id, Path rootfs, List<String> args, Map<String, String> env, String cwd,
                            int uid, int gid, String hostname, boolean readOnlyRoot, boolean hostNetwork,
                            List<VolumeMount> volumes, List<BindMount> binds, List<DeviceMapping> devices,
                            Resources resources, Set<String> addedCapabilities, Path networkNamespace) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,62}");

    /** A named volume from the agent's volume directory, mounted at {@code containerPath}. */
    public record VolumeMount(String volume, String containerPath, boolean readOnly) {
    }

    /** A host path bind-mounted at {@code containerPath}. */
    public record BindMount(Path hostPath, String containerPath, boolean readOnly) {
    }

    /** A host device node passed through, e.g. {@code /dev/gpiochip0}, with cgroup access {@code rwm}. */
    public record DeviceMapping(Path hostPath, String containerPath, String access) {
    }

    public ContainerSpec {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("container id '" + id + "' must match " + ID.pattern());
        }
        Objects.requireNonNull(rootfs, "rootfs");
        if (networkNamespace != null) {
            if (hostNetwork) {
                throw new IllegalArgumentException("container " + id + ": networkNamespace '" + networkNamespace
                        + "' cannot be combined with hostNetwork");
            }
            if (!networkNamespace.isAbsolute()) {
                throw new IllegalArgumentException("container " + id + ": networkNamespace must be an absolute path, got '"
                        + networkNamespace + "'");
            }
        }
        if (args == null || args.isEmpty()) {
            throw new IllegalArgumentException("container " + id + ": args must not be empty");
        }
        if (cwd == null || !cwd.startsWith("/")) {
            throw new IllegalArgumentException("container " + id + ": cwd must be absolute, got '" + cwd + "'");
        }
        for (VolumeMount v : volumes) {
            requireAbsolute(id, "volumes[" + v.volume() + "].containerPath", v.containerPath());
        }
        for (BindMount b : binds) {
            requireAbsolute(id, "binds[" + b.hostPath() + "].containerPath", b.containerPath());
        }
        args = List.copyOf(args);
        env = Map.copyOf(env);
        volumes = List.copyOf(volumes);
        binds = List.copyOf(binds);
        devices = List.copyOf(devices);
        addedCapabilities = Set.copyOf(addedCapabilities);
    }

    private static void requireAbsolute(String id, String field, String path) {
        if (path == null || !path.startsWith("/") || path.contains("/../") || path.endsWith("/..")) {
            throw new IllegalArgumentException("container " + id + ": " + field + " must be an absolute path without '..', got '" + path + "'");
        }
    }

    public static Builder builder(String id, Path rootfs, List<String> args) {
        return new Builder(id, rootfs, args);
    }

    /** Builder with defaults: cwd {@code /}, root user, hostname = id, own network namespace, no limits. */
    public static final class Builder {
        private final String id;
        private final Path rootfs;
        private final List<String> args;
        private final Map<String, String> env = new LinkedHashMap<>();
        private String cwd = "/";
        private int uid;
        private int gid;
        private String hostname;
        private boolean readOnlyRoot;
        private boolean hostNetwork;
        private Path networkNamespace;
        private final List<VolumeMount> volumes = new ArrayList<>();
        private final List<BindMount> binds = new ArrayList<>();
        private final List<DeviceMapping> devices = new ArrayList<>();
        private Resources resources = Resources.unlimited();
        private final Set<String> caps = new LinkedHashSet<>();

        private Builder(String id, Path rootfs, List<String> args) {
            this.id = id;
            this.rootfs = rootfs;
            this.args = args;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        public Builder cwd(String value) {
            cwd = value;
            return this;
        }

        public Builder user(int u, int g) {
            uid = u;
            gid = g;
            return this;
        }

        public Builder hostname(String value) {
            hostname = value;
            return this;
        }

        public Builder readOnlyRoot(boolean value) {
            readOnlyRoot = value;
            return this;
        }

        public Builder hostNetwork(boolean value) {
            hostNetwork = value;
            return this;
        }

        /** Joins the existing network namespace at {@code path} (see the class comment); {@code null} clears it. */
        public Builder networkNamespace(Path path) {
            networkNamespace = path;
            return this;
        }

        public Builder volume(String name, String containerPath, boolean readOnly) {
            volumes.add(new VolumeMount(name, containerPath, readOnly));
            return this;
        }

        public Builder bind(Path hostPath, String containerPath, boolean readOnly) {
            binds.add(new BindMount(hostPath, containerPath, readOnly));
            return this;
        }

        public Builder device(Path hostPath, String containerPath) {
            devices.add(new DeviceMapping(hostPath, containerPath, "rwm"));
            return this;
        }

        public Builder resources(Resources value) {
            resources = value;
            return this;
        }

        public Builder addCapability(String cap) {
            caps.add(cap);
            return this;
        }

        public ContainerSpec build() {
            return new ContainerSpec(id, rootfs, args, env, cwd, uid, gid, hostname == null ? id : hostname,
                    readOnlyRoot, hostNetwork, volumes, binds, devices, resources, caps, networkNamespace);
        }
    }
}
