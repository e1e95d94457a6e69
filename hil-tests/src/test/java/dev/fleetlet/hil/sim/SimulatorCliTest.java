package dev.fleetlet.hil.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimulatorCliTest {

    @Test
    void optionsBecomeTheSimulatorConfig() {
        SimulatorCli cli = new SimulatorCli();
        new CommandLine(cli).parseArgs("--server", "http://localhost:8080", "--token", "t0k", "--devices", "7",
                "--interval", "PT2S", "--readings", "9", "--mqtt-host", "127.0.0.1", "--mqtt-port", "1884");
        SimulatorConfig config = cli.config();
        assertThat(config.serverUri()).isEqualTo(URI.create("http://localhost:8080"));
        assertThat(config.devices()).isEqualTo(7);
        assertThat(config.batchInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.readingsPerBatch()).isEqualTo(9);
        assertThat(config.mqttHost()).isEqualTo("127.0.0.1");
        assertThat(config.mqttPort()).isEqualTo(1884);
    }

    @Test
    void releaseBehaviourOptionsBecomeTheProfilesFractionsAndApplyTime() {
        // given
        SimulatorCli cli = new SimulatorCli();
        new CommandLine(cli).parseArgs("--mqtt-host", "h", "--mqtt-port", "1", "--failing", "0.01", "--silent", "0.005",
                "--slow", "0.02", "--apply-delay-min", "PT1S", "--apply-delay-max", "PT3S", "--initial-release", "app-1.0");
        // when
        ReleaseBehaviour releases = cli.config().releases();
        // then
        assertThat(releases.failingFraction()).isEqualTo(0.01);
        assertThat(releases.silentFraction()).isEqualTo(0.005);
        assertThat(releases.slowFraction()).isEqualTo(0.02);
        assertThat(releases.applyDelayMin()).isEqualTo(Duration.ofSeconds(1));
        assertThat(releases.applyDelayMax()).isEqualTo(Duration.ofSeconds(3));
        assertThat(releases.initialRelease()).isEqualTo("app-1.0");
    }

    @Test
    void aFractionAboveOneExitsWithUsageErrorNamingTheField() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new SimulatorCli()).setErr(new PrintWriter(err))
                .execute("--mqtt-host", "h", "--mqtt-port", "1", "--failing", "1.5");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("failingFraction");
    }

    @Test
    void aServerWithoutTokenExitsWithUsageErrorNamingTheField() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new SimulatorCli()).setErr(new PrintWriter(err))
                .execute("--server", "http://localhost:8080");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("provisioningToken");
    }

    @Test
    void aBadIntervalIsRefusedByTheParser() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new SimulatorCli()).setErr(new PrintWriter(err))
                .execute("--mqtt-host", "h", "--mqtt-port", "1", "--interval", "five seconds");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--interval");
    }
}
