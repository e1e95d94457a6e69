package dev.fleetlet.hil.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.hil.support.PlainBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a user runs it: the packaged {@code hil-tests.jar} started with {@code java -jar}
 * (its manifest Class-Path and {@code lib/}, not the test class path DemoIT runs on). It starts, prints its
 * banner, and the two commands the banner prints work verbatim: {@code curl} lists the simulated devices online
 * and {@code mosquitto_sub} receives their telemetry.
 */
class DemoJarIT {

    private static final Path CURL = Path.of("/usr/bin/curl");
    private static final Path MOSQUITTO_SUB = Path.of("/usr/bin/mosquitto_sub");
    private static final int DEVICES = 2;

    @TempDir
    Path dir;

    @Test
    void thePackagedDemoStartsAndTheCommandsItPrintsWork() throws Exception {
        Path jar = Path.of(System.getProperty("fleetlet.demo.jar", "target/hil-tests.jar"));
        assertThat(jar).as("the packaged demo jar (built by the package phase before the ITs)").isRegularFile();
        assertThat(Files.isExecutable(MOSQUITTO_SUB)).as("this test needs mosquitto_sub: apt-get install mosquitto-clients")
                .isTrue();
        assertThat(Files.isExecutable(CURL)).as("this test needs curl: apt-get install curl").isTrue();
        Path log = dir.resolve("demo.log");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toAbsolutePath().toString(), "--devices", String.valueOf(DEVICES),
                "--data-dir", dir.resolve("data").toString(), "--http-port", String.valueOf(PlainBroker.freePort()),
                "--mqtt-port", String.valueOf(PlainBroker.freePort()), "--registry-port", String.valueOf(PlainBroker.freePort()),
                "--interval", "PT1S", "--readings", "2")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250))
                    .until(() -> !demo.isAlive() || read(log).contains("Press Ctrl-C to stop."));
            assertThat(demo.isAlive()).as("the demo is still running; its output:%n%s", read(log)).isTrue();
            assertThat(read(log)).doesNotContain("demo could not start").doesNotContain("NoClassDefFoundError");

            // the printed curl command lists every simulated device, online
            String curl = printed(log, "e.g. curl ");
            JsonNode online = new ObjectMapper().readTree(run(curl + " --silent --fail", Duration.ofSeconds(30)));
            assertThat(online.path("total").asLong()).as("devices online: %s", online).isEqualTo(DEVICES);

            // and the printed mosquitto_sub command receives telemetry
            String sub = printed(log, "mosquitto_sub ");
            String received = run(sub + " -C 1 -W 30", Duration.ofSeconds(40));
            assertThat(received).contains("/telemetry ").contains("\"readings\"");
        } finally {
            demo.destroy();
            if (!demo.waitFor(30, TimeUnit.SECONDS)) {
                demo.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        assertThat(read(log)).contains("demo stopping");
    }

    private static String read(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** The command of the banner line holding {@code start}, from {@code start} (trimmed) to the end of the line. */
    private static String printed(Path log, String start) throws IOException {
        List<String> lines = read(log).lines().filter(l -> l.contains(start)).toList();
        assertThat(lines).as("a banner line with '%s'", start).isNotEmpty();
        String line = lines.get(lines.size() - 1);
        return line.substring(line.indexOf(start)).replaceFirst("^e\\.g\\. ", "").strip();
    }

    /** Runs {@code command} with {@code sh -c}, as pasted into a shell, and returns its standard output. */
    private static String run(String command, Duration timeout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertThat(p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("exit status of %s; output: %s", command, text).isZero();
        return text;
    }
}
