package dev.fleetlet.agent.release;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.release.internal.ReleaseJournal;
import dev.fleetlet.agent.runtime.Runc;
import dev.fleetlet.oci.RegistryCredentialsProvider;
import dev.fleetlet.oci.testing.RequiredTool;
import dev.fleetlet.oci.testing.TestImageBuilder;
import dev.fleetlet.oci.testing.TestRegistry;
import dev.fleetlet.protocol.message.Release;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL the agent (a child JVM running the release runtime against real runc and the test registry) at random
 * points of release updates, restart it, and check after every recovery: exactly one complete release's
 * containers run (all of its services, nothing else), the journal is IDLE and names that release, and no rootfs
 * directory or overlay mount of another container is left. Once half the kills are done, every other kill aims at a
 * random point inside a phase no kill has hit yet, where the child last printed it (short phases such as COMMITTED
 * last a few milliseconds, and ROLLING_BACK happens only in one update out of eight). Required: at least 50 kills,
 * and kills in each of the four phases every update passes through (PULLING, STOPPING_OLD, STARTING_NEW,
 * WAITING_HEALTH); COMMITTED and ROLLING_BACK are aimed at but not required, since a kill lands there only by luck
 * (counting "five distinct phases" passed or failed on whether a kill happened to land in IDLE or COMMITTED).
 */
class ReleaseCrashConsistencyIT {

    private static final int MIN_KILLS = 50;
    /** The phases every update passes through, each long enough for a kill to land in it. */
    private static final List<String> UPDATE_PHASES = List.of("PULLING", "STOPPING_OLD", "STARTING_NEW", "WAITING_HEALTH");
    private static final long BUDGET_MS = 210_000;

    @RegisterExtension
    static TestRegistry registry = TestRegistry.anonymous();

    @TempDir
    static Path images;

    @TempDir
    Path tmp;

    private Process child;
    /** The runtime's phase the child printed last (in memory; the journal file holds only what recovery needs). */
    private String lastPhase = "IDLE";
    /** When the child's phase and done lines arrived during the current update (reader thread). */
    private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();

    private record Arrival(String line, long atMillis) {
    }

    /** Where a phase was last seen: during an update to {@code target}, from/to milliseconds after "go" was sent. */
    private record Window(int target, long from, long to) {
    }

    @BeforeAll
    static void pushImages() throws Exception {
        TestImageBuilder b = new TestImageBuilder(images);
        b.busybox("base", "amd64", Map.of("etc/release", "1"));
        b.derive("base", "two", Map.of("etc/release", "2"), List.of());
        b.push("base", registry, "rel/app", "1", false);
        b.push("two", registry, "rel/app", "2", false);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (child != null) {
            child.destroyForcibly();
        }
        new ReleaseFixture(tmp.resolve("agent-root"), RegistryCredentialsProvider.anonymous(), Set.of(registry.host()),
                ReleaseUpdateChild.SETTINGS).cleanUp();
        for (String mount : mountsUnder(tmp)) {
            // the image store's overlay probe mount, left behind when a kill hit the probe (see probeMountsLeft)
            new ProcessBuilder("umount", "-l", mount).redirectErrorStream(true).start().waitFor();
        }
    }

    private static List<String> mountsUnder(Path dir) throws java.io.IOException {
        try (Stream<String> mounts = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return mounts.map(l -> l.split(" ")[4]).filter(p -> p.startsWith(dir + "/")).toList();
        }
    }

    @Test
    void everySigkillDuringAnUpdateRecoversToExactlyOneCompleteRelease() throws Exception {
        Path root = tmp.resolve("agent-root");
        Runc runc = new Runc(RequiredTool.path("runc", "runc"), root.resolve("agent").resolve("runc-state"),
                Duration.ofSeconds(30), new ObjectMapper());
        ReleaseJournal journal = new ReleaseJournal(root.resolve("release"), new ObjectMapper());
        Map<String, Integer> killsByPhase = new TreeMap<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        long estimateMs = 2500;
        int kills = 0;
        int iterations = 0;
        int probeMountsLeft = 0;
        long start = System.currentTimeMillis();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Map<String, Window> windows = new HashMap<>();

        while ((kills < MIN_KILLS || !killsByPhase.keySet().containsAll(UPDATE_PHASES))
                && System.currentTimeMillis() - start < BUDGET_MS) {
            iterations++;
            BlockingQueue<String> lines = startChild(root);
            String recovered = awaitLine(lines, "recovered", 90);
            ReleaseJournal.State state = journal.load();
            try {
                assertConsistent(runc, root, state, recovered, iterations);
            } catch (AssertionError e) {
                List<String> log = Files.readAllLines(root.resolveSibling("child-stderr.log"));
                System.out.println(String.join("\n", log.subList(Math.max(0, log.size() - 80), log.size())));
                throw e;
            }

            int current = state.current() == null ? 0 : Integer.parseInt(state.current().id().substring(5));
            int target = current == 1 ? (random.nextInt(4) == 0 ? 3 : 2) : 1;
            long delay = random.nextLong(0, (long) (estimateMs * 1.1) + 1);
            Window aim = kills >= MIN_KILLS / 2 && random.nextBoolean() ? unkilledPhase(windows, killsByPhase, current, random) : null;
            if (aim != null) {
                // a phase no kill has hit yet (short ones such as COMMITTED, or ROLLING_BACK of the failing release):
                // a random point inside where it was last seen
                target = aim.target();
                delay = random.nextLong(aim.from(), Math.max(aim.from() + 1, aim.to()));
            }
            arrivals.clear();
            long sent = System.currentTimeMillis();
            send("go " + target);
            String done = pollUntil(lines, "done", sent + delay);
            if (done != null) {
                estimateMs = Math.max(estimateMs / 2, Math.max(estimateMs * 9 / 10, System.currentTimeMillis() - sent));
                outcomes.merge("completed " + done.substring(5).split(" ")[0], 1, Integer::sum);
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
            child.waitFor(30, TimeUnit.SECONDS);
            if (mountsUnder(root.resolve("store")).stream().anyMatch(m -> m.contains(".overlay-probe"))) {
                probeMountsLeft++;
                for (String m : mountsUnder(root.resolve("store"))) {
                    new ProcessBuilder("umount", "-l", m).start().waitFor();
                }
            }
            if (done == null) {
                kills++;
                pollUntil(lines, "no such line", 0); // take in the phase lines printed up to the kill
                killsByPhase.merge(lastPhase, 1, Integer::sum);
            }
            List<Arrival> seen = new ArrayList<>(arrivals);
            for (int i = 0; i + 1 < seen.size(); i++) {
                String phase = seen.get(i).line();
                if (!phase.equals("IDLE") && !phase.startsWith("done")) {
                    windows.put(phase, new Window(target, seen.get(i).atMillis() - sent, seen.get(i + 1).atMillis() - sent));
                }
            }
        }
        BlockingQueue<String> lines = startChild(root);
        String recovered = awaitLine(lines, "recovered", 90);
        assertConsistent(runc, root, journal.load(), recovered, iterations + 1);
        send("exit");
        child.waitFor(30, TimeUnit.SECONDS);

        System.out.println("BENCH release-sigkill iterations=" + iterations + " kills=" + kills + " phases="
                + killsByPhase.size() + " byPhase=" + killsByPhase + " completedWithoutKill=" + outcomes
                + " overlayProbeMountsLeftByKill=" + probeMountsLeft + " seconds=" + (System.currentTimeMillis() - start) / 1000);
        assertThat(kills).isGreaterThanOrEqualTo(MIN_KILLS);
        assertThat(killsByPhase.keySet()).as("phases hit by a kill").containsAll(UPDATE_PHASES);
    }

    private void assertConsistent(Runc runc, Path root, ReleaseJournal.State state, String recovered, int iteration)
            throws Exception {
        String at = "after recovery #" + iteration + " (" + recovered + ")";
        assertThat(state.phase()).as(at + ": journal settled").isEqualTo(ReleaseJournal.Phase.IDLE);
        assertThat(state.next()).as(at).isNull();
        Release current = state.current();
        assertThat(recovered).as(at).isEqualTo("recovered " + (current == null ? "none" : current.id()));
        Set<String> expected = current == null ? Set.of() : Set.copyOf(ContainerReleaseRuntime.ids(current));
        List<String> present = runc.list();
        assertThat(present).as(at + ": exactly the current release's containers").containsExactlyInAnyOrderElementsOf(expected);
        for (String id : present) {
            assertThat(runc.state(id).orElseThrow().status()).as(at + ": " + id).isEqualTo("running");
        }
        Path containers = root.resolve("containers");
        Set<String> dirs = Files.isDirectory(containers)
                ? Files.list(containers).map(p -> p.getFileName().toString()).collect(Collectors.toSet()) : Set.of();
        assertThat(dirs).as(at + ": rootfs directories").isEqualTo(expected);
        try (Stream<String> mounts = Files.lines(Path.of("/proc/self/mountinfo"))) {
            Set<String> mounted = mounts.map(l -> l.split(" ")[4]).filter(p -> p.startsWith(containers + "/"))
                    .map(p -> containers.relativize(Path.of(p)).getName(0).toString()).collect(Collectors.toSet());
            assertThat(expected).as(at + ": overlay mounts only for the current release").containsAll(mounted);
        }
    }

    /** A window of a phase no kill has hit yet that an update from {@code current} can reach, or null. */
    private static Window unkilledPhase(Map<String, Window> windows, Map<String, Integer> killsByPhase, int current,
                                        ThreadLocalRandom random) {
        List<Window> open = windows.entrySet().stream().filter(e -> !killsByPhase.containsKey(e.getKey()))
                .map(Map.Entry::getValue).filter(w -> current == 1 ? w.target() != 1 : w.target() == 1).toList();
        return open.isEmpty() ? null : open.get(random.nextInt(open.size()));
    }

    private BlockingQueue<String> startChild(Path root) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(javaBin, "-Xmx96m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp",
                System.getProperty("java.class.path"), ReleaseUpdateChild.class.getName(), root.toString(),
                registry.host()).redirectError(ProcessBuilder.Redirect.appendTo(root.resolveSibling("child-stderr.log").toFile()))
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Process p = child;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (l.startsWith("phase ") || l.startsWith("done")) {
                        arrivals.add(new Arrival(l.startsWith("phase ") ? l.substring(6) : l, System.currentTimeMillis()));
                    }
                    lines.add(l);
                }
            } catch (java.io.IOException e) {
                // the child was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private void send(String line) {
        PrintStream in = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
        in.println(line);
    }

    private String awaitLine(BlockingQueue<String> lines, String prefix, int seconds) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        String l = pollUntil(lines, prefix, deadline);
        if (l == null) {
            throw new AssertionError("child printed no '" + prefix + "' line within " + seconds + " s; saw " + lines);
        }
        return l;
    }

    /**
     * The first line starting with {@code prefix} before {@code deadlineMillis}, or null; notes the {@code phase}
     * lines passed on the way (after the deadline, only the lines already queued are read).
     */
    private String pollUntil(BlockingQueue<String> lines, String prefix, long deadlineMillis) throws InterruptedException {
        while (true) {
            long left = deadlineMillis - System.currentTimeMillis();
            String l = left <= 0 ? lines.poll() : lines.poll(left, TimeUnit.MILLISECONDS);
            if (l == null) {
                if (left <= 0) {
                    return null;
                }
                continue;
            }
            if (l.startsWith("phase ")) {
                lastPhase = l.substring(6);
            }
            if (l.startsWith(prefix)) {
                return l;
            }
        }
    }
}
