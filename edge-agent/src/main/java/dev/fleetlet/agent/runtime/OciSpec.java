package dev.fleetlet.agent.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The subset of the OCI runtime-spec {@code config.json} the agent writes, as records for Jackson. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OciSpec(String ociVersion, Process process, Root root, String hostname, List<Mount> mounts, Linux linux) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Process(boolean terminal, User user, List<String> args, List<String> env, String cwd,
                          Capabilities capabilities, List<Rlimit> rlimits, boolean noNewPrivileges) {
    }

    public record User(int uid, int gid) {
    }

    public record Capabilities(List<String> bounding, List<String> effective, List<String> inheritable,
                               List<String> permitted, List<String> ambient) {
    }

    public record Rlimit(String type, long hard, long soft) {
    }

    public record Root(String path, boolean readonly) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Mount(String destination, String type, String source, List<String> options) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Linux(List<Namespace> namespaces, LinuxResources resources, String cgroupsPath, List<Device> devices,
                        List<String> maskedPaths, List<String> readonlyPaths, Map<String, String> sysctl) {
    }

    /** A namespace to create ({@code path} null) or to join ({@code path} of an existing namespace file). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Namespace(String type, String path) {
        public Namespace(String type) {
            this(type, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LinuxResources(List<DeviceRule> devices, Memory memory, Cpu cpu, Pids pids) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Memory(Long limit) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cpu(Long quota, Long period) {
    }

    public record Pids(long limit) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Device(String path, String type, long major, long minor, Integer fileMode, Integer uid, Integer gid) {
    }
}
