package dev.fleetlet.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandsConfigTest {

    private final AgentConfigLoader loader = new AgentConfigLoader();

    @Test
    void defaultsToSystemctlRebootExitCode75AndNoIdentifyLed() {
        AgentConfig.Commands c = loader.parse("").commands();

        assertThat(c.rebootCommand()).containsExactly("systemctl", "reboot");
        assertThat(c.restartExitCode()).isEqualTo(75);
        assertThat(c.identifyLed()).isEmpty();
    }

    @Test
    void readsTheCommandsSection() {
        AgentConfig.Commands c = loader.parse("""
                commands: { rebootCommand: "/sbin/shutdown -r now", restartExitCode: 3, identifyLed: status-led }
                """).commands();

        assertThat(c.rebootCommand()).isEqualTo(List.of("/sbin/shutdown", "-r", "now"));
        assertThat(c.restartExitCode()).isEqualTo(3);
        assertThat(c.identifyLed()).isEqualTo(Optional.of("status-led"));
    }

    @Test
    void namesTheBadCommandsKeys() {
        assertThatThrownBy(() -> loader.parse("commands: { restartExitCode: 0, rebootCommand: '', blink: yes }"))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "commands.blink: unknown key, expected one of [identifyLed, rebootCommand, restartExitCode]",
                        "commands.rebootCommand: expected a non-empty string, got ''",
                        "commands.restartExitCode: expected an integer from 1 to 255, got number 0"));
    }
}
