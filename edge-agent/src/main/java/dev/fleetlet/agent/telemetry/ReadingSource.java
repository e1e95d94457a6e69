package dev.fleetlet.agent.telemetry;

import dev.fleetlet.protocol.message.Reading;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where readings come from: the device-drivers sampler (through an adapter such as
 * {@link DriverReadings}) or a test. Pushes readings to the sink from its own thread.
 */
public interface ReadingSource extends AutoCloseable {

    /** Starts delivering; every call of {@code sink} carries the readings of one sampling round. */
    void start(Consumer<List<Reading>> sink);

    /** Stops delivering. */
    @Override
    void close();
}
