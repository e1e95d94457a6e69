package dev.fleetlet.server.broker;

import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.ReportedState;
import java.time.Instant;

/**
 * Where the broker hands every valid reported state ({@code state/reported}) and device event
 * ({@code events}) whose {@code deviceId} matches the publishing client. Implemented by the desired-state
 * feature (storage, SSE, rollout observations).
 *
 * <p>Both methods run on broker threads: they must not block (enqueue and return) and never throw. The
 * publish is acknowledged independently of what the sink does; a sink that is full drops and counts.
 */
public interface DeviceStateSink {

    /** A sink that ignores everything, for a broker without the rollout feature. */
    DeviceStateSink NONE = new DeviceStateSink() {
        @Override
        public void reported(ReportedState state, Instant receivedAt) {
        }

        @Override
        public void event(DeviceEvent event, Instant receivedAt) {
        }
    };

    /** A device's reported state; {@code receivedAt} is server time. */
    void reported(ReportedState state, Instant receivedAt);

    /** A device event; {@code receivedAt} is server time. */
    void event(DeviceEvent event, Instant receivedAt);
}
