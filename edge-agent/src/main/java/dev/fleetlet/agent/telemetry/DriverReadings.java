package dev.fleetlet.agent.telemetry;

import dev.fleetlet.drivers.Quality;
import dev.fleetlet.protocol.message.Reading;

/** Converts a device-drivers reading to the wire record (NaN of a failed reading becomes no value). */
public final class DriverReadings {

    private DriverReadings() {
    }

    public static Reading toProtocol(dev.fleetlet.drivers.Reading r) {
        Quality q = r.quality();
        Reading.Quality quality = q instanceof Quality.Failed ? Reading.Quality.FAILED
                : q instanceof Quality.Suspect ? Reading.Quality.SUSPECT : Reading.Quality.OK;
        Double value = Double.isFinite(r.value()) ? r.value() : null;
        if (value == null && quality != Reading.Quality.FAILED) {
            return new Reading(r.sensor(), r.quantity(), r.unit(), null, r.timestamp(), Reading.Quality.FAILED,
                    "not a finite number");
        }
        return new Reading(r.sensor(), r.quantity(), r.unit(), value, r.timestamp(), quality, q.reason());
    }
}
