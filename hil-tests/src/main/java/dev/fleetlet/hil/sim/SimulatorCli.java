package dev.fleetlet.hil.sim;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line of the fleet simulator: {@code java -cp hil-tests.jar dev.fleetlet.hil.sim.SimulatorCli
 * --server http://localhost:8080 --token TOKEN --devices 100}. Runs until Ctrl-C (or {@code --duration}),
 * logging the counters every {@code --report-every}. Exit code 2 for bad options.
 */
@Command(name = "fleet-simulator", mixinStandardHelpOptions = true,
        description = "Simulates many Fleetlet devices speaking the real protocol to a fleet server or a bare broker.")
public final class SimulatorCli implements java.util.concurrent.Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(SimulatorCli.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--server", description = "Fleet server HTTP base URI; omit to skip enrollment (bare broker).")
    URI server;

    @Option(names = "--token", description = "Provisioning token (required with --server).")
    String token;

    @Option(names = "--mqtt-host", description = "MQTT host (default: the one the enrollment answer names).")
    String mqttHost;

    @Option(names = "--mqtt-port", defaultValue = "0", description = "MQTT port (default: from the enrollment answer).")
    int mqttPort;

    @Option(names = "--devices", defaultValue = "25", description = "Number of devices (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--first-serial", defaultValue = "1", description = "Number of the first serial SIM-nnnnnn.")
    int firstSerial;

    @Option(names = "--interval", defaultValue = "PT5S", description = "Telemetry interval, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--readings", defaultValue = "6", description = "Readings per batch (default ${DEFAULT-VALUE}).")
    int readings;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the signals.")
    long seed;

    @Option(names = "--connect-concurrency", defaultValue = "200", description = "Connects in flight at once.")
    int connectConcurrency;

    @Option(names = "--enroll-concurrency", defaultValue = "16", description = "Enrollments in flight at once.")
    int enrollConcurrency;

    @Option(names = "--netty-threads", defaultValue = "2", description = "Threads of the shared Netty event loop.")
    int nettyThreads;

    @Option(names = "--failing", defaultValue = "0", description = "Share of devices (0..1) that roll back every new release, e.g. 0.01.")
    double failing;

    @Option(names = "--silent", defaultValue = "0", description = "Share of devices (0..1) that never answer a desired state, e.g. 0.005.")
    double silent;

    @Option(names = "--slow", defaultValue = "0", description = "Share of devices (0..1) that apply --slow-factor times slower.")
    double slow;

    @Option(names = "--apply-delay-min", defaultValue = "PT0.5S", description = "Shortest apply time, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration applyDelayMin;

    @Option(names = "--apply-delay-max", defaultValue = "PT2S", description = "Longest apply time, ISO-8601 (default ${DEFAULT-VALUE}).")
    Duration applyDelayMax;

    @Option(names = "--slow-factor", defaultValue = "5", description = "Apply time multiplier of slow devices (default ${DEFAULT-VALUE}).")
    double slowFactor;

    @Option(names = "--initial-release", description = "Release id every device reports running at its first connect.")
    String initialRelease;

    @Option(names = "--duration", description = "Stop after this long, ISO-8601 (default: run until Ctrl-C).")
    Duration duration;

    @Option(names = "--report-every", defaultValue = "PT10S", description = "How often to log the counters.")
    Duration reportEvery;

    /** Builds the config from the options; throws {@link IllegalArgumentException} naming bad fields. */
    SimulatorConfig config() {
        SimulatorConfig base = server != null ? SimulatorConfig.enrolling(server, token)
                : SimulatorConfig.direct(mqttHost, mqttPort);
        if (server != null && (mqttHost != null || mqttPort != 0)) {
            base = base.withMqtt(mqttHost, mqttPort);
        }
        return base.withDevices(devices).withFirstSerial(firstSerial).withTelemetry(interval, readings).withSeed(seed)
                .withConcurrency(enrollConcurrency, connectConcurrency, nettyThreads)
                .withReleases(new ReleaseBehaviour(failing, silent, slow, applyDelayMin, applyDelayMax, slowFactor,
                        initialRelease));
    }

    @Override
    public Integer call() throws Exception {
        SimulatorConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        CountDownLatch done = new CountDownLatch(1);
        FleetSimulator simulator = new FleetSimulator(config, Clock.systemUTC());
        Thread hook = new Thread(() -> {
            simulator.close();
            done.countDown();
        }, "sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-report");
            t.setDaemon(true);
            return t;
        });
        reporter.scheduleAtFixedRate(() -> log.info("simulator counters {}", simulator.counters().snapshot()),
                reportEvery.toMillis(), reportEvery.toMillis(), TimeUnit.MILLISECONDS);
        simulator.start();
        if (duration != null) {
            done.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            Runtime.getRuntime().removeShutdownHook(hook);
            simulator.close();
        } else {
            done.await();
        }
        reporter.shutdownNow();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SimulatorCli()).execute(args));
    }
}
