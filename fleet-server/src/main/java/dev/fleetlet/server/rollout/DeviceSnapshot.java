package dev.fleetlet.server.rollout;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What targeting needs to know about one device, read from the registry when a rollout is created or
 * explained.
 *
 * @param id             device id
 * @param labels         its labels
 * @param arch           CPU architecture as the agent reported it ({@code arm64}, {@code armhf}, ...), or null if unknown
 * @param memoryMb       RAM in MiB as reported, or null if unknown
 * @param pinnedRelease  release the device is pinned to (overrides every rollout), or null
 * @param currentRelease release it runs now, or null for none
 * @param online         connected right now
 * @param lastSeen       last connect/disconnect, or null
 * @param decommissioned credentials revoked for good
 */
public record DeviceSnapshot(String id, Map<String, String> labels, String arch, Long memoryMb, String pinnedRelease,
                             String currentRelease, boolean online, Instant lastSeen, boolean decommissioned) {

    public DeviceSnapshot {
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }
}
