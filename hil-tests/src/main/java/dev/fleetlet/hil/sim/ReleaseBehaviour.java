package dev.fleetlet.hil.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How simulated devices answer a desired state that names a release, as an agent would.
 *
 * <p>Every device gets a {@link Profile} from a hash of its device id (SHA-256, so the same id always gets
 * the same profile, independent of the run): the first {@code failingFraction} of the hash range is
 * {@link Profile#FAILING}, the next {@code silentFraction} {@link Profile#SILENT}, the next
 * {@code slowFraction} {@link Profile#SLOW}, the rest {@link Profile#HEALTHY}. Two overrides, checked in
 * this order, let tests force a behaviour:
 * <ol>
 *   <li>the desired state's config key {@value #CONFIG_KEY} ({@code healthy}, {@code failing}, {@code silent},
 *       {@code slow}) forces that profile for that desired state;</li>
 *   <li>a release whose id contains {@value #BROKEN_MARKER} (e.g. {@code cam-2.0-broken}) fails on every
 *       device whose profile is not {@code silent} (silent devices stay silent).</li>
 * </ol>
 *
 * <p>Apply time: uniform in [{@code applyDelayMin}, {@code applyDelayMax}], times {@code slowFactor} for
 * {@code slow} devices. {@code initialRelease} is the release every device says it runs when it first
 * connects (a reported state {@code applied} at generation 0), as if flashed with it at the factory; null
 * for "nothing installed" (then nothing is reported before the first desired state).
 *
 * @param failingFraction share of devices that roll back every new release locally, 0 to 1
 * @param silentFraction  share of devices that never answer a desired state, 0 to 1
 * @param slowFraction    share of devices that apply {@code slowFactor} times slower, 0 to 1
 * @param applyDelayMin   shortest time from a desired state to the final report
 * @param applyDelayMax   longest such time (before the slow factor)
 * @param slowFactor      apply time multiplier of slow devices, at least 1
 * @param initialRelease  release id reported at first connect, or null
 */
public record ReleaseBehaviour(double failingFraction, double silentFraction, double slowFraction,
                               Duration applyDelayMin, Duration applyDelayMax, double slowFactor,
                               String initialRelease) {

    /** Desired-state config key forcing a device's profile. */
    public static final String CONFIG_KEY = "sim.behaviour";
    /** Part of a release id that makes every non-silent device fail it, unless forced healthy. */
    public static final String BROKEN_MARKER = "-broken";
    /** The reason a failing device gives when it rolls back. */
    public static final String FAILURE_REASON = "healthcheck failed: exit 1";

    /** A device's behaviour towards a new release. */
    public enum Profile {
        /** Applies it and reports it healthy. */
        HEALTHY,
        /** Reports applying, then rolls back to its previous release and reports {@code rolled_back}. */
        FAILING,
        /** Never answers. */
        SILENT,
        /** As healthy, slower by {@code slowFactor}. */
        SLOW;

        /** The profile named {@code text} (case-insensitive), empty when unknown. */
        public static Optional<Profile> parse(String text) {
            if (text == null) {
                return Optional.empty();
            }
            for (Profile p : values()) {
                if (p.name().equalsIgnoreCase(text.strip())) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Validates every field.
     *
     * @throws IllegalArgumentException naming each bad field
     */
    public ReleaseBehaviour {
        List<String> errors = new ArrayList<>();
        fraction(errors, "failingFraction", failingFraction);
        fraction(errors, "silentFraction", silentFraction);
        fraction(errors, "slowFraction", slowFraction);
        if (failingFraction + silentFraction + slowFraction > 1.0 + 1e-9) {
            errors.add("failingFraction + silentFraction + slowFraction: must not exceed 1, was "
                    + (failingFraction + silentFraction + slowFraction));
        }
        if (applyDelayMin == null || applyDelayMin.isNegative()) {
            errors.add("applyDelayMin: must be zero or positive, was " + applyDelayMin);
        }
        if (applyDelayMax == null || applyDelayMin != null && applyDelayMax.compareTo(applyDelayMin) < 0) {
            errors.add("applyDelayMax: must not be below applyDelayMin, was " + applyDelayMax);
        }
        if (!(slowFactor >= 1.0) || Double.isInfinite(slowFactor)) {
            errors.add("slowFactor: must be at least 1, was " + slowFactor);
        }
        if (initialRelease != null && !initialRelease.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")) {
            errors.add("initialRelease: not a valid release id, was '" + initialRelease + "'");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid release behaviour: " + String.join("; ", errors));
        }
    }

    private static void fraction(List<String> errors, String field, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            errors.add(field + ": must be between 0 and 1, was " + value);
        }
    }

    /** Every device healthy, applying in 0.5–2 s, nothing installed at first. */
    public static ReleaseBehaviour allHealthy() {
        return new ReleaseBehaviour(0, 0, 0, Duration.ofMillis(500), Duration.ofSeconds(2), 5.0, null);
    }

    public ReleaseBehaviour withFractions(double failing, double silent, double slow) {
        return new ReleaseBehaviour(failing, silent, slow, applyDelayMin, applyDelayMax, slowFactor, initialRelease);
    }

    public ReleaseBehaviour withApplyDelay(Duration min, Duration max) {
        return new ReleaseBehaviour(failingFraction, silentFraction, slowFraction, min, max, slowFactor, initialRelease);
    }

    public ReleaseBehaviour withInitialRelease(String releaseId) {
        return new ReleaseBehaviour(failingFraction, silentFraction, slowFraction, applyDelayMin, applyDelayMax,
                slowFactor, releaseId);
    }

    /** The profile of {@code deviceId} from the hash of its id alone. */
    public Profile profileOf(String deviceId) {
        double u = unitHash(deviceId);
        if (u < failingFraction) {
            return Profile.FAILING;
        }
        if (u < failingFraction + silentFraction) {
            return Profile.SILENT;
        }
        if (u < failingFraction + silentFraction + slowFraction) {
            return Profile.SLOW;
        }
        return Profile.HEALTHY;
    }

    /**
     * What {@code deviceId} does with a desired state naming {@code releaseId} (null: run nothing) and carrying
     * {@code config}: the overrides described on this class, else its own profile.
     */
    public Profile decide(String deviceId, String releaseId, Map<String, String> config) {
        Optional<Profile> forced = Profile.parse(config == null ? null : config.get(CONFIG_KEY));
        if (forced.isPresent()) {
            return forced.get();
        }
        Profile own = profileOf(deviceId);
        if (releaseId != null && releaseId.toLowerCase(Locale.ROOT).contains(BROKEN_MARKER) && own != Profile.SILENT) {
            return Profile.FAILING;
        }
        return own;
    }

    /**
     * The apply time of one desired state: {@code applyDelayMin + jitter × (applyDelayMax − applyDelayMin)},
     * times {@code slowFactor} for {@code slow}; {@code jitter} in [0, 1).
     */
    public Duration applyDelay(Profile profile, double jitter) {
        long min = applyDelayMin.toMillis();
        long span = applyDelayMax.toMillis() - min;
        double millis = min + Math.max(0, Math.min(1, jitter)) * span;
        if (profile == Profile.SLOW) {
            millis *= slowFactor;
        }
        return Duration.ofMillis(Math.round(millis));
    }

    /** A number in [0, 1) from the SHA-256 of the id: stable across runs and JVMs. */
    static double unitHash(String id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 7; i++) {
                bits = bits << 8 | (h[i] & 0xff);
            }
            return (bits >>> 3) / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
