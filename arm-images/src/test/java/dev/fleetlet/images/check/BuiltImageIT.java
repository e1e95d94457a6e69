package dev.fleetlet.images.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The static checks on a real built image, named by {@code -Dfleetlet.image=...} (the pom's {@code built-image}
 * profile, active only when the property is set, runs this class):
 * {@code ./mvnw -pl arm-images verify -Dfleetlet.image=arm-images/target/image/fleetlet-0.1.0-SNAPSHOT-arm64.img.xz}.
 */
class BuiltImageIT {

    @Test
    void builtImagePassesTheStaticChecks() {
        String property = System.getProperty("fleetlet.image");
        assertThat(property).as("-Dfleetlet.image=<built .img or .img.xz>").isNotBlank();
        // relative to the module, or to the repository root where ./mvnw runs
        Path file = Files.isRegularFile(Path.of(property)) ? Path.of(property) : Path.of("..").resolve(property);
        assertThat(file).isRegularFile();

        CheckReport report = new ImageChecker().check(file, ImageChecker.Expect.GENERIC);

        System.out.println(report);
        assertThat(report.failures()).isEmpty();
    }
}
