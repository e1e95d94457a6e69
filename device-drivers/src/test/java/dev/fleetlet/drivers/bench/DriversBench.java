package dev.fleetlet.drivers.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fleetlet.drivers.Reading;
import dev.fleetlet.drivers.Sensor;
import dev.fleetlet.drivers.board.Board;
import dev.fleetlet.drivers.config.BoardConfig;
import dev.fleetlet.drivers.config.BoardConfigParser;
import dev.fleetlet.drivers.sampler.Sampler;
import dev.fleetlet.drivers.spi.DriverRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * 20 simulated sensors sampled at 10 Hz on the simulated board for {@code -Dbench.seconds} (default 60).
 * Reports process CPU (% of one core), allocation rate of the sampler thread, max sampling jitter, and
 * the raw cost of one sample of the same sensors read in a tight loop.
 *
 * <p>Run: {@code ./mvnw -B -ntp -Pbench -pl device-drivers verify [-Dbench.seconds=10]}
 */
class DriversBench {

    private static String config() {
        StringBuilder yaml = new StringBuilder("board: {type: simulated, seed: 1}\nsensors:\n");
        String[] types = {"digital-input", "board-health", "bme280", "ads1115", "sht3x"};
        for (int i = 0; i < 20; i++) {
            String type = types[i % types.length];
            yaml.append("  - {type: ").append(type).append(", name: s").append(i).append(", interval: 100ms");
            switch (type) {
                case "digital-input" -> yaml.append(", pin: ").append(4 + i);
                case "bme280" -> yaml.append(", bus: 1, address: ").append(i % 2 == 0 ? "0x76" : "0x77");
                case "ads1115" -> yaml.append(", bus: 1, address: ").append(0x48 + (i / 5) % 4);
                case "sht3x" -> yaml.append(", bus: 1, address: ").append(i % 2 == 0 ? "0x44" : "0x45");
                default -> { }
            }
            yaml.append("}\n");
        }
        return yaml.toString();
    }

    @Test
    void samples20SimulatedSensorsAt10Hz() throws Exception {
        long seconds = Long.getLong("bench.seconds", 60);
        DriverRegistry registry = DriverRegistry.standard();
        BoardConfig config = new BoardConfigParser(registry).parse(config());
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AtomicLong readings = new AtomicLong();
        AtomicLong notOk = new AtomicLong();

        try (Board board = Board.open(config, registry, Clock.systemUTC())) {
            // Raw limit: the same 20 sensors read back to back, no scheduling.
            for (int i = 0; i < 200; i++) {
                board.sensors().forEach(e -> e.sensor().sample());
            }
            int rounds = 2_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                for (Sampler.Entry e : board.sensors()) {
                    e.sensor().sample();
                }
            }
            double rawMicrosPerSample = (System.nanoTime() - t0) / 1e3 / (rounds * 20.0);

            Sampler.ReadingSink sink = r -> {
                readings.incrementAndGet();
                if (!r.quality().code().equals("ok")) {
                    notOk.incrementAndGet();
                }
            };
            try (Sampler sampler = new Sampler(board.sensors(), sink, Clock.systemUTC())) {
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                sampler.start();
                LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
                long tid = sampler.thread().getId();
                long alloc0 = threads.getThreadAllocatedBytes(tid);
                long allocWall0 = System.nanoTime();
                LockSupport.parkNanos(Duration.ofSeconds(seconds).toNanos());
                long alloc1 = threads.getThreadAllocatedBytes(tid);
                long allocWall1 = System.nanoTime();
                long cpu1 = os.getProcessCpuTime();
                long wall1 = System.nanoTime();
                Sampler.Stats stats = sampler.stats();

                double cpuPct = 100.0 * (cpu1 - cpu0) / (wall1 - wall0);
                double allocMbPerS = (alloc1 - alloc0) / 1e6 / ((allocWall1 - allocWall0) / 1e9);
                double maxJitterMs = stats.maxJitterNanos() / 1e6;
                double samplesPerS = stats.samples() / ((wall1 - wall0) / 1e9);
                System.out.printf(Locale.ROOT, "drivers bench: %d s, %d samples (%.1f/s), %d readings (%d not ok), "
                                + "raw cost %.1f us/sample (limit ~%.0f samples/s on one core)%n",
                        seconds, stats.samples(), samplesPerS, readings.get(), notOk.get(), rawMicrosPerSample,
                        1e6 / rawMicrosPerSample);
                System.out.printf(Locale.ROOT, "BENCH drivers sensors=20 hz=10 cpu_pct=%.2f alloc_mb_per_s=%.3f max_jitter_ms=%.2f%n",
                        cpuPct, allocMbPerS, maxJitterMs);
                assertThat(samplesPerS).isGreaterThan(150);
            }
        }
    }
}
