package dev.fleetlet.agent.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.config.AgentConfig;
import dev.fleetlet.agent.config.AgentConfigException;
import dev.fleetlet.agent.events.EventPublisher;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.DeviceEvent;
import java.util.function.Supplier;

/**
 * {@code reload-config}: re-reads and validates the agent configuration file. Invalid →
 * {@code error}/{@code invalid-config} with every problem (each names its key) and the agent keeps running
 * on the configuration it has. Valid → the file becomes the last-known-good copy, an
 * {@code agent.config_reloaded} event is raised and the result says whether it differs from the running
 * configuration; the running components keep their settings until the agent restarts
 * ({@code restartRequired: true}, e.g. via {@code restart-agent}).
 */
public final class ReloadConfigHandler implements CommandHandler {

    /** Loads and validates the configuration file (and stores it as last-known-good when valid). */
    @FunctionalInterface
    public interface ConfigSource {
        /** @throws AgentConfigException naming every invalid key */
        AgentConfig load();
    }

    private final ObjectMapper mapper;
    private final ConfigSource source;
    private final Supplier<AgentConfig> running;
    private final EventPublisher events;

    public ReloadConfigHandler(ObjectMapper mapper, ConfigSource source, Supplier<AgentConfig> running,
                               EventPublisher events) {
        this.mapper = mapper;
        this.source = source;
        this.running = running;
        this.events = events;
    }

    @Override
    public CommandOutcome handle(CommandRequest request) {
        AgentConfig loaded;
        try {
            loaded = source.load();
        } catch (AgentConfigException e) {
            return CommandOutcome.error("invalid-config", String.join("; ", e.problems())
                    + " (the agent keeps running with its current configuration)");
        }
        boolean changed = !loaded.equals(running.get());
        events.raise(DeviceEvent.Type.CONFIG_RELOADED, null, null, changed
                ? "configuration file is valid and changed; takes effect at the next agent restart"
                : "configuration file is valid and unchanged");
        return CommandOutcome.ok(mapper.createObjectNode().put("valid", true).put("changed", changed)
                .put("restartRequired", changed));
    }
}
