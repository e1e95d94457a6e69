package dev.fleetlet.images.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Debian's own raspi-firmware kernel hooks, run under qemu-user in a chroot of the cached stage-1 root file system
 * as a kernel upgrade, an old kernel's removal and an {@code update-initramfs} run them, keep the boot configuration
 * the image writes ({@code scripts/verify-kernel-hook.sh}). Needs the tarball (named by {@code -Dfleetlet.rootfs=...};
 * the pom's {@code kernel-hook} profile, active only when the property is set, runs this class), root and
 * qemu-user-static: never in the default run, the CI has no tarball. About 15 s on a quiet 2-core host:
 * {@code ./mvnw -pl arm-images verify -Dfleetlet.rootfs=arm-images/target/cache/rootfs-bookworm-arm64-<key>.tar}.
 */
class KernelHookIT {

    @Test
    void bootConfigurationSurvivesKernelUpgradeRemovalAndInitramfsUpdate() throws Exception {
        String property = System.getProperty("fleetlet.rootfs");
        assertThat(property).as("-Dfleetlet.rootfs=<stage-1 rootfs tarball>").isNotBlank();
        // relative to the module, or to the repository root where ./mvnw runs
        Path tar = Files.isRegularFile(Path.of(property)) ? Path.of(property) : Path.of("..").resolve(property);
        assertThat(tar).isRegularFile();
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", "scripts/verify-kernel-hook.sh", tar.toAbsolutePath().toString()))
                .redirectErrorStream(true);

        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean finished = p.waitFor(10, TimeUnit.MINUTES);

        System.out.println(out);
        assertThat(finished).as("verify-kernel-hook.sh finished within 10 min").isTrue();
        assertThat(p.exitValue()).as("verify-kernel-hook.sh exit code; its output:%n%s", out).isZero();
        assertThat(out).contains("verify-kernel-hook: kernel upgrade: OK", "verify-kernel-hook: old kernel removed: OK",
                "verify-kernel-hook: initramfs update: OK");
    }
}
