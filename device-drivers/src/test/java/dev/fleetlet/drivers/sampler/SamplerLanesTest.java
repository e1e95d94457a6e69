package dev.fleetlet.drivers.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.SensorSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class SamplerLanesTest {

    private final ConcurrentLinkedQueue<Reading> received = new ConcurrentLinkedQueue<>();
    private final Clock clock = Clock.systemUTC();

    /** A fake driver: each sample blocks for {@code blockFor} (as a kernel read would), then reports its call number. */
    private static final class BlockingSensor implements Sensor {
        final String name;
        final Duration expected;
        final Duration blockFor;
        final CountDownLatch release;
        final AtomicInteger calls = new AtomicInteger();
        final ConcurrentLinkedQueue<Long> startedAt = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
        final AtomicBoolean inRead = new AtomicBoolean();
        final AtomicBoolean interrupted = new AtomicBoolean();

        BlockingSensor(String name, Duration expected, Duration blockFor, CountDownLatch release) {
            this.name = name;
            this.expected = expected;
            this.blockFor = blockFor;
            this.release = release;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Duration expectedReadTime() {
            return expected;
        }

        @Override
        public List<Reading> sample() {
            startedAt.add(System.nanoTime());
            threads.add(Thread.currentThread().getName());
            int call = calls.incrementAndGet();
            inRead.set(true);
            if (release != null && call == 1) {
                // Hangs until the test releases it, ignoring interrupts like a read stuck in the kernel.
                while (release.getCount() > 0) {
                    LockSupport.parkNanos(1_000_000);
                    if (Thread.interrupted()) {
                        interrupted.set(true);
                    }
                }
            }
            long end = System.nanoTime() + blockFor.toNanos();
            while (System.nanoTime() < end) {
                LockSupport.parkNanos(end - System.nanoTime());
                if (Thread.interrupted()) {
                    interrupted.set(true);
                }
            }
            inRead.set(false);
            Reading r = Reading.ok(name, "temperature", "Cel", call, Clock.systemUTC().instant());
            return List.of(r, Reading.ok(name, "humidity", "%RH", 50.0 + call, r.timestamp()));
        }
    }

    private static SensorSpec spec(String name, long intervalMs) {
        return SensorSpec.of("test", name).withInterval(Duration.ofMillis(intervalMs));
    }

    private List<Reading> of(String sensor, String quantity) {
        List<Reading> out = new ArrayList<>();
        for (Reading r : received) {
            if (r.sensor().equals(sensor) && r.quantity().equals(quantity)) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void aFastSensorKeepsItsScheduleWhileASlowSensorBlocks750MsPerRead() {
        // given a 20 ms fast sensor next to a DS18B20-like sensor that blocks 750 ms per read
        BlockingSensor fast = new BlockingSensor("bme", Duration.ZERO, Duration.ZERO, null);
        BlockingSensor slow = new BlockingSensor("probe", Duration.ofMillis(750), Duration.ofMillis(750), null);
        try (Sampler sampler = new Sampler(List.of(new Sampler.Entry(spec("probe", 1000), slow),
                new Sampler.Entry(spec("bme", 20), fast)), received::add, clock)) {
            // when it runs through three slow reads
            sampler.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.calls.get() >= 3);
            Sampler.Stats stats = sampler.stats();

            // then the fast lane's lateness against start + k * 20 ms stays far below the 750 ms block
            // (200 ms: generous for a loaded 2-core build machine; one shared thread would show >= 730 ms)
            assertThat(stats.fastMaxJitterNanos()).isLessThan(Duration.ofMillis(200).toNanos());
            assertThat(stats.slowMaxJitterNanos()).isGreaterThanOrEqualTo(0);
            List<Long> starts = new ArrayList<>(fast.startedAt);
            long maxGap = 0;
            for (int i = 1; i < starts.size(); i++) {
                maxGap = Math.max(maxGap, starts.get(i) - starts.get(i - 1));
            }
            assertThat(starts.size()).isGreaterThan(50);
            assertThat(Duration.ofNanos(maxGap)).isLessThan(Duration.ofMillis(220));
        }
        assertThat(slow.threads).containsOnly("fleetlet-sampler-slow");
        assertThat(fast.threads).containsOnly("fleetlet-sampler");
    }

    @Test
    void theWatchdogSleepsUntilAReadCouldTimeOutInsteadOfPolling() {
        // given two sensors sampled together every second with the default 1 s read timeout
        BlockingSensor a = new BlockingSensor("a", Duration.ZERO, Duration.ZERO, null);
        BlockingSensor b = new BlockingSensor("b", Duration.ZERO, Duration.ZERO, null);
        try (Sampler sampler = new Sampler(List.of(new Sampler.Entry(spec("a", 1000), a),
                new Sampler.Entry(spec("b", 1000), b)), received::add, clock)) {
            sampler.start();
            // when their first reads are done
            await().atMost(Duration.ofSeconds(5)).until(() -> of("a", "temperature").size() == 1
                    && of("b", "temperature").size() == 1 && !a.inRead.get() && !b.inRead.get());
            long startedAt = a.startedAt.peek();

            // then the watchdog's next check is when the next reads (due 1 s after the last ones) could have timed
            // out: 2 s after the first start while only the first reads were made — one wake-up per second for
            // both sensors, not one every 250 ms. A test thread stalled past the next reads (loaded machine) sees
            // one more second per read made meanwhile; reads are instantaneous, so each read counted has finished.
            long now = System.nanoTime();
            long delay = sampler.nextCheckDelay(now);
            int reads = Math.min(a.startedAt.size(), b.startedAt.size());
            Duration expected = Duration.ofSeconds(reads + 1);
            assertThat(Duration.ofNanos(now + delay - startedAt)).isBetween(expected.minusMillis(100),
                    expected.plusMillis(100));
        }
    }

    @Test
    void aHungDriverYieldsReadTimedOutReadingsAndDoesNotStallTheOthers() {
        // given a driver on the fast lane whose first read never returns until released
        CountDownLatch release = new CountDownLatch(1);
        BlockingSensor hung = new BlockingSensor("hung", Duration.ZERO, Duration.ZERO, release);
        BlockingSensor good = new BlockingSensor("good", Duration.ZERO, Duration.ZERO, null);
        Sampler.Options options = new Sampler.Options(Duration.ofMillis(50), 4, Duration.ofMillis(200), Duration.ofSeconds(2));
        try (Sampler sampler = new Sampler(List.of(new Sampler.Entry(spec("hung", 50), hung),
                new Sampler.Entry(spec("good", 10), good)), received::add, clock, options)) {
            // when the read hangs past the 200 ms timeout
            sampler.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> of("hung", "driver").size() >= 3);
            int goodBefore = good.calls.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> good.calls.get() >= goodBefore + 20);

            // then the hung sample is one failed "read timed out" reading, later ones say the driver is still blocked
            List<Reading> timeouts = of("hung", "driver");
            assertThat(timeouts.get(0).quality().reason()).isEqualTo("read timed out after 200 ms");
            assertThat(timeouts.get(1).quality().reason()).isEqualTo("read timed out after 200 ms (driver still blocked)");
            assertThat(timeouts).allSatisfy(r -> assertThat(r.value()).isNaN());
            assertThat(sampler.stats().abandonedThreads()).isEqualTo(1);
            assertThat(sampler.stats().timeouts()).isGreaterThanOrEqualTo(3);
            assertThat(sampler.thread().getName()).isEqualTo("fleetlet-sampler#2");
            assertThat(good.threads).contains("fleetlet-sampler#2");

            // and when the stuck read finally returns, its late result is dropped and the sensor recovers
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> !of("hung", "temperature").isEmpty());
            assertThat(of("hung", "temperature")).extracting(Reading::value).doesNotContain(1.0);
            assertThat(hung.interrupted).isTrue();
        }
        assertThat(of("good", "temperature")).allSatisfy(r -> assertThat(r.quality().code()).isEqualTo("ok"));
    }

    @Test
    void aHungSlowDriverTimesOutAfterAMultipleOfItsExpectedTimeOnTheSlowLaneOnly() {
        // given a slow sensor expecting 100 ms (timeout 3 x 100 ms) that hangs, and a fast sensor
        CountDownLatch release = new CountDownLatch(1);
        BlockingSensor hung = new BlockingSensor("w1", Duration.ofMillis(100), Duration.ZERO, release);
        BlockingSensor fast = new BlockingSensor("sht", Duration.ZERO, Duration.ZERO, null);
        Sampler.Options options = new Sampler.Options(Duration.ofMillis(50), 3, Duration.ofMillis(50), Duration.ofSeconds(2));
        try (Sampler sampler = new Sampler(List.of(new Sampler.Entry(spec("w1", 100), hung),
                new Sampler.Entry(spec("sht", 20), fast)), received::add, clock, options)) {
            // when the slow read hangs
            sampler.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> !of("w1", "driver").isEmpty());

            // then it times out after 300 ms, the slow lane is replaced and the fast lane never stalled
            assertThat(of("w1", "driver").get(0).quality().reason()).isEqualTo("read timed out after 300 ms");
            // the watchdog delivers the timeout reading first and replaces the lane right after it
            await().atMost(Duration.ofSeconds(5)).until(() -> sampler.slowThread().getName().equals("fleetlet-sampler-slow#2"));
            assertThat(sampler.thread().getName()).isEqualTo("fleetlet-sampler");
            assertThat(sampler.stats().fastMaxJitterNanos()).isLessThan(Duration.ofMillis(200).toNanos());
            release.countDown();
        }
    }

    @Test
    void keepsEachSensorsReadingsInOrderAndAddsItsOffsetsOnBothLanes() {
        // given a slow and a fast sensor, each with calibration offsets
        BlockingSensor slow = new BlockingSensor("slow", Duration.ofMillis(60), Duration.ofMillis(30), null);
        BlockingSensor fast = new BlockingSensor("fast", Duration.ZERO, Duration.ZERO, null);
        SensorSpec slowSpec = spec("slow", 40).withOffsets(Map.of("temperature", 100.0));
        SensorSpec fastSpec = spec("fast", 10).withOffsets(Map.of("humidity", -50.0));
        try (Sampler sampler = new Sampler(List.of(new Sampler.Entry(slowSpec, slow), new Sampler.Entry(fastSpec, fast)),
                received::add, clock)) {
            // when both run for a while (the slow one overruns its 40 ms interval now and then)
            sampler.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> slow.calls.get() >= 10 && fast.calls.get() >= 30);
        }

        // then every sensor's readings come in call order, with its own offsets only
        for (String name : List.of("slow", "fast")) {
            List<Double> temps = of(name, "temperature").stream().map(Reading::value).toList();
            List<Double> hums = of(name, "humidity").stream().map(Reading::value).toList();
            double tOffset = name.equals("slow") ? 100.0 : 0.0;
            double hOffset = name.equals("fast") ? -50.0 : 0.0;
            for (int i = 0; i < temps.size(); i++) {
                assertThat(temps.get(i)).isEqualTo(i + 1 + tOffset);
            }
            for (int i = 0; i < hums.size(); i++) {
                assertThat(hums.get(i)).isEqualTo(50.0 + i + 1 + hOffset);
            }
        }
        assertThat(slow.threads).containsOnly("fleetlet-sampler-slow");
    }

    @Test
    void closeWaitsForAnInFlightSlowReadWithoutInterruptingIt() {
        // given a slow read of 300 ms in flight
        BlockingSensor slow = new BlockingSensor("probe", Duration.ofMillis(300), Duration.ofMillis(300), null);
        Sampler sampler = new Sampler(List.of(new Sampler.Entry(spec("probe", 10_000), slow)), received::add, clock);
        sampler.start();
        await().atMost(Duration.ofSeconds(5)).until(slow.inRead::get);

        // when the sampler is closed
        sampler.close();

        // then the read finished, was not interrupted, and the lane thread ends
        assertThat(slow.inRead).isFalse();
        assertThat(slow.interrupted).isFalse();
        await().atMost(Duration.ofSeconds(1)).until(() -> !sampler.slowThread().isAlive());
        assertThat(slow.calls.get()).isEqualTo(1);
        assertThat(received).as("readings of a read in flight at close are dropped").isEmpty();
    }

    @Test
    void closeGivesUpOnAHungReadAfterItsTimeout() {
        // given a read that never returns
        CountDownLatch release = new CountDownLatch(1);
        BlockingSensor hung = new BlockingSensor("hung", Duration.ZERO, Duration.ZERO, release);
        Sampler.Options options = new Sampler.Options(Duration.ofMillis(50), 4, Duration.ofSeconds(30), Duration.ofMillis(200));
        Sampler sampler = new Sampler(List.of(new Sampler.Entry(spec("hung", 1000), hung)), received::add, clock, options);
        sampler.start();
        await().atMost(Duration.ofSeconds(5)).until(hung.inRead::get);

        // when closed
        long t0 = System.nanoTime();
        sampler.close();
        long took = System.nanoTime() - t0;

        // then close returned after about the close timeout, the thread got an interrupt, and nothing was delivered
        assertThat(Duration.ofNanos(took)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(2)).untilTrue(hung.interrupted);
        release.countDown();
        await().atMost(Duration.ofSeconds(2)).until(() -> !hung.inRead.get());
        assertThat(received).isEmpty();
    }

    @Test
    void rejectsBadOptionsAndBadExpectedReadTimesNamingTheField() {
        assertThatThrownBy(() -> new Sampler.Options(Duration.ofMillis(50), 0, Duration.ofSeconds(1), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeoutMultiple: must be at least 1, got 0");
        assertThatThrownBy(() -> new Sampler.Options(Duration.ZERO, 4, Duration.ofSeconds(1), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("slowThreshold: must be a positive duration");
        assertThatThrownBy(() -> new Sampler.Options(Duration.ofMillis(50), 4, null, Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("minTimeout: ");
        BlockingSensor negative = new BlockingSensor("neg", Duration.ofMillis(-1), Duration.ZERO, null);
        assertThatThrownBy(() -> new Sampler(List.of(new Sampler.Entry(spec("neg", 100), negative)), received::add, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sensors[neg].expectedReadTime: must be zero or positive, got PT-0.001S");
    }
}
