package dev.fleetlet.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MqttInFlightWindowTest {

    @Test
    void admitsUpToTheLimitAndThenWaitsForARelease() throws Exception {
        // given a window of 2 with both slots taken
        InFlightWindow w = new InFlightWindow(2);
        w.acquire();
        w.acquire();

        // when a third publish asks for a slot
        assertThat(w.tryAcquire(50)).isFalse();
        AtomicBoolean got = new AtomicBoolean();
        Thread t = new Thread(() -> {
            try {
                w.acquire();
                got.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();

        // then it gets one only after a release
        assertThat(got).isFalse();
        w.release();
        await().atMost(Duration.ofSeconds(5)).untilTrue(got);
        assertThat(w.used()).isEqualTo(2);
    }

    @Test
    void aLowerLimitKeepsTakenSlotsAndAdmitsAgainBelowIt() throws Exception {
        // given 4 slots taken
        InFlightWindow w = new InFlightWindow(4);
        for (int i = 0; i < 4; i++) {
            w.acquire();
        }

        // when the broker's receive maximum lowers the limit to 2
        w.setLimit(2);

        // then nothing is admitted until fewer than 2 are in use
        w.release();
        w.release();
        assertThat(w.tryAcquire(20)).isFalse();
        w.release();
        assertThat(w.tryAcquire(20)).isTrue();
        assertThat(w.limit()).isEqualTo(2);
    }

    @Test
    void neverGoesBelowOneSlotOrBelowZeroInUse() throws Exception {
        InFlightWindow w = new InFlightWindow(0);
        w.release();

        assertThat(w.limit()).isEqualTo(1);
        assertThat(w.used()).isZero();
        assertThat(w.tryAcquire(10)).isTrue();
    }
}
