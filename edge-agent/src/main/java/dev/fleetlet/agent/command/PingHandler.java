package dev.fleetlet.agent.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetlet.agent.clock.ClockStatus;
import dev.fleetlet.protocol.message.CommandRequest;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.LongSupplier;

/** {@code ping}: device time, uptime in seconds, agent version and whether the clock is synchronised. */
public final class PingHandler implements CommandHandler {

    private final ObjectMapper mapper;
    private final Clock clock;
    private final ClockStatus clockStatus;
    private final LongSupplier uptimeSeconds;
    private final String agentVersion;

    public PingHandler(ObjectMapper mapper, Clock clock, ClockStatus clockStatus, LongSupplier uptimeSeconds,
                       String agentVersion) {
        this.mapper = mapper;
        this.clock = clock;
        this.clockStatus = clockStatus;
        this.uptimeSeconds = uptimeSeconds;
        this.agentVersion = agentVersion;
    }

    /** The board's uptime from {@code <fsRoot>/proc/uptime}; the JVM's uptime when that is unreadable. */
    public static LongSupplier systemUptime(Path fsRoot) {
        Path file = fsRoot.resolve("proc/uptime");
        return () -> {
            try {
                String first = Files.readString(file).strip().split("\\s+")[0];
                return (long) Double.parseDouble(first);
            } catch (IOException | RuntimeException e) {
                return ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
            }
        };
    }

    @Override
    public CommandOutcome handle(CommandRequest request) {
        ObjectNode result = mapper.createObjectNode();
        result.put("deviceTime", clock.instant().toString());
        result.put("uptimeSeconds", uptimeSeconds.getAsLong());
        result.put("agentVersion", agentVersion);
        result.put("clockSynced", clockStatus.synced());
        return CommandOutcome.ok(result);
    }
}
