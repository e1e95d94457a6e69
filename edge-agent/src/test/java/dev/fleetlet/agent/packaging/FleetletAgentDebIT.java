package dev.fleetlet.agent.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.fleetlet.agent.hostcmd.HostCommand;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fleetlet-agent .deb of this build on a Debian bookworm root filesystem (minbase plus
 * openjdk-17-jre-headless, runc and systemd; cached by {@link BookwormRootfs}): {@code dpkg -i}, the
 * installed files, the offline {@code systemctl enable}, a start of the service the way systemd would
 * start it (the installed unit's {@code ExecStart=} with its environment; there is no systemd PID 1
 * here), a reinstall over local changes, and {@code dpkg --purge}. The steps build on each other.
 * Needs root, unshare/chroot and, on the first run, deb.debian.org.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetletAgentDebIT {

    static final List<String> ROOTFS_PACKAGES = List.of("openjdk-17-jre-headless", "runc", "systemd");
    private static final String UNIT = "/lib/systemd/system/fleetlet-agent.service";
    private static final String WANTS_LINK = "/etc/systemd/system/multi-user.target.wants/fleetlet-agent.service";
    private static final Duration STEP = Duration.ofMinutes(3);

    private Path buildDir;
    private Path deb;
    private Path workDir;
    private Chroot chroot;

    @BeforeAll
    void installTheBuiltPackageOnAFreshBookwormRootfs() throws Exception {
        assertThat(Files.readString(Path.of("/proc/self/status"))).as("this test needs root (chroot, mounts, dpkg)")
                .containsPattern("(?m)^Uid:\\s+0\\s");
        buildDir = buildDirectory();
        deb = newestDeb(buildDir);
        long t0 = System.nanoTime();
        Path cache = Path.of(System.getProperty("fleetlet.test.rootfsCache", BookwormRootfs.DEFAULT_CACHE.toString()));
        Path tarball = BookwormRootfs.tarball(cache, ROOTFS_PACKAGES);
        long t1 = System.nanoTime();
        workDir = Files.createTempDirectory(buildDir, "deb-it-");
        Path root = Files.createDirectory(workDir.resolve("rootfs"));
        BookwormRootfs.unpack(tarball, root);
        chroot = new Chroot(root);
        long t2 = System.nanoTime();
        Files.copy(deb, chroot.file("/tmp/" + deb.getFileName()));

        HostCommand.Result install = chroot.run("dpkg -i /tmp/" + deb.getFileName(), STEP);

        System.out.printf("deb-it rootfs=%s rootfsReadyS=%.1f unpackS=%.1f dpkgInstallS=%.1f deb=%s debBytes=%d%n", tarball,
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9, deb.getFileName(), Files.size(deb));
        assertThat(install.exitCode()).as("dpkg -i exit code; output:%n%s%s", install.stdout(), install.stderr()).isZero();
        assertThat(install.stdout()).contains("Setting up fleetlet-agent");
    }

    @AfterAll
    void removeTheRootfsCopy() {
        if (workDir != null) {
            // the namespaces (and every mount) died with their scripts; --one-file-system guards anyway
            HostCommand.runAllowingFailure(List.of("rm", "-rf", "--one-file-system", workDir.toString()), STEP);
        }
    }

    @Test
    @Order(1)
    void installsTheAgentLauncherUnitAndConfigWithTheirPermissions() throws IOException {
        assertThat(chroot.run("dpkg-query -W -f='${Status} ${Version}' fleetlet-agent", STEP).stdout())
                .startsWith("install ok installed 0.1.0~");
        assertOwnedByRoot("/usr/share/fleetlet-agent/fleetlet-agent.jar", "rw-r--r--");
        assertOwnedByRoot("/usr/bin/fleetlet-agent", "rwxr-xr-x");
        assertOwnedByRoot(UNIT, "rw-r--r--");
        assertOwnedByRoot("/etc/fleetlet/agent.yml", "rw-r--r--");
        assertOwnedByRoot("/etc/default/fleetlet-agent", "rw-r--r--");
        assertOwnedByRoot("/var/lib/fleetlet", "rwx------");
        assertThat(permissions("/var/log/fleetlet")).isEqualTo("rwxr-x---");
        try (Stream<Path> libs = Files.list(chroot.file("/usr/share/fleetlet-agent/lib"))) {
            List<String> names = libs.map(p -> p.getFileName().toString()).collect(Collectors.toList());
            try (Stream<Path> built = Files.list(buildDir.resolve("lib"))) {
                assertThat(names).as("every runtime jar of the build is installed")
                        .containsExactlyInAnyOrderElementsOf(built.map(p -> p.getFileName().toString())
                                .filter(n -> n.endsWith(".jar")).collect(Collectors.toList()));
            }
        }
        // A signed jar costs the agent 2.5 MB RSS for its whole life (signature verification at class loading).
        try (Stream<Path> libs = Files.list(chroot.file("/usr/share/fleetlet-agent/lib"))) {
            for (Path lib : (Iterable<Path>) libs::iterator) {
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(lib.toFile(), false)) {
                    assertThat(jar.stream().map(java.util.jar.JarEntry::getName))
                            .as("signature files in installed %s", lib.getFileName())
                            .noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"));
                }
            }
        }
        assertOwnedByRoot("/usr/share/fleetlet-agent/jvm.options", "rw-r--r--");
        assertThat(Files.readString(chroot.file("/var/lib/dpkg/info/fleetlet-agent.conffiles")).lines())
                .containsExactlyInAnyOrder("/etc/fleetlet/agent.yml", "/etc/default/fleetlet-agent");
        assertThat(chroot.file("/etc/fleetlet/agent.yml")).hasSameTextualContentAs(
                buildDir.getParent().resolve("src/deb/etc/agent.yml"));
    }

    @Test
    @Order(2)
    void enablesTheServiceOfflineAndTheUnitVerifies() throws IOException {
        assertThat(Files.isSymbolicLink(chroot.file(WANTS_LINK))).as(WANTS_LINK + " exists").isTrue();
        assertThat(Files.readSymbolicLink(chroot.file(WANTS_LINK))).hasToString(UNIT);
        assertThat(chroot.run("systemctl is-enabled fleetlet-agent.service", STEP).stdout().strip()).isEqualTo("enabled");

        HostCommand.Result verify = chroot.run("systemd-analyze verify " + UNIT, STEP);

        assertThat(verify.exitCode()).as("systemd-analyze verify: %s", verify.stderr()).isZero();
        SystemdUnit unit = SystemdUnit.read(chroot.file(UNIT));
        assertThat(unit.value("Service", "Restart")).contains("always");
        assertThat(unit.value("Unit", "StartLimitIntervalSec")).contains("0");
        assertThat(unit.value("Unit", "After").orElse("")).contains("network-online.target");
    }

    @Test
    @Order(3)
    void startsFromTheUnitsExecStartAndRetriesEnrollmentWhileNoServerAnswers() throws Exception {
        // given what a first boot provides: a machine id (systemd PID 1 creates it) and the image's
        // provisioning file, naming a server nobody listens on (TCP port 9 on loopback)
        assertThat(chroot.run("systemd-machine-id-setup", STEP).exitCode()).isZero();
        Files.createDirectories(chroot.file("/boot/firmware"));
        Files.writeString(chroot.file("/boot/firmware/fleetlet-provisioning.json"),
                "{\"serverUrl\": \"http://127.0.0.1:9\", \"token\": \"flt_package_test_token_0001\"}\n");
        SystemdUnit unit = SystemdUnit.read(chroot.file(UNIT));
        Map<String, String> env = unit.environment(chroot.root());
        List<String> argv = unit.execStart(env);
        assertThat(argv).containsExactly("/usr/bin/fleetlet-agent", "--config", "/etc/fleetlet/agent.yml");
        String script = "cd " + Chroot.quote(unit.value("Service", "WorkingDirectory").orElse("/")) + " && env -i "
                + env.entrySet().stream().map(e -> Chroot.quote(e.getKey() + "=" + e.getValue())).collect(Collectors.joining(" "))
                + " " + argv.stream().map(Chroot::quote).collect(Collectors.joining(" "));
        Path log = workDir.resolve("agent.log");
        long started = System.nanoTime();

        // when the service starts
        Process service = chroot.start(script, log);
        try {
            // then the agent runs and keeps retrying enrollment with back-off
            await("two failed enrollment attempts logged").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .failFast("the service process exited; log:\n" + log, () -> !service.isAlive())
                    .until(() -> count(Files.readString(log), "enrollment server unavailable") >= 2);
            double secondAttemptS = (System.nanoTime() - started) / 1e9;
            ProcessHandle java = service.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                    .findFirst().orElseThrow(() -> new AssertionError("no java process under the service"));
            String cmdline = Files.readString(Path.of("/proc", Long.toString(java.pid()), "cmdline")).replace('\0', ' ');
            assertThat(cmdline).contains("-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1",
                    "-jar /usr/share/fleetlet-agent/fleetlet-agent.jar --config /etc/fleetlet/agent.yml");
            String status = Files.readString(Path.of("/proc", Long.toString(java.pid()), "status"));
            System.out.printf("deb-it agent secondEnrollAttemptS=%.1f %s %s%n", secondAttemptS,
                    field(status, "VmRSS"), field(status, "Threads"));
            assertThat(Files.readString(log)).doesNotContain("Exception in thread");
            assertThat(chroot.file("/var/lib/fleetlet/identity/device-secret")).exists();

            // and SIGTERM (what systemd sends to the main process with KillMode=mixed) stops it promptly
            java.destroy();
            await("agent exits after SIGTERM").atMost(Duration.ofSeconds(45)).until(() -> !java.isAlive());
        } finally {
            service.destroyForcibly();
            service.waitFor();
        }
    }

    @Test
    @Order(4)
    void reinstallKeepsALocallyEditedConfigAndTheAdministratorsDisable() throws IOException {
        // given a local edit of the conffile and a disabled unit
        Path config = chroot.file("/etc/fleetlet/agent.yml");
        Files.writeString(config, Files.readString(config) + "\n# edited on the board\n");
        assertThat(chroot.run("systemctl disable fleetlet-agent.service", STEP).exitCode()).isZero();
        assertThat(Files.exists(chroot.file(WANTS_LINK), LinkOption.NOFOLLOW_LINKS)).isFalse();

        // when the package is installed again (what an upgrade does)
        HostCommand.Result again = chroot.run("dpkg -i --force-confold /tmp/" + deb.getFileName(), STEP);

        // then both choices survive
        assertThat(again.exitCode()).as("dpkg -i again: %s%s", again.stdout(), again.stderr()).isZero();
        assertThat(Files.readString(config)).endsWith("# edited on the board\n");
        assertThat(Files.exists(chroot.file(WANTS_LINK), LinkOption.NOFOLLOW_LINKS)).as("still disabled").isFalse();
    }

    @Test
    @Order(5)
    void purgeRemovesFilesDataAndEnablement() {
        // given the agent left data behind (credentials, last-known-good config from the start above)
        assertThat(chroot.file("/var/lib/fleetlet/config/agent.last-good.yaml")).exists();
        assertThat(chroot.run("systemctl enable fleetlet-agent.service", STEP).exitCode()).isZero();

        // when
        HostCommand.Result purge = chroot.run("dpkg --purge fleetlet-agent", STEP);

        // then
        assertThat(purge.exitCode()).as("dpkg --purge: %s%s", purge.stdout(), purge.stderr()).isZero();
        assertThat(chroot.run("dpkg-query -W -f='${Status}' fleetlet-agent", STEP).stdout())
                .doesNotContain("installed");
        for (String gone : List.of("/usr/share/fleetlet-agent", "/usr/bin/fleetlet-agent", UNIT, "/etc/fleetlet",
                "/etc/default/fleetlet-agent", "/var/lib/fleetlet", "/var/log/fleetlet", WANTS_LINK)) {
            assertThat(Files.exists(chroot.file(gone), LinkOption.NOFOLLOW_LINKS)).as(gone + " removed").isFalse();
        }
    }

    private void assertOwnedByRoot(String path, String permissions) throws IOException {
        PosixFileAttributes a = Files.readAttributes(chroot.file(path), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        assertThat(a.owner().getName()).as(path + " owner").isEqualTo("root");
        assertThat(PosixFilePermissions.toString(a.permissions())).as(path + " mode").isEqualTo(permissions);
    }

    private String permissions(String path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(chroot.file(path), LinkOption.NOFOLLOW_LINKS));
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static String field(String procStatus, String name) {
        return procStatus.lines().filter(l -> l.startsWith(name + ":"))
                .map(l -> name + "=" + l.substring(name.length() + 1).strip().replace(" ", "")).findFirst().orElse(name + "=?");
    }

    /** target (or the -Dfleetlet.build.dir folder): the parent of test-classes. */
    private static Path buildDirectory() throws URISyntaxException {
        return Path.of(FleetletAgentDebIT.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    }

    static Path newestDeb(Path buildDir) throws IOException {
        Optional<Path> newest;
        try (Stream<Path> files = Files.list(buildDir)) {
            newest = files.filter(p -> p.getFileName().toString().matches("fleetlet-agent_.+_all\\.deb"))
                    .max(Comparator.comparing(p -> p.toFile().lastModified()));
        }
        return newest.orElseGet(() -> fail("no fleetlet-agent_*_all.deb in %s: the package phase builds it", buildDir));
    }
}
