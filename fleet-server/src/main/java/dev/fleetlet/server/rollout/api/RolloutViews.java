package dev.fleetlet.server.rollout.api;

import dev.fleetlet.server.rollout.Explanation;
import dev.fleetlet.server.rollout.Phase;
import dev.fleetlet.server.rollout.ProgressStatus;
import dev.fleetlet.server.rollout.engine.RolloutCounts;
import dev.fleetlet.server.rollout.plan.Forecast;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON shapes of the rollout API. */
public final class RolloutViews {

    private RolloutViews() {
    }

    /** A duration forecast; durations ISO-8601. */
    @Serdeable
    public record ForecastView(String fastest, String slowest, String summary, boolean waitsForWindows,
                               List<GroupForecastView> groups) {
        static ForecastView of(Forecast f) {
            List<GroupForecastView> g = new ArrayList<>();
            for (Forecast.GroupForecast x : f.groups()) {
                g.add(new GroupForecastView(x.name(), x.devices(), x.batches(), x.fastest().toString(), x.slowest().toString()));
            }
            return new ForecastView(f.fastest().toString(), f.slowest().toString(), f.summary(), f.waitsForWindows(), g);
        }
    }

    /** One group's forecast. */
    @Serdeable
    public record GroupForecastView(String name, int devices, int batches, String fastest, String slowest) {
    }

    /** One reason of an explanation. */
    @Serdeable
    public record ReasonView(String code, String text) {
    }

    /** Why a device is or is not targeted; for members of a rollout also its progress. */
    @Serdeable
    public record ExplanationView(String deviceId, boolean included, List<ReasonView> reasons, Boolean member,
                                  ProgressStatus status, String progressReason) {
        static ExplanationView of(Explanation e, Boolean member, ProgressStatus status, String reason) {
            List<ReasonView> r = new ArrayList<>();
            for (Explanation.Reason x : e.reasons()) {
                r.add(new ReasonView(x.code().name(), x.text()));
            }
            return new ExplanationView(e.deviceId(), e.included(), r, member, status, reason);
        }
    }

    /** Answer of create and preview. */
    @Serdeable
    public record Planned(String id, Phase phase, int devices, int excluded, List<Integer> groupSizes,
                          ForecastView forecast, List<ExplanationView> sample) {
    }

    /** A rollout with its progress. */
    @Serdeable
    public record RolloutView(String id, String kind, String releaseId, String selector, Phase phase, String pauseCause,
                              int currentGroup, String currentGroupName, Map<String, Object> plan, RolloutCounts total,
                              List<RolloutCounts> groups, String createdBy, Instant createdAt, Instant startedAt,
                              Instant endedAt, String rollbackOf) {
    }

    /** A command accepted for the engine. */
    @Serdeable
    public record CommandAccepted(String rolloutId, long seq, String command) {
    }
}
