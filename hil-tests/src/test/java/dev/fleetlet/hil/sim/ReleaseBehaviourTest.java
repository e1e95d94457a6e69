package dev.fleetlet.hil.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fleetlet.hil.sim.ReleaseBehaviour.Profile;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReleaseBehaviourTest {

    private final ReleaseBehaviour behaviour = ReleaseBehaviour.allHealthy().withFractions(0.01, 0.005, 0.02);

    @Test
    void profilesFollowTheConfiguredFractionsOverManyDeviceIds() {
        // given 200,000 device ids
        Map<Profile, Integer> counts = new EnumMap<>(Profile.class);
        int n = 200_000;
        // when each gets its profile
        for (int i = 0; i < n; i++) {
            counts.merge(behaviour.profileOf(String.format("dev-%08d", i)), 1, Integer::sum);
        }
        // then the shares are within a few standard deviations of the fractions
        assertThat(counts.get(Profile.FAILING) / (double) n).isBetween(0.009, 0.011);
        assertThat(counts.get(Profile.SILENT) / (double) n).isBetween(0.0043, 0.0057);
        assertThat(counts.get(Profile.SLOW) / (double) n).isBetween(0.0185, 0.0215);
    }

    @Test
    void theSameDeviceIdAlwaysGetsTheSameProfile() {
        for (int i = 0; i < 1000; i++) {
            String id = "sim-" + i;
            assertThat(behaviour.profileOf(id)).isEqualTo(behaviour.profileOf(new String(id.toCharArray())));
        }
    }

    @Test
    void aConfigKeyForcesTheProfileWhateverTheReleaseName() {
        String failingId = firstWith(Profile.FAILING);
        assertThat(behaviour.decide(failingId, "cam-2.0", Map.of(ReleaseBehaviour.CONFIG_KEY, "healthy")))
                .isEqualTo(Profile.HEALTHY);
        assertThat(behaviour.decide(failingId, "cam-2.0-broken", Map.of(ReleaseBehaviour.CONFIG_KEY, "HEALTHY")))
                .isEqualTo(Profile.HEALTHY);
        assertThat(behaviour.decide(firstWith(Profile.HEALTHY), "cam-2.0", Map.of(ReleaseBehaviour.CONFIG_KEY, "silent")))
                .isEqualTo(Profile.SILENT);
    }

    @Test
    void aBrokenReleaseFailsOnHealthyAndSlowDevicesButSilentOnesStaySilent() {
        assertThat(behaviour.decide(firstWith(Profile.HEALTHY), "cam-2.0-broken", Map.of())).isEqualTo(Profile.FAILING);
        assertThat(behaviour.decide(firstWith(Profile.SLOW), "cam-2.0-BROKEN", Map.of())).isEqualTo(Profile.FAILING);
        assertThat(behaviour.decide(firstWith(Profile.SILENT), "cam-2.0-broken", Map.of())).isEqualTo(Profile.SILENT);
        assertThat(behaviour.decide(firstWith(Profile.HEALTHY), "cam-2.0", Map.of())).isEqualTo(Profile.HEALTHY);
    }

    @Test
    void anUnknownForcedProfileIsIgnored() {
        String healthy = firstWith(Profile.HEALTHY);
        assertThat(behaviour.decide(healthy, "cam-2.0", Map.of(ReleaseBehaviour.CONFIG_KEY, "grumpy")))
                .isEqualTo(Profile.HEALTHY);
    }

    @Test
    void applyDelayStaysWithinItsBoundsAndSlowDevicesTakeFactorTimesLonger() {
        ReleaseBehaviour b = behaviour.withApplyDelay(Duration.ofMillis(500), Duration.ofMillis(2000));
        assertThat(b.applyDelay(Profile.HEALTHY, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.applyDelay(Profile.HEALTHY, 0.5)).isEqualTo(Duration.ofMillis(1250));
        assertThat(b.applyDelay(Profile.HEALTHY, 0.999_999)).isLessThanOrEqualTo(Duration.ofMillis(2000));
        assertThat(b.applyDelay(Profile.SLOW, 0.5)).isEqualTo(Duration.ofMillis(6250));
    }

    @Test
    void badValuesAreRefusedNamingEachField() {
        assertThatThrownBy(() -> new ReleaseBehaviour(-0.1, 0.5, 0.7, Duration.ofSeconds(2), Duration.ofSeconds(1), 0.5,
                "bad id!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("failingFraction: must be between 0 and 1")
                .hasMessageContaining("failingFraction + silentFraction + slowFraction: must not exceed 1")
                .hasMessageContaining("applyDelayMax: must not be below applyDelayMin")
                .hasMessageContaining("slowFactor: must be at least 1")
                .hasMessageContaining("initialRelease: not a valid release id");
    }

    private String firstWith(Profile profile) {
        for (int i = 0; ; i++) {
            String id = "sim-" + i;
            if (behaviour.profileOf(id) == profile) {
                return id;
            }
        }
    }
}
