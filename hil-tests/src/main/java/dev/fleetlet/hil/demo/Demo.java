package dev.fleetlet.hil.demo;

import dev.fleetlet.hil.server.FleetAdminClient;
import dev.fleetlet.hil.server.InProcessServer;
import dev.fleetlet.hil.sim.FleetSimulator;
import dev.fleetlet.hil.sim.ReleaseBehaviour;
import dev.fleetlet.hil.sim.SimulatorConfig;
import dev.fleetlet.protocol.TopicKind;
import dev.fleetlet.protocol.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Quick-start demo ({@code ./dev demo}): the fleet server in this JVM with its data under
 * {@code ./data/demo}, a provisioning token and a read-only MQTT service account made through the
 * operator API, and a simulated fleet (25 devices by default) enrolling with that token and sending
 * telemetry. Two releases of a small app ({@code demo-app} 1.0 and 1.1, images served by a
 * {@link LoopbackRegistry}) are created; the devices start on 1.0 and, once they are up, a rollout to 1.1
 * (canary of one device, then two waves) runs so the dashboard and the API show one. Logs where to look and
 * how to log in, then runs until Ctrl-C.
 *
 * <p>The admin password is the server's: generated on the first run into
 * {@code <data-dir>/initial-admin-password}, or {@code --admin-password} when the data dir already
 * has users and that file is gone. The service account secret is a demo credential and is printed.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs a Fleetlet fleet server with a simulated fleet on this machine.")
public final class Demo implements Callable<Integer> {

    static {
        // before the first logger: the server's logging configuration, not the broker jar's logback.xml
        InProcessServer.useFleetletLogging();
    }

    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    static final String READER_ACCOUNT = "svc-demo-reader";

    @Option(names = "--devices", defaultValue = "25", description = "Simulated devices (default ${DEFAULT-VALUE}).")
    int devices;

    @Option(names = "--data-dir", defaultValue = "data/demo", description = "Server data dir (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP port (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--mqtt-port", defaultValue = "1883", description = "MQTT port (default ${DEFAULT-VALUE}).")
    int mqttPort;

    @Option(names = "--interval", defaultValue = "PT5S", description = "Telemetry interval per device (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--readings", defaultValue = "6", description = "Readings per batch (default ${DEFAULT-VALUE}).")
    int readings;

    @Option(names = "--admin-password", description = "Admin password, when the data dir's initial-admin-password file is gone.")
    String adminPassword;

    @Option(names = "--registry-port", defaultValue = "5055",
            description = "Port of the demo's loopback image registry; a free one when taken (default ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--no-rollout", description = "Do not create the demo releases and rollout.")
    boolean noRollout;

    /** Extra server configuration (tests lower the PBKDF2 cost with it). */
    Map<String, Object> serverProperties = Map.of();

    /** What a started demo is made of; closing it stops the fleet, then the server. */
    record Running(InProcessServer server, FleetSimulator simulator, FleetAdminClient.Issued reader,
                   String adminPasswordSource, FleetAdminClient admin, DemoReleases releases,
                   LoopbackRegistry registry) implements AutoCloseable {
        @Override
        public void close() {
            simulator.close();
            server.close();
            registry.close();
        }
    }

    /** Starts server, credentials and fleet; throws with a clear message when a step fails. */
    Running start() {
        SimulatorConfig.direct("localhost", 1).withDevices(devices).withTelemetry(interval, readings); // validates options
        InProcessServer server = InProcessServer.start(dataDir, httpPort, mqttPort, serverProperties);
        LoopbackRegistry registry = LoopbackRegistry.start(registryPort);
        try {
            String source = dataDir.resolve("initial-admin-password").toString();
            String password = server.initialAdminPassword().orElse(null);
            if (password == null) {
                password = adminPassword;
                source = "--admin-password";
            }
            if (password == null) {
                throw new IllegalStateException("no admin password: " + dataDir.resolve("initial-admin-password")
                        + " does not exist; pass --admin-password or remove " + dataDir + " to start afresh");
            }
            FleetAdminClient admin = new FleetAdminClient(server.httpUri(), "admin", password);
            FleetAdminClient.Issued token = admin.createProvisioningToken("demo", "fleet simulator of the demo", null);
            admin.deleteServiceAccount(READER_ACCOUNT);
            FleetAdminClient.Issued reader = admin.createServiceAccount(READER_ACCOUNT, "demo-only telemetry reader");
            DemoReleases releases = DemoReleases.create(admin, registry, Clock.systemUTC());
            SimulatorConfig config = SimulatorConfig.enrolling(server.httpUri(), token.secret())
                    .withMqtt("127.0.0.1", server.mqttPort())
                    .withDevices(devices)
                    .withTelemetry(interval, readings)
                    .withReleases(ReleaseBehaviour.allHealthy().withInitialRelease(releases.base()));
            FleetSimulator simulator = new FleetSimulator(config, Clock.systemUTC());
            simulator.start();
            return new Running(server, simulator, reader, source, admin, releases, registry);
        } catch (RuntimeException e) {
            server.close();
            registry.close();
            throw e;
        }
    }

    /** The lines shown once everything runs, without a rollout. */
    static String banner(Running running, int devices) {
        return banner(running, devices, null);
    }

    /** The lines shown once everything runs; {@code rolloutId} null when no rollout was started. */
    static String banner(Running running, int devices, String rolloutId) {
        int http = running.server().httpPort();
        int mqtt = running.server().mqttPort();
        return String.join(System.lineSeparator(),
                "",
                "  Fleetlet demo is running: fleet server + " + devices + " simulated devices.",
                "",
                "  Dashboard / API   http://localhost:" + http + "/   (devices: http://localhost:" + http + "/api/v1/devices)",
                "  Log in            user 'admin', password in " + running.adminPasswordSource(),
                "                    e.g. curl -u admin:$(cat " + running.adminPasswordSource() + ") http://localhost:" + http
                        + "/api/v1/devices?status=online",
                "  Live telemetry    mosquitto_sub -V mqttv5 -h localhost -p " + mqtt + " -i " + running.reader().name()
                        + " -u " + running.reader().name()
                        + " -P '" + running.reader().secret() + "' -t '" + Topics.allDevices(TopicKind.TELEMETRY) + "' -v",
                "                    (demo-only read-only service account '" + running.reader().name() + "')",
                rolloutId == null ? "  Rollout           none (see docs/rollouts.md)"
                        : "  Rollout           " + running.releases().base() + " -> " + running.releases().next()
                        + ": http://localhost:" + http + "/api/v1/rollouts/" + rolloutId
                        + "   (audit: .../audit, devices: .../devices)",
                "  Data              " + running.server().dataDir().toAbsolutePath(),
                "",
                "  Press Ctrl-C to stop.",
                "");
    }

    @Override
    public Integer call() throws InterruptedException {
        Running running;
        try {
            running = start();
        } catch (RuntimeException e) {
            log.error("demo could not start: {}", e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("demo stopping");
            running.close();
            stopped.countDown();
        }, "demo-shutdown"));
        try {
            running.simulator().start().get(2, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("not every simulated device is up yet counters={}", running.simulator().counters().snapshot());
        }
        String rolloutId = null;
        if (!noRollout) {
            try {
                rolloutId = running.releases().startRollout(running.admin(), devices, Duration.ofSeconds(20));
            } catch (RuntimeException e) {
                log.warn("demo rollout not started error={}", e.getMessage());
            }
        }
        log.info("{}", banner(running, devices, rolloutId));
        while (!stopped.await(60, TimeUnit.SECONDS)) {
            log.info("demo fleet counters={}", running.simulator().counters().snapshot());
        }
        return 0;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Demo()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
