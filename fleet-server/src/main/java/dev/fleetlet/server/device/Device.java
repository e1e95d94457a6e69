package dev.fleetlet.server.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device as the registry knows it. Contains no credential material.
 *
 * @param id               server-assigned id, also the MQTT client id and user name
 * @param serial           hardware serial, unique
 * @param name             display name, the serial unless renamed
 * @param fleet            the fleet of the provisioning token it enrolled with
 * @param status           online, offline or decommissioned
 * @param labels           key=value labels (Kubernetes syntax), sorted by key
 * @param hardware         facts from enrollment and the latest birth message
 * @param lastSeen         last connect or disconnect the broker reported, or null
 * @param offlineReason    why it went offline last, or null
 * @param enrolledAt       first enrollment
 * @param updatedAt        last change of the record
 * @param decommissionedAt when it was decommissioned, or null
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Device(String id, String serial, String name, String fleet, DeviceStatus status, Map<String, String> labels,
                     DeviceHardware hardware, Instant lastSeen, String offlineReason, Instant enrolledAt,
                     Instant updatedAt, Instant decommissionedAt) {

    public Device {
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    public boolean decommissioned() {
        return status == DeviceStatus.DECOMMISSIONED;
    }

    public boolean online() {
        return status == DeviceStatus.ONLINE;
    }
}
