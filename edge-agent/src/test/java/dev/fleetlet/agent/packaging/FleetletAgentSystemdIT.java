package dev.fleetlet.agent.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.agent.hostcmd.HostCommand;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fleetlet-agent .deb under a real systemd: the cached bookworm rootfs (see {@link BookwormRootfs})
 * booted in systemd-nspawn, {@code dpkg -i} inside it, and the service started by the package's own
 * postinst, restarted by systemd after a crash, stopped cleanly, and stopped and removed by
 * {@code dpkg --purge}. Needs root and systemd-nspawn (package systemd-container).
 */
class FleetletAgentSystemdIT {

    private static final String SERVICE = "fleetlet-agent.service";
    private static final Duration STEP = Duration.ofMinutes(2);

    @Test
    void postinstStartsTheServiceWhichSystemdRestartsStopsAndPurgeRemoves() throws Exception {
        // given a booted bookworm with the provisioning file of an image whose server does not answer
        Path buildDir = Path.of(getClass().getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        Path deb = FleetletAgentDebIT.newestDeb(buildDir);
        Path tarball = BookwormRootfs.tarball(Path.of(System.getProperty("fleetlet.test.rootfsCache",
                BookwormRootfs.DEFAULT_CACHE.toString())), FleetletAgentDebIT.ROOTFS_PACKAGES);
        Path workDir = Files.createTempDirectory(buildDir, "systemd-it-");
        Path root = Files.createDirectory(workDir.resolve("rootfs"));
        try {
            BookwormRootfs.unpack(tarball, root);
            Files.createDirectories(root.resolve("boot/firmware"));
            Files.writeString(root.resolve("boot/firmware/fleetlet-provisioning.json"),
                    "{\"serverUrl\": \"http://127.0.0.1:9\", \"token\": \"flt_package_test_token_0002\"}\n");
            Files.copy(deb, root.resolve("root").resolve(deb.getFileName()));
            long t0 = System.nanoTime();
            try (BootedContainer box = BootedContainer.boot(root, workDir.resolve("console.log"), Duration.ofMinutes(10))) {
                long t1 = System.nanoTime();

                // when the package is installed
                HostCommand.Result install = box.run("dpkg -i /root/" + deb.getFileName(), STEP);

                // then postinst enabled and started it, and the agent retries enrollment
                assertThat(install.exitCode()).as("dpkg -i: %s%s", install.stdout(), install.stderr()).isZero();
                assertThat(box.property(SERVICE, "UnitFileState")).isEqualTo("enabled");
                await("agent running and retrying enrollment").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> box.property(SERVICE, "ActiveState").equals("active")
                                && journal(box).split("enrollment server unavailable", -1).length > 2);
                // READY=1 came before enrollment (else ActiveState would stay "activating"), with a status
                assertThat(box.property(SERVICE, "Type")).isEqualTo("notify");
                assertThat(box.property(SERVICE, "NotifyAccess")).isEqualTo("all");
                assertThat(box.property(SERVICE, "WatchdogUSec")).isEqualTo("1min");
                assertThat(box.property(SERVICE, "StatusText")).startsWith("enrolling");
                String mainPid = box.property(SERVICE, "MainPID");
                assertThat(box.run("cat /proc/" + mainPid + "/cmdline", STEP).stdout().replace('\0', ' '))
                        .contains("-Xmx64m", "-jar /usr/share/fleetlet-agent/fleetlet-agent.jar");
                long t2 = System.nanoTime();

                // when it crashes, systemd starts it again (Restart=always)
                assertThat(box.run("systemctl kill --signal=KILL " + SERVICE, STEP).exitCode()).isZero();
                await("restarted after SIGKILL").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                        .until(() -> box.property(SERVICE, "NRestarts").equals("1")
                                && box.property(SERVICE, "ActiveState").equals("active")
                                && !box.property(SERVICE, "MainPID").equals(mainPid));

                // when the watchdog period is short, the agent's pings keep it alive (no watchdog kill)
                Path dropIn = root.resolve("etc/systemd/system/" + SERVICE + ".d");
                Files.createDirectories(dropIn);
                Files.writeString(dropIn.resolve("watchdog-test.conf"), "[Service]\nWatchdogSec=5s\n");
                assertThat(box.run("systemctl daemon-reload && systemctl restart " + SERVICE, STEP).exitCode()).isZero();
                String pingingPid = box.property(SERVICE, "MainPID");
                String restarts = box.property(SERVICE, "NRestarts");
                await("alive for three watchdog periods").during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(25))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> box.property(SERVICE, "ActiveState").equals("active")
                                && box.property(SERVICE, "MainPID").equals(pingingPid)
                                && box.property(SERVICE, "NRestarts").equals(restarts));
                Files.delete(dropIn.resolve("watchdog-test.conf"));
                Files.delete(dropIn);
                assertThat(box.run("systemctl daemon-reload", STEP).exitCode()).isZero();

                // when stopped, it ends cleanly (SIGTERM ends a JVM with 143: SuccessExitStatus)
                assertThat(box.run("systemctl stop " + SERVICE, STEP).exitCode()).isZero();
                assertThat(box.property(SERVICE, "ActiveState")).isEqualTo("inactive");
                assertThat(box.property(SERVICE, "Result")).isEqualTo("success");

                // when purged while running, prerm stops it and postrm removes everything
                assertThat(box.run("systemctl start " + SERVICE, STEP).exitCode()).isZero();
                HostCommand.Result purge = box.run("dpkg --purge fleetlet-agent", STEP);
                assertThat(purge.exitCode()).as("dpkg --purge: %s%s", purge.stdout(), purge.stderr()).isZero();
                assertThat(box.property(SERVICE, "LoadState")).isEqualTo("not-found");
                assertThat(box.run("grep -ls 'fleetlet-agent[.]jar' /proc/[0-9]*/cmdline; true", STEP).stdout())
                        .as("no agent process left").isBlank();
                for (String gone : List.of("var/lib/fleetlet", "etc/fleetlet",
                        "etc/systemd/system/multi-user.target.wants/" + SERVICE)) {
                    assertThat(Files.exists(root.resolve(gone), LinkOption.NOFOLLOW_LINKS)).as(gone + " removed").isFalse();
                }
                System.out.printf("systemd-it bootS=%.1f installToSecondEnrollAttemptS=%.1f totalS=%.1f%n",
                        (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            HostCommand.runAllowingFailure(List.of("rm", "-rf", "--one-file-system", workDir.toString()), STEP);
        }
    }

    private static String journal(BootedContainer box) {
        return box.run("journalctl --no-pager -o cat -u " + SERVICE, STEP).stdout();
    }
}
