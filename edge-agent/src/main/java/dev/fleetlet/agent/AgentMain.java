package dev.fleetlet.agent;

import dev.fleetlet.agent.backoff.Backoff;
import dev.fleetlet.agent.clock.ClockStatus;
import dev.fleetlet.agent.command.CommandDispatcher;
import dev.fleetlet.agent.command.CommandOutcome;
import dev.fleetlet.agent.command.HostSystemActions;
import dev.fleetlet.agent.command.IdentifyHandler;
import dev.fleetlet.agent.command.LogsHandler;
import dev.fleetlet.agent.command.PingHandler;
import dev.fleetlet.agent.command.PowerHandlers;
import dev.fleetlet.agent.command.ReloadConfigHandler;
import dev.fleetlet.agent.command.ServiceLogs;
import dev.fleetlet.agent.config.AgentConfig;
import dev.fleetlet.agent.config.AgentConfigException;
import dev.fleetlet.agent.config.AgentConfigLoader;
import dev.fleetlet.agent.config.Provisioning;
import dev.fleetlet.agent.config.ProvisioningLoader;
import dev.fleetlet.agent.enroll.CredentialStore;
import dev.fleetlet.agent.enroll.DeviceCredentials;
import dev.fleetlet.agent.enroll.EnrollmentClient;
import dev.fleetlet.agent.enroll.DeviceKey;
import dev.fleetlet.agent.enroll.Enroller;
import dev.fleetlet.agent.enroll.HardwareProbe;
import dev.fleetlet.agent.enroll.Sleeper;
import dev.fleetlet.agent.events.EventPublisher;
import dev.fleetlet.agent.events.EventSequence;
import dev.fleetlet.agent.health.PeriodicHealthReport;
import dev.fleetlet.agent.health.SystemHealthReader;
import dev.fleetlet.agent.logging.LogCapture;
import dev.fleetlet.agent.logging.LogRing;
import dev.fleetlet.agent.mqtt.MqttSession;
import dev.fleetlet.agent.mqtt.SessionSettings;
import dev.fleetlet.agent.queue.StoreAndForwardQueue;
import dev.fleetlet.agent.state.AppliedStateStore;
import dev.fleetlet.agent.state.ConfigOverlay;
import dev.fleetlet.agent.state.DesiredStateStore;
import dev.fleetlet.agent.release.ContainerReleaseRuntime;
import dev.fleetlet.agent.release.ContainerReleases;
import dev.fleetlet.agent.state.Executor;
import dev.fleetlet.agent.state.ReleaseRuntime;
import dev.fleetlet.agent.state.StateReconciler;
import dev.fleetlet.agent.state.StateReporter;
import dev.fleetlet.agent.state.StepJournal;
import dev.fleetlet.agent.telemetry.ReadingSource;
import dev.fleetlet.agent.telemetry.SamplerReadingSource;
import dev.fleetlet.agent.telemetry.TelemetryBatcher;
import dev.fleetlet.agent.telemetry.TelemetryPublisher;
import dev.fleetlet.agent.systemd.ServiceNotifier;
import dev.fleetlet.agent.systemd.SystemdNotifier;
import dev.fleetlet.agent.tls.TrustedCa;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.CommandName;
import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.HardwareFacts;
import dev.fleetlet.protocol.message.Presence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent process: {@code java -jar edge-agent.jar --config /etc/fleetlet/agent.yaml}.
 *
 * <p>Wiring, in order: configuration (last-known-good fallback) → provisioning file → hardware serial →
 * enrollment (blocks until accepted; skipped when credentials are stored) → telemetry queue → MQTT
 * session (own reconnect loop) → telemetry publisher (drains the queue on every connect) → batcher fed by
 * the board's sampler; desired state (reconciled from the persisted copy at startup, before the broker is
 * reachable) and commands routed from the session by {@link MessageRouter}. Standard error is captured
 * into an in-memory ring for the {@code logs} command before the first log line. A shutdown hook flushes
 * the batch, publishes the shutdown presence and closes the queue. systemd is told about each stage by
 * {@link ServiceLifecycle} ({@code READY=1} right after the configuration is loaded, before enrollment;
 * {@code STATUS=}; a health-gated {@code WATCHDOG=1}; {@code STOPPING=1} from its own shutdown hook).
 * Exit codes: 0 normal stop, 2 bad
 * arguments or configuration, 3 no hardware serial, {@code commands.restartExitCode} (75) restart-agent.
 */
public final class AgentMain {

    private static final Logger log = LoggerFactory.getLogger(AgentMain.class);

    private AgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        LogRing logRing = LogCapture.install(Clock.systemUTC());
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            if ("--config".equals(args[i]) && i + 1 < args.length) {
                configFile = Path.of(args[++i]);
            }
        }
        if (configFile == null) {
            log.error("usage: java -jar edge-agent.jar --config <agent.yaml>");
            System.exit(2);
        }
        AgentConfig config;
        try {
            config = new AgentConfigLoader().loadOrLastGood(configFile).config();
        } catch (AgentConfigException e) {
            log.error("cannot start: {}", e.getMessage());
            System.exit(2);
            return;
        }
        run(configFile, config, Clock.systemUTC(), logRing, SystemdNotifier.fromEnvironment());
    }

    static void run(Path configFile, AgentConfig config, Clock clock, LogRing logRing, ServiceNotifier notifier)
            throws InterruptedException {
        // READY=1 now, before the enrollment loop (which may wait hours for an operator): see README "The unit"
        ServiceLifecycle lifecycle = new ServiceLifecycle(notifier, clock);
        lifecycle.configured();
        // The board and its drivers (Pi4J, ~0.2 s of CPU) are opened on their own thread while enrollment, the queue
        // and the MQTT session are set up, and joined only once the session is connecting: the first sample is
        // then taken as early as it can be (time to first telemetry, docs/benchmarks.md "agent")
        CompletableFuture<Optional<SamplerReadingSource>> sourceOpening = openSourceInBackground(config, clock);
        // its own hook, registered now, so a stop during enrollment is announced too; it runs alongside
        // "agent-shutdown" and only waits for the message to be sent
        Runtime.getRuntime().addShutdownHook(new Thread(lifecycle::stopping, "systemd-stopping"));
        // Outgoing payloads are built from the agent's own records: checked structurally, not against the
        // JSON Schema, so the validator library is loaded only when an inbound payload (enrollment answer,
        // desired state, command) is decoded. Measured in README "Footprint".
        ProtocolCodec codec = new ProtocolCodec(ProtocolCodec.SenderCheck.STRUCTURAL);
        String version = Optional.ofNullable(AgentMain.class.getPackage().getImplementationVersion()).orElse("0.1.0");
        HardwareProbe probe = new HardwareProbe(config.fsRoot(), version, System.getProperty("os.arch"));
        String serial = probe.serial().orElse(null);
        if (serial == null) {
            log.error("cannot start: no hardware serial (device-tree serial-number, /proc/cpuinfo Serial, "
                    + "/etc/machine-id) under fsRoot={}", config.fsRoot());
            System.exit(3);
        }
        HardwareFacts facts = probe.facts(serial);
        Optional<Provisioning> provisioning = Files.exists(config.provisioningFile())
                ? Optional.of(new ProvisioningLoader().load(config.provisioningFile())) : Optional.empty();
        Optional<SSLContext> tls = provisioning.flatMap(Provisioning::caCertificatePem).map(TrustedCa::sslContext);
        CredentialStore store = new CredentialStore(config.dataDir(), new SecureRandom());
        DeviceKey deviceKey = config.enrollment().credential() == AgentConfig.Credential.CERTIFICATE
                ? new DeviceKey(config.dataDir()) : null;
        DeviceCredentials creds = store.load().orElse(null);
        if (creds == null || deviceKey != null && deviceKey.chain().isEmpty()) {
            Provisioning p = provisioning.orElseThrow(() -> new AgentConfigException("provisioning file",
                    java.util.List.of("(file): " + config.provisioningFile() + " is needed for the first enrollment")));
            lifecycle.enrolling();
            EnrollmentClient client = new EnrollmentClient(config.server().url().orElse(p.serverUrl()), tls,
                    config.server().requestTimeout(), codec);
            creds = new Enroller(store, client, p.token(), facts,
                    Backoff.withJitter(Duration.ofSeconds(1), config.server().retryMaxDelay()), Enroller.REFUSED_RETRY,
                    Sleeper.system(), deviceKey).credentials();
        }
        Optional<SSLContext> mqttTls = tls;
        if (deviceKey != null) {
            mqttTls = Optional.of(TrustedCa.sslContext(provisioning.flatMap(Provisioning::caCertificatePem),
                    deviceKey.keyManagers()));
            if (!"ssl".equals(config.mqtt().uri().orElse(creds.mqttUri()).getScheme())) {
                log.warn("enrollment.credential=certificate needs an ssl:// broker URI; the password is used instead uri={}",
                        config.mqtt().uri().orElse(creds.mqttUri()));
            }
        }
        String deviceId = creds.deviceId();
        ClockStatus clockStatus = ClockStatus.systemd(config.fsRoot());
        String bootId = probe.bootId();

        StoreAndForwardQueue queue = StoreAndForwardQueue.open(config.dataDir().resolve("telemetry-queue"),
                config.queue(), clock);
        AgentConfig.Mqtt m = config.mqtt();
        SessionSettings settings = new SessionSettings(m.uri().orElse(creds.mqttUri()), deviceId, creds.secret(), mqttTls,
                m.keepAlive(), m.sessionExpiry(), Duration.ofSeconds(30), m.stableAfter(), config.telemetry().inFlight(),
                () -> codec.encode(MessageType.PRESENCE,
                        Presence.birth(deviceId, clock.instant(), clockStatus.synced(), bootId, facts)),
                () -> codec.encode(MessageType.PRESENCE,
                        Presence.death(deviceId, clock.instant(), clockStatus.synced(), bootId, "connection-lost")),
                () -> codec.encode(MessageType.PRESENCE,
                        Presence.death(deviceId, clock.instant(), clockStatus.synced(), bootId, "shutdown")));
        MqttSession session = new MqttSession(settings, Backoff.withJitter(m.reconnectInitial(), m.reconnectMax()));

        Path stateDir = config.dataDir().resolve("state");
        EventPublisher events = new EventPublisher(deviceId, session, codec,
                new EventSequence(stateDir.resolve("event-seq")), clock);
        ReleaseRuntime releases = ContainerReleases.open(config.dataDir(), config.fsRoot(), config.releases(),
                config.containers(), clock);
        SystemHealthReader systemHealth = new SystemHealthReader(config.fsRoot(), config.dataDir());
        StateReporter reporter = new StateReporter(deviceId, session, codec, clock, systemHealth::read);
        ConfigOverlay overlay = new ConfigOverlay(stateDir, codec.mapper());
        AppliedStateStore applied = new AppliedStateStore(stateDir, codec.mapper());
        StepJournal journal = new StepJournal(stateDir, codec.mapper());
        StateReconciler reconciler = new StateReconciler(deviceId, codec, new DesiredStateStore(stateDir, deviceId, codec),
                applied, journal, new Executor(releases, overlay, applied, journal, events, reporter, clock), reporter,
                events, releases);
        TelemetryPublisher publisher = new TelemetryPublisher(deviceId, session, queue);
        session.addListener(publisher);
        session.addListener(lifecycle);
        TelemetryBatcher batcher = new TelemetryBatcher(deviceId, queue, codec, clockStatus, clock,
                config.telemetry().batchSize(), publisher::wake);

        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-timer");
            t.setDaemon(true);
            return t;
        });
        PeriodicHealthReport healthReport = new PeriodicHealthReport(reporter, releases::services,
                systemHealth::read, clock);
        // one wake-up for all chores due together (AgentTimer); the progress beat last, after the work it vouches for
        AgentTimer chores = new AgentTimer(timer)
                .every(config.telemetry().batchInterval(), "batch-flush", batcher::flush)
                .every(Duration.ofSeconds(5), "queue-sync", queue::maybeSync)
                .every(PeriodicHealthReport.SAMPLE_INTERVAL, "health-sample", healthReport::tick)
                .every(ServiceLifecycle.BEAT_PERIOD, "progress-beat", lifecycle::beat);

        AgentConfig.Commands cc = config.commands();
        CommandDispatcher commands = new CommandDispatcher(deviceId, version, session, codec, events, clock, clockStatus);
        PowerHandlers power = new PowerHandlers(codec.mapper(),
                new HostSystemActions(cc.rebootCommand(), cc.restartExitCode()));
        commands.register(CommandName.PING, new PingHandler(codec.mapper(), clock, clockStatus,
                        PingHandler.systemUptime(config.fsRoot()), version))
                .register(CommandName.REBOOT, power.reboot())
                .register(CommandName.RESTART_AGENT, power.restartAgent())
                .register(CommandName.IDENTIFY, new IdentifyHandler(codec.mapper(),
                        () -> overlay.get("identify.led").or(cc::identifyLed),
                        name -> sourceOpening.join().map(s -> s.actuators().get(name)), timer))
                .register(CommandName.LOGS, new LogsHandler(deviceId, logRing, session, codec,
                        releases instanceof ContainerReleaseRuntime running // the runc runtime's containers root
                                ? ServiceLogs.ofRelease(running::current, config.dataDir().resolve("containers/containers"))
                                : ServiceLogs.NONE))
                .register(CommandName.RELOAD_CONFIG, new ReloadConfigHandler(codec.mapper(),
                        () -> new AgentConfigLoader().load(configFile), () -> config, events))
                .register(CommandName.RESTART_SERVICE, request -> CommandOutcome.error("not-available",
                        "restart-service: " + ReleaseRuntime.UNAVAILABLE_REASON));
        session.addListener(new MessageRouter(deviceId, reconciler, commands));

        events.raise(DeviceEvent.Type.AGENT_STARTED, null, null, "agent " + version + " started");
        reconciler.start(); // acts on the persisted desired state now, whether or not the broker is reachable
        publisher.start();
        lifecycle.running(deviceId, List.of("telemetry-publisher", "state-reconciler"));
        chores.start();
        session.start();
        Optional<SamplerReadingSource> source = joinSource(sourceOpening);
        if (source.isEmpty()) {
            log.warn("no hardware section in the configuration: no sensors are sampled");
        }
        source.ifPresent(s -> s.start(batcher::add));
        log.info("agent running deviceId={} serial={} stream={} version={}", deviceId, serial, queue.streamId(), version);

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("agent stopping deviceId={}", deviceId);
            commands.close();
            reconciler.close();
            source.ifPresent(ReadingSource::close);
            timer.shutdownNow();
            batcher.flush();
            publisher.close();
            session.close();
            queue.close();
        }, "agent-shutdown"));
        Thread.currentThread().join();
    }

    /** Opens the board's reading source (if the configuration has a hardware section) on a thread of its own. */
    private static CompletableFuture<Optional<SamplerReadingSource>> openSourceInBackground(AgentConfig config,
                                                                                           Clock clock) {
        return CompletableFuture.supplyAsync(() -> config.hardwareYaml().map(y -> SamplerReadingSource.open(y, clock)),
                task -> {
                    Thread t = new Thread(task, "sampler-open");
                    t.setDaemon(true);
                    t.start();
                });
    }

    /** The opened source; a failure to open it is rethrown as it was thrown (as if opened on this thread). */
    private static Optional<SamplerReadingSource> joinSource(CompletableFuture<Optional<SamplerReadingSource>> opening) {
        try {
            return opening.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
