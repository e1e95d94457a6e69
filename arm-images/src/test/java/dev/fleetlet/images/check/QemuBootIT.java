package dev.fleetlet.images.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The QEMU boot test (profile {@code boot-test}, never in the default run; many minutes): runs
 * {@code scripts/boot-test.sh} on the built image ({@code -Dfleetlet.image=...}, default the newest
 * {@code fleetlet-*-arm64.img.xz} in this module's build dir) and passes when the board enrolled and its telemetry
 * reached the server. The script's output, including the measured times, goes to the console.
 */
class QemuBootIT {

    @Test
    void bootedImageEnrollsAndSendsTelemetry() throws Exception {
        String buildDir = System.getProperty("fleetlet.build.dir", "target");
        Path image = imageUnder(Path.of(buildDir, "image"));
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "scripts/boot-test.sh", image.toString()))
                .inheritIO();
        pb.environment().put("FLEETLET_BUILD_DIR", buildDir);

        Process p = pb.start();
        boolean finished = p.waitFor(40, TimeUnit.MINUTES);
        if (!finished) {
            p.destroy();
        }

        assertThat(finished).as("boot test finished within 40 min").isTrue();
        assertThat(p.exitValue()).as("boot-test.sh exit code (its output says why)").isZero();
    }

    private static Path imageUnder(Path dir) throws Exception {
        String property = System.getProperty("fleetlet.image");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-arm64.img.xz"))
                    .max((a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .orElseThrow(() -> new IllegalStateException("no image in " + dir.toAbsolutePath() + ": run ./dev image"))
                    .toAbsolutePath();
        }
    }
}
