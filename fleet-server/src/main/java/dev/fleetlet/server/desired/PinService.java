package dev.fleetlet.server.desired;

import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import dev.fleetlet.server.db.Jdbc;
import dev.fleetlet.server.device.Device;
import dev.fleetlet.server.device.DeviceRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Device pins ({@code device_pins}). Pinning stores the pin and assigns the pinned release's desired state
 * at once (config kept); unpinning only removes the pin (the device keeps running what it runs until a
 * rollout takes it). Rollout targeting reads pins from the same table.
 */
public class PinService {

    private final Jdbc jdbc;
    private final DeviceRepository devices;
    private final DesiredStateService desired;
    private final Clock clock;

    public PinService(Jdbc jdbc, DeviceRepository devices, DesiredStateService desired, Clock clock) {
        this.jdbc = jdbc;
        this.devices = devices;
        this.desired = desired;
        this.clock = clock;
    }

    /**
     * Pins {@code deviceId} to {@code releaseId} and assigns it.
     *
     * @throws ApiException 404 for an unknown device, 409 for a decommissioned one, 400 naming
     *     {@code releaseId} when it is missing or unknown
     */
    public DevicePin pin(String deviceId, String releaseId, String actor) {
        Device d = devices.find(deviceId).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no device " + deviceId));
        if (d.decommissioned()) {
            throw new ApiException(ErrorCode.CONFLICT, "device " + deviceId + " is decommissioned");
        }
        if (releaseId == null || releaseId.isBlank()) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "releaseId", "is required");
        }
        try {
            desired.release(releaseId);
        } catch (IllegalArgumentException e) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "releaseId", "unknown release " + releaseId);
        }
        Instant now = clock.instant();
        jdbc.tx(c -> {
            if (Jdbc.update(c, "UPDATE device_pins SET release_id = ?, pinned_by = ?, pinned_at = ? WHERE device_id = ?",
                    releaseId, actor, now, deviceId) == 0) {
                Jdbc.update(c, "INSERT INTO device_pins (device_id, release_id, pinned_by, pinned_at) VALUES (?, ?, ?, ?)",
                        deviceId, releaseId, actor, now);
            }
            return null;
        });
        desired.assign(deviceId, releaseId, null, "pinned by " + actor);
        return new DevicePin(deviceId, releaseId, actor, now);
    }

    /** Removes a pin; returns whether there was one. @throws ApiException 404 for an unknown device */
    public boolean unpin(String deviceId) {
        devices.find(deviceId).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND, "no device " + deviceId));
        return jdbc.update("DELETE FROM device_pins WHERE device_id = ?", deviceId) > 0;
    }

    /** The pin of a device. */
    public Optional<DevicePin> find(String deviceId) {
        return jdbc.queryOne("SELECT device_id, release_id, pinned_by, pinned_at FROM device_pins WHERE device_id = ?",
                rs -> new DevicePin(rs.getString(1), rs.getString(2), rs.getString(3), Jdbc.instant(rs, "pinned_at")),
                deviceId);
    }

    /** Every pin, device id to release id. */
    public Map<String, String> all() {
        Map<String, String> out = new java.util.HashMap<>();
        jdbc.query("SELECT device_id, release_id FROM device_pins", rs -> out.put(rs.getString(1), rs.getString(2)));
        return out;
    }
}
