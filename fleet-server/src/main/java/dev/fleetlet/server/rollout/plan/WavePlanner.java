package dev.fleetlet.server.rollout.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Splits targeted devices into canary and waves, and forecasts the duration. Pure and deterministic.
 *
 * <p>Order: devices are sorted by the first 8 bytes of {@code SHA-256(rolloutId + "/" + deviceId)} (ties
 * by id), so a rollout spreads every wave over sites, naming schemes and enrollment order instead of
 * taking them alphabetically, while the same rollout always gets the same split and a different rollout a
 * different one (the same devices are not always the canaries).
 *
 * <p>Sizing: the canary, then the waves in order, each take {@link WaveSize#devicesOf(int)} of the total
 * (percentages of the whole target, rounded up, at least one device), capped by what is left; the last
 * wave takes everything left.
 */
public final class WavePlanner {

    private WavePlanner() {
    }

    /**
     * Assigns {@code deviceIds} (duplicates ignored) to the groups of {@code plan}.
     *
     * @throws InvalidPlanException when the plan is invalid
     */
    public static WaveAssignment assign(String rolloutId, Collection<String> deviceIds, RolloutPlan plan) {
        plan.requireValid();
        List<String> ordered = spreadOrder(rolloutId, deviceIds);
        int total = ordered.size();
        List<WaveSize> sizes = new ArrayList<>();
        if (plan.canary() != null) {
            sizes.add(plan.canary());
        }
        sizes.addAll(plan.waves());
        List<List<String>> groups = new ArrayList<>(sizes.size());
        int next = 0;
        for (int i = 0; i < sizes.size(); i++) {
            int left = total - next;
            int n = i == sizes.size() - 1 ? left : Math.min(left, sizes.get(i).devicesOf(total));
            groups.add(ordered.subList(next, next + n));
            next += n;
        }
        return new WaveAssignment(groups);
    }

    /** The dispatch order of {@code deviceIds} for {@code rolloutId} (see the class comment). */
    public static List<String> spreadOrder(String rolloutId, Collection<String> deviceIds) {
        MessageDigest sha = sha256();
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(deviceIds));
        long[] keys = new long[unique.size()];
        Integer[] idx = new Integer[unique.size()];
        byte[] prefix = (rolloutId + "/").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < keys.length; i++) {
            sha.update(prefix);
            byte[] h = sha.digest(unique.get(i).getBytes(StandardCharsets.UTF_8));
            long k = 0;
            for (int b = 0; b < 8; b++) {
                k = k << 8 | (h[b] & 0xFF);
            }
            keys[i] = k;
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.<Integer>comparingLong(i -> keys[i]).thenComparing(unique::get));
        List<String> out = new ArrayList<>(keys.length);
        for (Integer i : idx) {
            out.add(unique.get(i));
        }
        return out;
    }

    /**
     * Forecasts the duration of a rollout with {@code groupSizes} devices per group.
     *
     * <p>A group needs {@code ceil(devices / maxConcurrent)} dispatch rounds (soaking devices do not hold a
     * slot, so the group's soak overlaps with later rounds except for the last one): fastest =
     * rounds × {@code typicalApply} + soak, slowest = rounds × {@code deviceTimeout} + soak. Gate decisions
     * are immediate; manual pauses and time outside maintenance windows are not included.
     *
     * @param typicalApply how long one device usually takes from dispatch to applied and healthy (download,
     *                     restart, health checks); must be positive and is capped at the device timeout
     */
    public static Forecast forecast(List<Integer> groupSizes, RolloutPlan plan, Duration typicalApply) {
        plan.requireValid();
        if (typicalApply == null || typicalApply.isNegative() || typicalApply.isZero()) {
            throw new InvalidPlanException(List.of(new PlanProblem("typicalApply", "must be positive, was " + typicalApply)));
        }
        Duration apply = typicalApply.compareTo(plan.deviceTimeout()) > 0 ? plan.deviceTimeout() : typicalApply;
        List<Forecast.GroupForecast> groups = new ArrayList<>();
        Duration fastest = Duration.ZERO;
        Duration slowest = Duration.ZERO;
        for (int i = 0; i < groupSizes.size(); i++) {
            int n = groupSizes.get(i);
            int batches = (n + plan.maxConcurrent() - 1) / plan.maxConcurrent();
            Duration soak = n == 0 ? Duration.ZERO : plan.soak();
            Duration f = apply.multipliedBy(batches).plus(soak);
            Duration s = plan.deviceTimeout().multipliedBy(batches).plus(soak);
            groups.add(new Forecast.GroupForecast(plan.groupName(i), n, batches, f, s));
            fastest = fastest.plus(f);
            slowest = slowest.plus(s);
        }
        return new Forecast(fastest, slowest, groups, !plan.maintenanceWindows().isEmpty());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
