package dev.fleetlet.drivers.gpio;

import com.pi4j.context.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Releasing Pi4J IOs without letting a shutdown error escape a {@code close()}. */
final class Pins {

    private static final Logger log = LoggerFactory.getLogger(Pins.class);

    private Pins() {
    }

    static void release(Context context, String id) {
        try {
            if (!context.isShutdown() && context.registry().exists(id)) {
                context.shutdown(id);
            }
        } catch (RuntimeException e) {
            log.warn("pin release failed id={} error={}", id, e.toString());
        }
    }
}
