package dev.fleetlet.agent.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.agent.config.AgentConfig;
import dev.fleetlet.agent.config.AgentConfigLoader;
import dev.fleetlet.agent.events.EventPublisher;
import dev.fleetlet.agent.events.EventSequence;
import dev.fleetlet.agent.fakes.FakePublisher;
import dev.fleetlet.drivers.testing.MutableClock;
import dev.fleetlet.agent.logging.LogRing;
import dev.fleetlet.agent.mqtt.IncomingMessage;
import dev.fleetlet.agent.mqtt.OutgoingMessage;
import dev.fleetlet.drivers.ActuatorCommand;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.CommandName;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.DeviceEvent;
import dev.fleetlet.protocol.message.LogChunk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandDispatcherTest {

    private static final ProtocolCodec CODEC = new ProtocolCodec();
    private static final String DEVICE = "pi-test-01";
    private static final String RES = Topics.commandResponses(DEVICE);
    private static final Instant NOW = Instant.parse("2025-03-14T11:00:00.100Z");

    @TempDir
    Path dir;

    private final FakePublisher publisher = new FakePublisher();
    private final MutableClock clock = new MutableClock(NOW);
    private final List<String> system = new CopyOnWriteArrayList<>();
    private final AtomicBoolean synced = new AtomicBoolean(true);
    private final FakeActuator led = new FakeActuator();
    private final AtomicReference<Optional<String>> ledName = new AtomicReference<>(Optional.of("status-led"));
    private final LogRing ring = new LogRing(5000, 1 << 20);
    private ScheduledExecutorService scheduler;
    private Path configFile;
    private CommandDispatcher dispatcher;

    @BeforeEach
    void setUp() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        configFile = dir.resolve("agent.yaml");
        Files.writeString(configFile, "agent: { dataDir: " + dir.resolve("data") + " }\n");
        AgentConfig running = new AgentConfigLoader().load(configFile);
        EventPublisher events = new EventPublisher(DEVICE, publisher, CODEC, new EventSequence(dir.resolve("seq")), clock);
        SystemActions actions = new SystemActions() {
            @Override
            public void reboot() {
                system.add("reboot after " + publisher.on(RES).size() + " response(s)");
            }

            @Override
            public void exitForRestart() {
                system.add("exit after " + publisher.on(RES).size() + " response(s)");
            }
        };
        PowerHandlers power = new PowerHandlers(CODEC.mapper(), actions);
        dispatcher = new CommandDispatcher(DEVICE, "0.1.0", publisher, CODEC, events, clock, synced::get)
                .register(CommandName.PING, new PingHandler(CODEC.mapper(), clock, synced::get, () -> 86412, "0.1.0"))
                .register(CommandName.REBOOT, power.reboot())
                .register(CommandName.RESTART_AGENT, power.restartAgent())
                .register(CommandName.IDENTIFY, new IdentifyHandler(CODEC.mapper(), ledName::get,
                        name -> name.equals("status-led") ? Optional.of(led) : Optional.empty(), scheduler))
                .register(CommandName.LOGS, new LogsHandler(DEVICE, ring, publisher, CODEC))
                .register(CommandName.RELOAD_CONFIG, new ReloadConfigHandler(CODEC.mapper(),
                        () -> new AgentConfigLoader().load(configFile), () -> running, events));
    }

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
        dispatcher.close();
    }

    @Test
    void answersPingOnTheOwnResponseTopicWithTheRequestsCorrelationData() {
        // when
        dispatcher.handle(request("c-1", "ping", null, "corr-1"));
        // then
        OutgoingMessage out = publisher.on(RES).get(0);
        assertThat(new String(out.correlationData(), StandardCharsets.UTF_8)).isEqualTo("corr-1");
        assertThat(out.qos()).isEqualTo(1);
        assertThat(out.retained()).isFalse();
        CommandResponse r = response(0);
        assertThat(r.id()).isEqualTo("c-1");
        assertThat(r.status()).isEqualTo(CommandResponse.Status.OK);
        assertThat(r.result().get("deviceTime").asText()).isEqualTo(NOW.toString());
        assertThat(r.result().get("uptimeSeconds").asLong()).isEqualTo(86412);
        assertThat(r.result().get("agentVersion").asText()).isEqualTo("0.1.0");
        assertThat(r.result().get("clockSynced").asBoolean()).isTrue();
    }

    @Test
    void rejectsAnUnknownCommandWithAnEvent() {
        // when
        dispatcher.handle(request("c-2", "factory-reset", null, "c-2"));
        // then
        CommandResponse r = response(0);
        assertThat(r.status()).isEqualTo(CommandResponse.Status.REJECTED);
        assertThat(r.error().code()).isEqualTo("unknown-command");
        assertThat(r.error().message()).isEqualTo("command 'factory-reset' is not supported by agent 0.1.0");
        assertThat(events()).extracting(DeviceEvent::type).containsExactly(DeviceEvent.Type.COMMAND_REJECTED);
    }

    @Test
    void rejectsAMalformedRequestWithItsCorrelationDataAndTheField() {
        // given
        String bad = "{\"v\":1,\"id\":\"c-3\",\"command\":\"ping\",\"issuedAt\":\"2025-03-14T11:00:00Z\","
                + "\"timeoutMs\":\"soon\"}";
        // when
        dispatcher.handle(new IncomingMessage(Topics.commandRequests(DEVICE), bad.getBytes(StandardCharsets.UTF_8),
                false, RES, "corr-3".getBytes(StandardCharsets.UTF_8)));
        // then
        CommandResponse r = response(0);
        assertThat(r.id()).isEqualTo("c-3");
        assertThat(r.status()).isEqualTo(CommandResponse.Status.REJECTED);
        assertThat(r.error().code()).isEqualTo("bad-request");
        assertThat(r.error().message()).contains("/timeoutMs");
        assertThat(new String(publisher.on(RES).get(0).correlationData(), StandardCharsets.UTF_8)).isEqualTo("corr-3");
        assertThat(events()).extracting(DeviceEvent::type).containsExactly(DeviceEvent.Type.COMMAND_REJECTED);
    }

    @Test
    void rejectsNotJsonAtAllUsingTheCorrelationDataAsId() {
        // when
        dispatcher.handle(new IncomingMessage(Topics.commandRequests(DEVICE), "\u0000\u0001".getBytes(
                StandardCharsets.UTF_8), false, RES, "cmd-77".getBytes(StandardCharsets.UTF_8)));
        // then
        assertThat(response(0).id()).isEqualTo("cmd-77");
        assertThat(response(0).error().code()).isEqualTo("bad-request");
    }

    @Test
    void onlyRaisesAnEventWhenARequestCarriesNoIdAtAll() {
        // when
        dispatcher.handle(new IncomingMessage(Topics.commandRequests(DEVICE), "nope".getBytes(StandardCharsets.UTF_8),
                false, null, null));
        // then
        assertThat(publisher.on(RES)).isEmpty();
        assertThat(events()).extracting(DeviceEvent::type).containsExactly(DeviceEvent.Type.COMMAND_REJECTED);
    }

    @Test
    void rejectsAnOversizedRequestBeforeParsingIt() {
        // given
        byte[] huge = new byte[16 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        // when
        dispatcher.handle(new IncomingMessage(Topics.commandRequests(DEVICE), huge, false, RES,
                "c-4".getBytes(StandardCharsets.UTF_8)));
        // then
        assertThat(response(0).error().code()).isEqualTo("too-large");
        assertThat(response(0).error().message()).contains("16385 bytes, limit is 16384");
    }

    @Test
    void rejectsAnExpiredCommandWhenTheClockIsSynchronised() {
        // given
        clock.set(Instant.parse("2025-03-14T11:00:10.001Z"));
        // when
        dispatcher.handle(request("c-5", "reboot", null, "c-5"));
        // then
        assertThat(response(0).status()).isEqualTo(CommandResponse.Status.REJECTED);
        assertThat(response(0).error().code()).isEqualTo("expired");
        assertThat(system).isEmpty();
    }

    @Test
    void runsALateCommandWhenTheClockIsNotSynchronised() {
        // given: a board clock that may be years off must not expire everything
        synced.set(false);
        clock.set(Instant.parse("2031-01-01T00:00:00Z"));
        // when
        dispatcher.handle(request("c-6", "ping", null, "c-6"));
        // then
        assertThat(response(0).status()).isEqualTo(CommandResponse.Status.OK);
        assertThat(response(0).result().get("clockSynced").asBoolean()).isFalse();
    }

    @Test
    void answersARebootFirstThenRebootsAndNeverTwiceOnRedelivery() {
        // when
        dispatcher.handle(request("c-7", "reboot", null, "c-7"));
        dispatcher.handle(request("c-7", "reboot", null, "c-7"));
        // then
        assertThat(system).containsExactly("reboot after 1 response(s)");
        assertThat(publisher.on(RES)).hasSize(2);
        assertThat(publisher.on(RES).get(1).payload()).isEqualTo(publisher.on(RES).get(0).payload());
        assertThat(response(0).status()).isEqualTo(CommandResponse.Status.OK);
    }

    @Test
    void answersRestartAgentFirstThenExits() {
        // when
        dispatcher.handle(request("c-8", "restart-agent", null, "c-8"));
        // then
        assertThat(system).containsExactly("exit after 1 response(s)");
    }

    @Test
    void blinksTheIdentifyLedForTheRequestedSecondsAndRestoresIt() {
        // when
        dispatcher.handle(request("c-9", "identify", "{\"seconds\":1}", "c-9"));
        // then
        assertThat(response(0).status()).isEqualTo(CommandResponse.Status.OK);
        assertThat(response(0).result().get("led").asText()).isEqualTo("status-led");
        await().atMost(Duration.ofSeconds(3)).until(() -> led.commands.stream()
                .filter(c -> c instanceof ActuatorCommand.Toggle).count() >= 3);
        await().atMost(Duration.ofSeconds(3)).until(() -> led.commands.get(led.commands.size() - 1)
                instanceof ActuatorCommand.Off);
        assertThat(led.isOn()).isFalse();
    }

    @Test
    void answersNoIdentifyLedWhenNoneIsConfigured() {
        // given
        ledName.set(Optional.empty());
        // when
        dispatcher.handle(request("c-10", "identify", null, "c-10"));
        // then
        assertThat(response(0).status()).isEqualTo(CommandResponse.Status.ERROR);
        assertThat(response(0).error().code()).isEqualTo("no-identify-led");
        assertThat(led.commands).isEmpty();
    }

    @Test
    void rejectsIdentifyWithBadSecondsNamingTheArgument() {
        // when
        dispatcher.handle(request("c-11", "identify", "{\"seconds\":\"ten\"}", "c-11"));
        // then
        assertThat(response(0).error().code()).isEqualTo("bad-args");
        assertThat(response(0).error().message()).startsWith("seconds: expected an integer from 1 to 300");
    }

    @Test
    void streamsRecentAgentLogLinesInChunksAfterAnsweringWithTheCount() {
        // given
        for (int i = 0; i < 1500; i++) {
            ring.add(NOW.minusSeconds(2000 - i), i % 2 == 0 ? "info" : "warn", "line " + i);
        }
        // when
        dispatcher.handle(request("c-12", "logs", "{\"source\":\"agent\",\"lines\":1200}", "c-12"));
        // then
        List<LogChunk> chunks = publisher.decoded(Topics.logs(DEVICE), MessageType.LOG_CHUNK, CODEC);
        int n = response(0).result().get("chunks").asInt();
        assertThat(n).isGreaterThan(1);
        assertThat(chunks).hasSize(n);
        assertThat(chunks).extracting(LogChunk::chunk).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, n).boxed().toList());
        assertThat(chunks).filteredOn(LogChunk::last).containsExactly(chunks.get(n - 1));
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.requestId()).isEqualTo("c-12");
            assertThat(c.lines().size()).isBetween(1, 1000);
        });
        List<String> texts = chunks.stream().flatMap(c -> c.lines().stream()).map(LogChunk.Line::text).toList();
        assertThat(texts).hasSize(1200);
        assertThat(texts.get(0)).isEqualTo("line 300");
        assertThat(texts.get(1199)).isEqualTo("line 1499");
        assertThat(chunks.get(0).lines().get(1).level()).isEqualTo("warn");
        int responseIndex = publisher.sent().indexOf(publisher.on(RES).get(0));
        int firstChunk = publisher.sent().indexOf(publisher.on(Topics.logs(DEVICE)).get(0));
        assertThat(responseIndex).as("answer first, then the chunks").isLessThan(firstChunk);
    }

    @Test
    void splitsLogChunksThatWouldExceedTheSizeLimit() {
        // given: 20 lines of 8,192 characters need several 64 KiB chunks
        for (int i = 0; i < 20; i++) {
            ring.add(NOW, "info", String.valueOf((char) ('a' + i)).repeat(8192));
        }
        // when
        dispatcher.handle(request("c-13", "logs", "{\"lines\":20}", "c-13"));
        // then
        List<LogChunk> chunks = publisher.decoded(Topics.logs(DEVICE), MessageType.LOG_CHUNK, CODEC);
        assertThat(chunks.size()).isGreaterThan(2).isEqualTo(response(0).result().get("chunks").asInt());
        assertThat(chunks.stream().mapToInt(c -> c.lines().size()).sum()).isEqualTo(20);
        assertThat(publisher.on(Topics.logs(DEVICE))).allSatisfy(m -> assertThat(m.payload().length)
                .isLessThanOrEqualTo(64 * 1024));
    }

    @Test
    void sendsOneEmptyLastChunkWhenNoLineMatches() {
        // when
        dispatcher.handle(request("c-14", "logs", "{\"since\":\"2030-01-01T00:00:00Z\"}", "c-14"));
        // then
        List<LogChunk> chunks = publisher.decoded(Topics.logs(DEVICE), MessageType.LOG_CHUNK, CODEC);
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).last()).isTrue();
        assertThat(chunks.get(0).lines()).isEmpty();
    }

    @Test
    void rejectsLogsOfAnUnknownSource() {
        // when
        dispatcher.handle(request("c-15", "logs", "{\"source\":\"sampler\"}", "c-15"));
        // then
        assertThat(response(0).error().code()).isEqualTo("bad-args");
        assertThat(response(0).error().message()).startsWith("source: unknown source 'sampler'");
        assertThat(publisher.on(Topics.logs(DEVICE))).isEmpty();
    }

    @Test
    void reportsAnInvalidConfigFileNamingTheKeyAndKeepsRunning() throws Exception {
        // given
        Files.writeString(configFile, "telemetry: { batchSize: 0 }\n");
        // when
        dispatcher.handle(request("c-16", "reload-config", null, "c-16"));
        // then
        assertThat(response(0).status()).isEqualTo(CommandResponse.Status.ERROR);
        assertThat(response(0).error().code()).isEqualTo("invalid-config");
        assertThat(response(0).error().message()).contains("telemetry.batchSize");
        dispatcher.handle(request("c-17", "ping", null, "c-17"));
        assertThat(response(1).status()).isEqualTo(CommandResponse.Status.OK);
    }

    @Test
    void reloadsAValidConfigFileAndSaysARestartIsNeededWhenItChanged() throws Exception {
        // given
        Files.writeString(configFile, "agent: { dataDir: " + dir.resolve("data") + " }\ntelemetry: { batchSize: 50 }\n");
        // when
        dispatcher.handle(request("c-18", "reload-config", null, "c-18"));
        // then
        assertThat(response(0).status()).isEqualTo(CommandResponse.Status.OK);
        assertThat(response(0).result().get("changed").asBoolean()).isTrue();
        assertThat(response(0).result().get("restartRequired").asBoolean()).isTrue();
        assertThat(events()).extracting(DeviceEvent::type).containsExactly(DeviceEvent.Type.CONFIG_RELOADED);
    }

    @Test
    void answersOnTheOwnTopicWhenTheRequestNamesAForeignResponseTopic() {
        // when
        dispatcher.handle(new IncomingMessage(Topics.commandRequests(DEVICE), requestJson("c-19", "ping", null), false,
                Topics.commandResponses("pi-other-02"), "c-19".getBytes(StandardCharsets.UTF_8)));
        // then
        assertThat(publisher.sent()).extracting(OutgoingMessage::topic).containsExactly(RES);
    }

    @Test
    void answersAnUnregisteredKnownCommandAsUnknown() {
        // when
        dispatcher.handle(request("c-20", "restart-service", "{\"service\":\"x\"}", "c-20"));
        // then
        assertThat(response(0).error().code()).isEqualTo("unknown-command");
    }

    private IncomingMessage request(String id, String command, String args, String correlation) {
        return new IncomingMessage(Topics.commandRequests(DEVICE), requestJson(id, command, args), false, RES,
                correlation.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] requestJson(String id, String command, String args) {
        return ("{\"v\":1,\"id\":\"" + id + "\",\"command\":\"" + command + "\""
                + (args == null ? "" : ",\"args\":" + args)
                + ",\"issuedAt\":\"2025-03-14T11:00:00Z\",\"timeoutMs\":10000}").getBytes(StandardCharsets.UTF_8);
    }

    private CommandResponse response(int i) {
        return publisher.decoded(RES, MessageType.COMMAND_RESPONSE, CODEC).get(i);
    }

    private List<DeviceEvent> events() {
        return publisher.decoded(Topics.events(DEVICE), MessageType.EVENT, CODEC);
    }

}
