package dev.fleetlet.agent.network.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.network.NetworkException;
import dev.fleetlet.agent.network.NetworkException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Executes one CNI plugin as the CNI specification describes: the operation and container facts in
 * {@code CNI_*} environment variables, the network configuration on stdin, a result (or an error object)
 * on stdout.
 */
public final class CniPluginRunner {
    /** The Debian package that ships the standard plugins. */
    public static final String PLUGIN_PACKAGE = "containernetworking-plugins";

    private final List<Path> pluginDirs;
    private final Duration timeout;
    private final ObjectMapper json;

    public CniPluginRunner(List<Path> pluginDirs, Duration timeout, ObjectMapper json) {
        this.pluginDirs = List.copyOf(pluginDirs);
        this.timeout = timeout;
        this.json = json;
    }

    /** The facts of one invocation; {@code netns} may be null for a DEL whose namespace is gone. */
    public record Invocation(String command, String containerId, Path netns, String ifName) {
    }

    /** Finds the plugin executable for {@code type}, or fails naming the binary and the package to install. */
    public Path locate(String type) {
        if (type == null || type.isBlank() || type.contains("/")) {
            throw new NetworkException(Reason.INVALID, "CNI plugin type '" + type + "' is not a plain executable name");
        }
        for (Path dir : pluginDirs) {
            Path candidate = dir.resolve(type);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new NetworkException(Reason.MISSING_PLUGIN, "CNI plugin '" + type + "' not found in " + pluginDirs
                + "; install the Debian package " + PLUGIN_PACKAGE);
    }

    /**
     * Runs the plugin named by {@code config.type} and returns its parsed stdout (an empty object when a
     * DEL or CHECK prints nothing).
     *
     * @throws NetworkException {@code PLUGIN_FAILED} with the plugin's error message, {@code SUBNET_EXHAUSTED}
     *                          when IPAM has no address left, {@code MISSING_PLUGIN} when the binary is absent
     */
    public JsonNode run(JsonNode config, Invocation inv) {
        String type = config.path("type").asText();
        Path exe = locate(type);
        ProcessBuilder pb = new ProcessBuilder(exe.toString());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("CNI_"));
        env.put("CNI_COMMAND", inv.command());
        env.put("CNI_CONTAINERID", inv.containerId());
        env.put("CNI_NETNS", inv.netns() == null ? "" : inv.netns().toString());
        env.put("CNI_IFNAME", inv.ifName());
        env.put("CNI_PATH", pluginDirs.stream().map(Path::toString).collect(Collectors.joining(":")));
        byte[] stdin;
        try {
            stdin = json.writeValueAsBytes(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String what = "CNI " + inv.command() + " " + type + " container=" + inv.containerId();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new NetworkException(Reason.PLUGIN_FAILED, what + ": cannot start " + exe + ": " + e.getMessage(), e);
        }
        try {
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // the plugin may exit without reading stdin; its exit code tells the story
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new NetworkException(Reason.PLUGIN_FAILED, what + ": timed out after " + timeout.toMillis() + " ms");
            }
            String stdout = out.join().strip();
            String stderr = err.join().strip();
            if (p.exitValue() != 0) {
                throw failure(what, p.exitValue(), stdout, stderr);
            }
            if (stdout.isEmpty()) {
                return json.createObjectNode();
            }
            try {
                return json.readTree(stdout);
            } catch (IOException e) {
                throw new NetworkException(Reason.PLUGIN_FAILED, what + ": output is not JSON: " + abbreviate(stdout));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NetworkException(Reason.PLUGIN_FAILED, what + ": interrupted");
        }
    }

    private NetworkException failure(String what, int exit, String stdout, String stderr) {
        String msg = null;
        String details = null;
        int code = -1;
        try {
            JsonNode error = stdout.isEmpty() ? null : json.readTree(stdout);
            if (error != null && error.has("msg")) {
                msg = error.path("msg").asText();
                details = error.path("details").asText(null);
                code = error.path("code").asInt(-1);
            }
        } catch (IOException notJson) {
            // fall through to the raw output
        }
        if (msg == null) {
            msg = !stderr.isEmpty() ? stderr : stdout.isEmpty() ? "no output" : stdout;
        }
        String full = what + " failed (exit " + exit + (code >= 0 ? ", code " + code : "") + "): " + abbreviate(msg)
                + (details == null || details.isBlank() ? "" : " (" + abbreviate(details) + ")");
        boolean exhausted = msg.contains("no IP addresses available") || msg.contains("no more addresses");
        return new NetworkException(exhausted ? Reason.SUBNET_EXHAUSTED : Reason.PLUGIN_FAILED,
                exhausted ? "subnet exhausted: " + full : full);
    }

    private static String abbreviate(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                return buf.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, CniPluginRunner::daemonThread);
    }

    /** One short-lived thread per stream: the common pool may have a single thread on a 2-core board. */
    private static void daemonThread(Runnable r) {
        Thread t = new Thread(r, "cni-plugin-output");
        t.setDaemon(true);
        t.start();
    }
}
