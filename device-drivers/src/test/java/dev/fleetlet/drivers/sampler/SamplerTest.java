package dev.fleetlet.drivers.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.config.SensorSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SamplerTest {

    private final ConcurrentLinkedQueue<Reading> received = new ConcurrentLinkedQueue<>();

    private static Sensor constant(String name, double value) {
        return new Sensor() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<Reading> sample() {
                return List.of(Reading.ok(name, "temperature", "Cel", value, Clock.systemUTC().instant()),
                        Reading.failed(name, "humidity", "%RH", Clock.systemUTC().instant(), "crc"));
            }
        };
    }

    @Test
    void addsTheCalibrationOffsetOfEachQuantityButNotToFailedReadings() {
        SensorSpec spec = SensorSpec.of("test", "t1").withInterval(Duration.ofMillis(20))
                .withOffsets(Map.of("temperature", -0.5, "humidity", 3.0));
        try (Sampler sampler = new Sampler(List.of(new Sampler.Entry(spec, constant("t1", 21.0))), received::add,
                Clock.systemUTC())) {
            sampler.start();
            await().atMost(Duration.ofSeconds(2)).until(() -> received.size() >= 2);
        }

        assertThat(received).filteredOn(r -> r.quantity().equals("temperature"))
                .extracting(Reading::value).containsOnly(20.5);
        assertThat(received).filteredOn(r -> r.quantity().equals("humidity"))
                .allSatisfy(r -> assertThat(r.value()).isNaN());
    }

    @Test
    void aThrowingSensorYieldsFailedReadingsAndDoesNotStopTheOthers() {
        AtomicInteger calls = new AtomicInteger();
        Sensor broken = new Sensor() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public List<Reading> sample() {
                calls.incrementAndGet();
                throw new IllegalStateException("bus exploded");
            }
        };
        SensorSpec brokenSpec = SensorSpec.of("test", "broken").withInterval(Duration.ofMillis(10));
        SensorSpec goodSpec = SensorSpec.of("test", "good").withInterval(Duration.ofMillis(10));
        try (Sampler sampler = new Sampler(List.of(new Sampler.Entry(brokenSpec, broken),
                new Sampler.Entry(goodSpec, constant("good", 1.0))), received::add, Clock.systemUTC())) {
            sampler.start();
            await().atMost(Duration.ofSeconds(2)).until(() -> calls.get() >= 5
                    && received.stream().filter(r -> r.sensor().equals("good")).count() >= 10);

            assertThat(sampler.stats().driverFailures()).isGreaterThanOrEqualTo(5);
        }
        assertThat(received).filteredOn(r -> r.sensor().equals("broken")).allSatisfy(r -> {
            assertThat(r.quantity()).isEqualTo("driver");
            assertThat(r.quality().reason()).contains("bus exploded");
        });
    }

    @Test
    void samplesEachSensorAtItsOwnIntervalOnOneThread() {
        ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
        SensorSpec fast = SensorSpec.of("test", "fast").withInterval(Duration.ofMillis(10));
        SensorSpec slow = SensorSpec.of("test", "slow").withInterval(Duration.ofMillis(100));
        Sampler.ReadingSink sink = r -> {
            threads.add(Thread.currentThread().getName());
            received.add(r);
        };
        try (Sampler sampler = new Sampler(List.of(new Sampler.Entry(fast, constant("fast", 1)),
                new Sampler.Entry(slow, constant("slow", 2))), sink, Clock.systemUTC())) {
            sampler.start();
            await().atMost(Duration.ofSeconds(3)).until(() -> count("slow") >= 6);
            long fastCount = count("fast");
            long slowCount = count("slow");
            assertThat((double) fastCount / slowCount).isBetween(5.0, 15.0);
        }
        assertThat(threads).containsOnly("fleetlet-sampler");
    }

    private long count(String sensor) {
        return received.stream().filter(r -> r.sensor().equals(sensor)).count() / 2;
    }
}
