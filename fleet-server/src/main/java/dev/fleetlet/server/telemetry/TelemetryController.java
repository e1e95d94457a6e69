package dev.fleetlet.server.telemetry;

import dev.fleetlet.protocol.Topics;
import dev.fleetlet.server.api.ApiException;
import dev.fleetlet.server.api.ErrorCode;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/devices/{id}/telemetry?sensor=&quantity=&from=&to=&bucket=raw|1m|1h&limit=}: stored
 * telemetry of one device. {@code from}/{@code to} are ISO-8601 instants (default: the last 24 hours up to
 * now; {@code to} exclusive); {@code limit} defaults to 1000, at most 10000; {@code truncated} tells
 * whether more points exist. Aggregates cover readings with quality {@code ok}. An unknown device has no
 * points. Any authenticated role.
 */
@Controller("/api/v1/devices/{id}/telemetry")
@Secured({"ADMIN", "OPERATOR", "VIEWER"})
@ExecuteOn(TaskExecutors.BLOCKING)
public class TelemetryController {

    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    private static final Duration DEFAULT_RANGE = Duration.ofHours(24);
    private static final Logger log = LoggerFactory.getLogger(TelemetryController.class);

    private final TelemetryQuery query;
    private final Clock clock;

    TelemetryController(TelemetryQuery query, Optional<Clock> clock) {
        this.query = query;
        this.clock = clock.orElse(Clock.systemUTC());
    }

    @Get
    public TelemetryQuery.Result get(@PathVariable("id") String id, @Nullable @QueryValue String sensor,
                                     @Nullable @QueryValue String quantity, @Nullable @QueryValue String from,
                                     @Nullable @QueryValue String to, @Nullable @QueryValue String bucket,
                                     @Nullable @QueryValue String limit) {
        if (!Topics.isValidDeviceId(id)) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "id", "not a valid device id");
        }
        Instant end = to == null || to.isBlank() ? clock.instant() : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(DEFAULT_RANGE) : instant("from", from);
        if (!start.isBefore(end)) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, "from", "must be before to (" + end + ")");
        }
        TelemetryQuery.Bucket b = bucket == null || bucket.isBlank() ? TelemetryQuery.Bucket.RAW
                : TelemetryQuery.Bucket.fromWire(bucket).orElseThrow(() -> ApiException.field(
                        ErrorCode.VALIDATION_FAILED, "bucket", "must be one of raw, 1m, 1h"));
        int max = limit == null || limit.isBlank() ? DEFAULT_LIMIT : limit(limit);
        try {
            return query.query(id, blankToNull(sensor), blankToNull(quantity), start, end, b, max);
        } catch (SQLException e) {
            log.error("telemetry query failed deviceId={} error={}", id, e.toString());
            throw new ApiException(ErrorCode.UNAVAILABLE, "telemetry store unavailable");
        }
    }

    private static Instant instant(String field, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.field(ErrorCode.VALIDATION_FAILED, field,
                    "must be an ISO-8601 instant like 2025-01-31T12:00:00Z, was '" + value + "'");
        }
    }

    private static int limit(String value) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw ApiException.field(ErrorCode.VALIDATION_FAILED, "limit", "must be an integer from 1 to " + MAX_LIMIT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
