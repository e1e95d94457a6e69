package dev.fleetlet.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.agent.fakes.FakePublisher;
import dev.fleetlet.agent.logging.LogRing;
import dev.fleetlet.protocol.Topics;
import dev.fleetlet.protocol.codec.MessageType;
import dev.fleetlet.protocol.codec.ProtocolCodec;
import dev.fleetlet.protocol.message.CommandRequest;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.LogChunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogsHandlerTest {

    private static final ProtocolCodec CODEC = new ProtocolCodec();
    private static final String DEVICE = "pi-logs-01";
    private static final Instant T = Instant.parse("2025-03-14T11:00:00Z");

    @TempDir
    Path dir;

    private final FakePublisher publisher = new FakePublisher();

    /** Service logs of a fixed release: service name to log directory. */
    private static ServiceLogs release(Map<String, Path> dirs) {
        return new ServiceLogs() {
            @Override
            public List<String> services() {
                return List.copyOf(new java.util.TreeMap<>(dirs).keySet());
            }

            @Override
            public Optional<Path> logDir(String service) {
                return Optional.ofNullable(dirs.get(service));
            }
        };
    }

    private LogsHandler handler(ServiceLogs logs) {
        return new LogsHandler(DEVICE, new LogRing(100, 1 << 16), publisher, CODEC, logs);
    }

    private static CommandRequest logs(String id, String args) throws Exception {
        JsonNode a = CODEC.mapper().readTree(args);
        return new CommandRequest(1, id, "logs", a, T, 30_000);
    }

    private static void write(Path file, String text, Instant modified) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    @Test
    void streamsTheTailOfAServiceContainersLogFilesOldestSegmentFirst() throws Exception {
        // given: a rotated stdout segment, the current stdout and a stderr written in between
        Path logs = Files.createDirectories(dir.resolve("sampler-logs"));
        write(logs.resolve("stdout.log.1"), "boot 1\nboot 2\n", T.minusSeconds(300));
        write(logs.resolve("stderr.log"), "bme280 read retry 1/3\n", T.minusSeconds(200));
        write(logs.resolve("stdout.log"), "sampled t=21.4\nsampled t=21.5\n" + "x".repeat(9000) + "\n", T.minusSeconds(100));
        LogsHandler handler = handler(release(Map.of("sampler", logs)));
        // when: the last 5 lines are asked for
        CommandOutcome outcome = handler.handle(logs("c-1", "{\"source\":\"sampler\",\"lines\":5}"));
        outcome.after().run();
        // then: answered ok with the chunk count, then the lines oldest first, marked with the service and stream
        assertThat(outcome.status()).isEqualTo(CommandResponse.Status.OK);
        List<LogChunk> chunks = publisher.decoded(Topics.logs(DEVICE), MessageType.LOG_CHUNK, CODEC);
        assertThat(chunks).hasSize(outcome.result().get("chunks").asInt()).hasSize(1);
        assertThat(chunks.get(0).last()).isTrue();
        List<LogChunk.Line> lines = chunks.get(0).lines();
        assertThat(lines).extracting(l -> l.text().length() > 100 ? "long" : l.text())
                .containsExactly("boot 2", "bme280 read retry 1/3", "sampled t=21.4", "sampled t=21.5", "long");
        assertThat(lines).extracting(LogChunk.Line::source).containsOnly("sampler");
        assertThat(lines).extracting(LogChunk.Line::level).containsExactly("info", "error", "info", "info", "info");
        assertThat(lines.get(0).ts()).isEqualTo(T.minusSeconds(300));
        assertThat(lines.get(4).text()).hasSize(8192);
    }

    @Test
    void skipsSegmentsLastWrittenBeforeSince() throws Exception {
        // given
        Path logs = Files.createDirectories(dir.resolve("web-logs"));
        write(logs.resolve("stdout.log.1"), "old\n", T.minusSeconds(3600));
        write(logs.resolve("stdout.log"), "new\n", T);
        LogsHandler handler = handler(release(Map.of("web", logs)));
        // when
        CommandOutcome outcome = handler.handle(logs("c-2", "{\"source\":\"web\",\"since\":\"2025-03-14T10:30:00Z\"}"));
        outcome.after().run();
        // then
        List<LogChunk> chunks = publisher.decoded(Topics.logs(DEVICE), MessageType.LOG_CHUNK, CODEC);
        assertThat(chunks.get(0).lines()).extracting(LogChunk.Line::text).containsExactly("new");
    }

    @Test
    void rejectsAServiceThatIsNotInTheRunningReleaseNamingTheKnownOnes() throws Exception {
        // given
        LogsHandler handler = handler(release(Map.of("sampler", dir, "web", dir)));
        // when
        CommandOutcome outcome = handler.handle(logs("c-3", "{\"source\":\"db\"}"));
        // then
        assertThat(outcome.status()).isEqualTo(CommandResponse.Status.REJECTED);
        assertThat(outcome.errorCode()).isEqualTo("bad-args");
        assertThat(outcome.errorMessage()).isEqualTo("source: unknown source 'db', expected 'agent' or a service of the "
                + "running release: sampler, web");
        assertThat(publisher.sent()).isEmpty();
    }

    @Test
    void sendsOneEmptyLastChunkForAServiceThatHasNotWrittenAnything() throws Exception {
        // given: the container's logs directory does not exist yet
        LogsHandler handler = handler(release(Map.of("sampler", dir.resolve("missing"))));
        // when
        CommandOutcome outcome = handler.handle(logs("c-4", "{\"source\":\"sampler\"}"));
        outcome.after().run();
        // then
        List<LogChunk> chunks = publisher.decoded(Topics.logs(DEVICE), MessageType.LOG_CHUNK, CODEC);
        assertThat(chunks).hasSize(1);
        assertThat(chunks.get(0).lines()).isEmpty();
        assertThat(chunks.get(0).last()).isTrue();
    }

    @Test
    void findsTheLogDirectoryOfAServiceOfTheRunningRelease() throws Exception {
        // given: a release of app "greenhouse" with services sampler and web
        JsonNode spec = CODEC.mapper().readTree("{\"name\":\"greenhouse\",\"services\":{\"sampler\":{\"image\":"
                + "\"registry.example/sampler@sha256:" + "a".repeat(64) + "\"},\"web\":{\"image\":\"registry.example/web@sha256:"
                + "b".repeat(64) + "\"}}}");
        dev.fleetlet.protocol.message.Release r = new dev.fleetlet.protocol.message.Release("greenhouse@1.2", "greenhouse",
                "1.2", spec);
        ServiceLogs logs = ServiceLogs.ofRelease(() -> r, dir);
        // then
        assertThat(logs.services()).containsExactlyInAnyOrder("sampler", "web");
        assertThat(logs.logDir("sampler")).contains(dir.resolve(
                dev.fleetlet.agent.release.ContainerSpecs.containerId("greenhouse", "sampler", "greenhouse@1.2")).resolve("logs"));
        assertThat(logs.logDir("db")).isEmpty();
        assertThat(ServiceLogs.ofRelease(() -> null, dir).services()).isEmpty();
    }
}
