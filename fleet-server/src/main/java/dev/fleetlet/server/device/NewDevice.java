package dev.fleetlet.server.device;

import java.time.Instant;
import java.util.Map;

/** What the enrollment hands the registry to create a device; {@code secretHash} is the salted slow hash. */
public record NewDevice(String id, String serial, String name, String fleet, Map<String, String> labels,
                        DeviceHardware hardware, String secretHash, Instant enrolledAt) {

    public NewDevice {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    @Override
    public String toString() {
        return "NewDevice[id=" + id + ", serial=" + serial + ", fleet=" + fleet + "]";
    }
}
