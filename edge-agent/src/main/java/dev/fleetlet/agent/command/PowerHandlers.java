package dev.fleetlet.agent.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.protocol.message.CommandRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code reboot} and {@code restart-agent}: answer {@code ok} first, act after the response went out
 * (docs/protocol.md). A reboot command that fails is logged; the response has already been sent.
 */
public final class PowerHandlers {

    private static final Logger log = LoggerFactory.getLogger(PowerHandlers.class);

    private final ObjectMapper mapper;
    private final SystemActions actions;

    public PowerHandlers(ObjectMapper mapper, SystemActions actions) {
        this.mapper = mapper;
        this.actions = actions;
    }

    public CommandHandler reboot() {
        return (CommandRequest request) -> CommandOutcome.okThen(mapper.createObjectNode().put("rebooting", true), () -> {
            try {
                actions.reboot();
            } catch (Exception e) {
                log.error("reboot command failed id={} error={}", request.id(), e.toString());
            }
        });
    }

    public CommandHandler restartAgent() {
        return (CommandRequest request) -> CommandOutcome.okThen(mapper.createObjectNode().put("restarting", true),
                actions::exitForRestart);
    }
}
