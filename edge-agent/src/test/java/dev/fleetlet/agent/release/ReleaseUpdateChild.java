package dev.fleetlet.agent.release;

import dev.fleetlet.agent.state.ReleaseRuntime;
import dev.fleetlet.oci.RegistryCredentialsProvider;
import dev.fleetlet.protocol.message.Release;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The agent stand-in {@link ReleaseCrashConsistencyIT} SIGKILLs. Recovers (prints {@code recovered <release|none>}),
 * then for each stdin line {@code go <n>} installs {@link #release}(n) over what runs, printing {@code phase <P>}
 * on every journal phase change and {@code done <outcome>} at the end; {@code exit} leaves the containers running.
 */
public final class ReleaseUpdateChild {

    static final ReleaseSettings SETTINGS = new ReleaseSettings(Duration.ofMinutes(10), Duration.ofMillis(300),
            Duration.ofSeconds(10), 3, Duration.ofSeconds(3));

    private ReleaseUpdateChild() {
    }

    /** 1 and 2: healthy releases (download-then-kill, kill-then-download); 3: fails its health check (rolls back). */
    static Release release(String registryHost, int n) {
        return switch (n) {
            case 1 -> ReleaseFixture.app("demo-1", registryHost + "/rel/app:1", "v1", "download-then-kill", "test -f /data/seen");
            case 2 -> ReleaseFixture.app("demo-2", registryHost + "/rel/app:2", "v2", "kill-then-download", "test -f /data/seen");
            case 3 -> ReleaseFixture.app("demo-3", registryHost + "/rel/app:2", "v3", "download-then-kill", "false");
            default -> throw new IllegalArgumentException("release " + n);
        };
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String host = args[1];
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        ReleaseFixture f = new ReleaseFixture(root, RegistryCredentialsProvider.anonymous(), Set.of(host), SETTINGS);
        Thread phases = new Thread(() -> {
            Object last = null;
            while (true) {
                Object p = f.runtime.phase();
                if (p != last) {
                    out.println("phase " + p);
                    last = p;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "phase-printer");
        phases.setDaemon(true);
        f.runtime.recover();
        Release current = f.runtime.current();
        out.println("recovered " + (current == null ? "none" : current.id()));
        phases.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("exit"); line = in.readLine()) {
            Release next = release(host, Integer.parseInt(line.substring(3).trim()));
            Release now = f.runtime.current();
            try {
                f.runtime.install(next, now == null ? null : now.id(), new ReleaseRuntime.Progress() {
                    @Override
                    public void downloading(long bytes, Long totalBytes, String message) {
                    }

                    @Override
                    public void starting(String message) {
                    }

                    @Override
                    public void healthy(String message) {
                    }
                });
                out.println("done installed " + next.id());
            } catch (ReleaseRuntime.ReleaseException e) {
                out.println("done " + e.failure() + " " + f.runtime.current().id());
            }
        }
        f.closeAgent();
    }
}
