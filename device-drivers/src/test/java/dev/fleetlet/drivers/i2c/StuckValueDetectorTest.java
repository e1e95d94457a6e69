package dev.fleetlet.drivers.i2c;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StuckValueDetectorTest {

    @Test
    void flagsTheThirdIdenticalValueWithThresholdThree() {
        StuckValueDetector detector = new StuckValueDetector(3);

        assertThat(detector.observe(7)).isFalse();
        assertThat(detector.observe(7)).isFalse();
        assertThat(detector.observe(7)).isTrue();
        assertThat(detector.reason()).contains("3 samples");
    }

    @Test
    void aChangedValueRestartsTheCount() {
        StuckValueDetector detector = new StuckValueDetector(2);
        detector.observe(1);
        assertThat(detector.observe(1)).isTrue();

        assertThat(detector.observe(2)).isFalse();
    }

    @Test
    void thresholdZeroNeverFlags() {
        StuckValueDetector detector = new StuckValueDetector(0);

        for (int i = 0; i < 100; i++) {
            assertThat(detector.observe(5)).isFalse();
        }
    }

    @Test
    void rejectsThresholdOne() {
        assertThatThrownBy(() -> new StuckValueDetector(1)).hasMessageContaining("stuck threshold");
    }
}
