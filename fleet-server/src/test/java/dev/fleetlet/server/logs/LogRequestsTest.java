package dev.fleetlet.server.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.LogChunk;
import dev.fleetlet.server.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LogRequestsTest {

    private static final Instant T0 = Instant.parse("2025-03-14T11:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(T0);

    private LogRequests requests(int maxRequests, long maxBytes, long maxRequestBytes) {
        return new LogRequests(clock, maxRequests, maxBytes, maxRequestBytes, Duration.ofMinutes(10));
    }

    private static LogChunk chunk(String device, String request, int n, boolean last, String... texts) {
        return new LogChunk(1, device, request, n, last,
                java.util.Arrays.stream(texts).map(t -> new LogChunk.Line(T0, "agent", "info", t)).toList());
    }

    private static CommandResponse ok(int chunks) {
        return new CommandResponse(1, "r", CommandResponse.Status.OK, T0, JsonNodeFactory.instance.objectNode()
                .put("chunks", chunks), null);
    }

    private static List<String> texts(LogRequest r) {
        return r.chunks().stream().flatMap(c -> c.lines().stream()).map(LogRequest.Line::text).toList();
    }

    @Test
    void assemblesChunksArrivingOutOfOrderAndCompletesAtTheLastOne() {
        // given
        LogRequests requests = requests(10, 1 << 20, 1 << 16);
        requests.start("r1", "dev-a", "agent", 200, TIMEOUT);
        // when: chunk 1 (last) overtakes chunk 0, and the command answer comes after both
        requests.chunk(chunk("dev-a", "r1", 1, true, "c", "d"), T0);
        assertThat(requests.get("dev-a", "r1").orElseThrow().complete()).isFalse();
        requests.chunk(chunk("dev-a", "r1", 0, false, "a", "b"), T0);
        requests.answered("r1", ok(2));
        // then
        LogRequest r = requests.get("dev-a", "r1").orElseThrow();
        assertThat(r.complete()).isTrue();
        assertThat(r.state()).isEqualTo(LogRequest.State.COMPLETE);
        assertThat(r.expectedChunks()).isEqualTo(2);
        assertThat(texts(r)).containsExactly("a", "b", "c", "d");
    }

    @Test
    void ignoresARedeliveredChunkAndChunksOfAnotherDevice() {
        // given
        LogRequests requests = requests(10, 1 << 20, 1 << 16);
        requests.start("r1", "dev-a", "agent", 200, TIMEOUT);
        // when
        requests.chunk(chunk("dev-a", "r1", 0, false, "a"), T0);
        requests.chunk(chunk("dev-a", "r1", 0, false, "a"), T0);
        requests.chunk(chunk("dev-b", "r1", 1, true, "forged"), T0);
        // then
        LogRequest r = requests.get("dev-a", "r1").orElseThrow();
        assertThat(texts(r)).containsExactly("a");
        assertThat(r.complete()).isFalse();
        assertThat(r.state()).isEqualTo(LogRequest.State.STREAMING);
        assertThat(requests.get("dev-b", "r1")).as("another device cannot read it either").isEmpty();
    }

    @Test
    void recordsTheDevicesRefusalWithItsReason() {
        // given
        LogRequests requests = requests(10, 1 << 20, 1 << 16);
        requests.start("r1", "dev-a", "db", 200, TIMEOUT);
        // when
        requests.answered("r1", new CommandResponse(1, "r1", CommandResponse.Status.REJECTED, T0, null,
                new CommandResponse.ErrorInfo("bad-args", "source: unknown source 'db'")));
        // then
        LogRequest r = requests.get("dev-a", "r1").orElseThrow();
        assertThat(r.state()).isEqualTo(LogRequest.State.FAILED);
        assertThat(r.error()).isEqualTo(new LogRequest.Failure("bad-args", "source: unknown source 'db'"));
        assertThat(r.complete()).isFalse();
    }

    @Test
    void expiresARequestWhoseLastChunkDoesNotArriveWithinTheTimeoutPlusSixtySeconds() {
        // given
        LogRequests requests = requests(10, 1 << 20, 1 << 16);
        requests.start("r1", "dev-a", "agent", 200, TIMEOUT);
        requests.start("r2", "dev-a", "agent", 200, TIMEOUT);
        requests.answered("r1", ok(2));
        requests.chunk(chunk("dev-a", "r1", 0, false, "a"), T0);
        // when: 89 s pass, then 91 s
        clock.set(T0.plusSeconds(89));
        assertThat(requests.get("dev-a", "r1").orElseThrow().state()).isEqualTo(LogRequest.State.STREAMING);
        clock.set(T0.plusSeconds(91));
        // then: the started one expired with what it had, the unanswered one failed
        LogRequest r1 = requests.get("dev-a", "r1").orElseThrow();
        assertThat(r1.state()).isEqualTo(LogRequest.State.EXPIRED);
        assertThat(texts(r1)).containsExactly("a");
        assertThat(requests.get("dev-a", "r2").orElseThrow().error().code()).isEqualTo("timeout");
        // and a late chunk changes nothing; both are forgotten 10 minutes later
        requests.chunk(chunk("dev-a", "r1", 1, true, "b"), T0);
        assertThat(requests.get("dev-a", "r1").orElseThrow().state()).isEqualTo(LogRequest.State.EXPIRED);
        clock.set(T0.plusSeconds(91 + 601));
        assertThat(requests.get("dev-a", "r1")).isEmpty();
        assertThat(requests.bytesHeld()).isZero();
    }

    @Test
    void truncatesARequestBeyondItsByteBoundButStillCompletesIt() {
        // given: 1 KiB per request (each 100-character line counts 264 bytes)
        LogRequests requests = requests(10, 1 << 20, 1024);
        requests.start("r1", "dev-a", "agent", 200, TIMEOUT);
        // when
        requests.chunk(chunk("dev-a", "r1", 0, true, IntStream.range(0, 10).mapToObj(i -> i + "x".repeat(99))
                .toArray(String[]::new)), T0);
        // then
        LogRequest r = requests.get("dev-a", "r1").orElseThrow();
        assertThat(r.complete()).isTrue();
        assertThat(r.truncated()).isTrue();
        assertThat(texts(r)).hasSize(3);
        assertThat(requests.bytesHeld()).isLessThanOrEqualTo(1024);
    }

    @Test
    void dropsFinishedRequestsOldestFirstWhenFullAndRefusesWhenAllAreUnfinished() {
        // given: room for two requests
        LogRequests requests = requests(2, 1 << 20, 1 << 16);
        requests.start("r1", "dev-a", "agent", 200, TIMEOUT);
        requests.chunk(chunk("dev-a", "r1", 0, true, "done"), T0);
        requests.start("r2", "dev-a", "agent", 200, TIMEOUT);
        // when: a third arrives, the finished r1 makes room
        requests.start("r3", "dev-a", "agent", 200, TIMEOUT);
        // then
        assertThat(requests.get("dev-a", "r1")).isEmpty();
        assertThat(requests.get("dev-a", "r2")).isPresent();
        assertThatThrownBy(() -> requests.start("r4", "dev-a", "agent", 200, TIMEOUT))
                .isInstanceOf(LogRequests.FullException.class).hasMessageContaining("too many log requests");
    }

    @Test
    void refusesBoundsThatCannotWork() {
        assertThatThrownBy(() -> requests(0, 1 << 20, 1 << 16)).hasMessageContaining("fleetlet.logs.max-requests");
        assertThatThrownBy(() -> requests(10, 1024, 1 << 16)).hasMessageContaining("fleetlet.logs.max-request-bytes");
    }
}
