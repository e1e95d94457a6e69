package dev.fleetlet.protocol.message;

import java.util.List;

/**
 * What a board tells about itself at birth and at enrollment.
 *
 * @param serial       hardware serial (device-tree serial-number, /proc/cpuinfo Serial, or machine-id)
 * @param model        board model, e.g. {@code Raspberry Pi 4 Model B Rev 1.4}
 * @param arch         OCI platform architecture: {@code arm64}, {@code arm}, {@code amd64}
 * @param variant      OCI platform variant ({@code v7}, {@code v8}) or null
 * @param memoryMb     total memory in MiB
 * @param kernel       kernel release ({@code uname -r})
 * @param os           operating system pretty name
 * @param agentVersion version of the Fleetlet agent
 * @param capabilities what the board offers to apps: {@code runtime:runc}, {@code cgroup:v2}, {@code i2c}, {@code gpio}, ...
 */
public record HardwareFacts(String serial, String model, String arch, String variant, long memoryMb, String kernel,
                            String os, String agentVersion, List<String> capabilities) {

    public HardwareFacts {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }
}
