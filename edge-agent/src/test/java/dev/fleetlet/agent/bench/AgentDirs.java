package dev.fleetlet.agent.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The files of one benchmark device: a filesystem root with its own {@code /etc/machine-id} (the
 * hardware serial), a provisioning file, a data dir and an {@code agent.yml} with three simulated sensors
 * sampled at 1 Hz and batches sent every second.
 */
record AgentDirs(Path root, Path data, Path provisioning, Path config) {

    static AgentDirs create(Path dir, URI server, String token) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root/etc"));
        Files.writeString(root.resolve("machine-id"), UUID.randomUUID().toString().replace("-", "") + "\n");
        Path data = Files.createDirectories(dir.resolve("data"));
        Path provisioning = Files.writeString(dir.resolve("provisioning.json"),
                "{\"serverUrl\":\"" + server + "\",\"token\":\"" + token + "\"}\n");
        Path config = Files.writeString(dir.resolve("agent.yml"), """
                agent:
                  dataDir: %1$s
                  provisioningFile: %2$s
                  fsRoot: %3$s
                telemetry:
                  batchInterval: 1s
                hardware:
                  board:
                    type: simulated
                    dataDir: %1$s
                  sensors:
                    - { type: bme280, name: greenhouse, bus: 1, address: 0x76, interval: 1s }
                    - { type: sht3x, name: cellar, bus: 1, address: 0x44, interval: 1s }
                    - { type: ads1115, name: soil, bus: 1, address: 0x48, interval: 1s }
                """.formatted(data, provisioning, dir.resolve("root")));
        return new AgentDirs(dir.resolve("root"), data, provisioning, config);
    }
}
