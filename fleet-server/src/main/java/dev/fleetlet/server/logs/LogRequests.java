package dev.fleetlet.server.logs;

import dev.fleetlet.protocol.message.CommandResponse;
import dev.fleetlet.protocol.message.LogChunk;
import dev.fleetlet.server.broker.LogChunkSink;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's memory of logs-on-demand requests: registered when the {@code logs} command is sent, updated by the
 * device's command answer and by the chunks the broker hands over ({@link LogChunkSink}), read by the API.
 *
 * <p>Bounds: at most {@code fleetlet.logs.max-requests} (256) requests and {@code fleetlet.logs.max-bytes}
 * (64 MiB, counted as two bytes per character plus a fixed overhead per line) in total; one request keeps at most
 * {@code fleetlet.logs.max-request-bytes} (8 MiB) and is marked {@code truncated} beyond it. When full, finished
 * requests are dropped oldest first; a new request is refused when every slot holds an unfinished one. Expiry: a
 * request still unfinished at its command timeout plus 60 s becomes {@code EXPIRED} (protocol: the server gives
 * up); a finished one is forgotten {@code fleetlet.logs.keep} (10 min) after its last change. Chunks for an unknown
 * or finished request, or from another device than the one asked, are dropped. Thread-safe (one lock; chunk rates
 * are low).
 */
@Singleton
public class LogRequests implements LogChunkSink {

    private static final Logger log = LoggerFactory.getLogger(LogRequests.class);
    static final Duration GRACE = Duration.ofSeconds(60);
    private static final int LINE_OVERHEAD = 64;

    /** A request is refused because every slot holds an unfinished request. */
    public static final class FullException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FullException(String message) {
            super(message);
        }
    }

    private static final class Entry {
        final String requestId;
        final String deviceId;
        final String source;
        final int lines;
        final Instant requestedAt;
        final Instant giveUpAt;
        final TreeMap<Integer, LogRequest.Chunk> chunks = new TreeMap<>();
        LogRequest.State state = LogRequest.State.PENDING;
        Integer expected;
        Integer lastChunk;
        boolean truncated;
        LogRequest.Failure error;
        Instant updatedAt;
        long bytes;

        Entry(String requestId, String deviceId, String source, int lines, Instant requestedAt, Instant giveUpAt) {
            this.requestId = requestId;
            this.deviceId = deviceId;
            this.source = source;
            this.lines = lines;
            this.requestedAt = requestedAt;
            this.giveUpAt = giveUpAt;
            this.updatedAt = requestedAt;
        }

        boolean finished() {
            return state == LogRequest.State.COMPLETE || state == LogRequest.State.FAILED
                    || state == LogRequest.State.EXPIRED;
        }

        LogRequest view() {
            return new LogRequest(requestId, deviceId, source, lines, state, state == LogRequest.State.COMPLETE,
                    expected, List.copyOf(chunks.values()), truncated, error, requestedAt, updatedAt);
        }
    }

    private final Clock clock;
    private final int maxRequests;
    private final long maxBytes;
    private final long maxRequestBytes;
    private final Duration keep;
    private final Map<String, Entry> requests = new LinkedHashMap<>();
    private long bytes;

    public LogRequests(Clock clock, @Value("${fleetlet.logs.max-requests:256}") int maxRequests,
                       @Value("${fleetlet.logs.max-bytes:67108864}") long maxBytes,
                       @Value("${fleetlet.logs.max-request-bytes:8388608}") long maxRequestBytes,
                       @Value("${fleetlet.logs.keep:10m}") Duration keep) {
        if (maxRequests < 1) {
            throw new IllegalArgumentException("fleetlet.logs.max-requests must be at least 1, was " + maxRequests);
        }
        if (maxRequestBytes < 1024 || maxBytes < maxRequestBytes) {
            throw new IllegalArgumentException("fleetlet.logs.max-request-bytes must be at least 1024 and at most "
                    + "fleetlet.logs.max-bytes, were " + maxRequestBytes + " and " + maxBytes);
        }
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("fleetlet.logs.keep must be positive, was " + keep);
        }
        this.clock = clock;
        this.maxRequests = maxRequests;
        this.maxBytes = maxBytes;
        this.maxRequestBytes = maxRequestBytes;
        this.keep = keep;
    }

    /**
     * Registers a request before its command is sent.
     *
     * @throws FullException when every slot holds an unfinished request
     */
    public synchronized LogRequest start(String requestId, String deviceId, String source, int lines, Duration timeout) {
        Instant now = clock.instant();
        sweep(now);
        if (requests.size() >= maxRequests && !evictFinished()) {
            throw new FullException("too many log requests in progress (" + maxRequests + "); try again later");
        }
        Entry e = new Entry(requestId, deviceId, source, lines, now, now.plus(timeout).plus(GRACE));
        requests.put(requestId, e);
        log.info("logs requested deviceId={} requestId={} source={} lines={}", deviceId, requestId, source, lines);
        return e.view();
    }

    /** The request as it stands, if known and asked of {@code deviceId}. */
    public synchronized Optional<LogRequest> get(String deviceId, String requestId) {
        sweep(clock.instant());
        Entry e = requests.get(requestId);
        return e == null || !e.deviceId.equals(deviceId) ? Optional.empty() : Optional.of(e.view());
    }

    /** The device's answer to the {@code logs} command: {@code ok} with {@code {"chunks": N}}, or a refusal. */
    public synchronized void answered(String requestId, CommandResponse response) {
        Entry e = requests.get(requestId);
        if (e == null || (e.finished() && e.state != LogRequest.State.COMPLETE)) {
            return;
        }
        e.updatedAt = clock.instant();
        if (response.status() == CommandResponse.Status.OK) { // may arrive after the chunks
            if (e.state == LogRequest.State.PENDING) {
                e.state = LogRequest.State.STREAMING;
            }
            if (response.result() != null && response.result().path("chunks").canConvertToInt()) {
                e.expected = response.result().path("chunks").intValue();
            }
            completeIfWhole(e);
        } else if (!e.finished()) {
            CommandResponse.ErrorInfo err = response.error();
            fail(e, err == null ? "error" : err.code(), err == null ? "the device answered " + response.status()
                    : err.message());
        }
    }

    /** The command could not be sent or was not answered in time. */
    public synchronized void failed(String requestId, String code, String message) {
        Entry e = requests.get(requestId);
        if (e != null && !e.finished() && e.chunks.isEmpty()) {
            e.updatedAt = clock.instant();
            fail(e, code, message);
        }
    }

    @Override
    public synchronized void chunk(LogChunk chunk, Instant receivedAt) {
        Entry e = requests.get(chunk.requestId());
        if (e == null || !e.deviceId.equals(chunk.deviceId()) || e.finished()) {
            log.debug("log chunk dropped deviceId={} requestId={} chunk={} known={}", chunk.deviceId(),
                    chunk.requestId(), chunk.chunk(), e != null);
            return;
        }
        if (chunk.chunk() < 0 || e.chunks.containsKey(chunk.chunk())) {
            return; // a QoS 1 redelivery, or nonsense
        }
        e.updatedAt = clock.instant();
        if (e.state == LogRequest.State.PENDING) {
            e.state = LogRequest.State.STREAMING; // chunks may overtake the command answer
        }
        List<LogRequest.Line> kept = new ArrayList<>();
        for (LogChunk.Line l : chunk.lines()) {
            long size = LINE_OVERHEAD + 2L * (l.text() == null ? 0 : l.text().length());
            if (e.bytes + size > maxRequestBytes || !room(size)) {
                e.truncated = true;
                break;
            }
            kept.add(LogRequest.Line.of(l));
            e.bytes += size;
            bytes += size;
        }
        e.chunks.put(chunk.chunk(), new LogRequest.Chunk(chunk.chunk(), chunk.last(), kept));
        if (chunk.last()) {
            e.lastChunk = chunk.chunk();
        }
        completeIfWhole(e);
    }

    /** Bytes held by all requests (for tests and metrics). */
    synchronized long bytesHeld() {
        return bytes;
    }

    private void completeIfWhole(Entry e) {
        if (e.lastChunk != null && e.chunks.size() == e.lastChunk + 1 && e.state != LogRequest.State.COMPLETE) {
            e.state = LogRequest.State.COMPLETE;
            log.info("logs complete deviceId={} requestId={} chunks={} truncated={}", e.deviceId, e.requestId,
                    e.chunks.size(), e.truncated);
        }
    }

    private void fail(Entry e, String code, String message) {
        e.state = LogRequest.State.FAILED;
        e.error = new LogRequest.Failure(code, message);
        log.info("logs failed deviceId={} requestId={} code={} message={}", e.deviceId, e.requestId, code, message);
    }

    /** Makes room for {@code size} more bytes by dropping finished requests, oldest first. */
    private boolean room(long size) {
        if (bytes + size <= maxBytes) {
            return true;
        }
        Iterator<Entry> it = requests.values().iterator();
        while (it.hasNext() && bytes + size > maxBytes) {
            Entry old = it.next();
            if (old.finished()) {
                bytes -= old.bytes;
                it.remove();
            }
        }
        return bytes + size <= maxBytes;
    }

    private boolean evictFinished() {
        Iterator<Entry> it = requests.values().iterator();
        while (it.hasNext()) {
            Entry old = it.next();
            if (old.finished()) {
                bytes -= old.bytes;
                it.remove();
                return true;
            }
        }
        return false;
    }

    private void sweep(Instant now) {
        Iterator<Entry> it = requests.values().iterator();
        while (it.hasNext()) {
            Entry e = it.next();
            if (!e.finished() && now.isAfter(e.giveUpAt)) {
                e.state = e.state == LogRequest.State.PENDING ? LogRequest.State.FAILED : LogRequest.State.EXPIRED;
                e.error = new LogRequest.Failure("timeout", e.state == LogRequest.State.FAILED
                        ? "the device did not answer the logs command" : "the last chunk did not arrive in time");
                e.updatedAt = now;
            } else if (e.finished() && now.isAfter(e.updatedAt.plus(keep))) {
                bytes -= e.bytes;
                it.remove();
            }
        }
    }
}
