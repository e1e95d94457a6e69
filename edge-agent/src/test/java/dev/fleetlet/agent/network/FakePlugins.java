package dev.fleetlet.agent.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Shell-script CNI plugins in a temporary plugin directory. Each invocation is recorded as
 * {@code log/NNN-<type>-<COMMAND>.stdin} and {@code .env} (the CNI_ variables), in call order.
 */
final class FakePlugins {
    final Path dir;
    final Path log;

    FakePlugins(Path root) throws IOException {
        dir = Files.createDirectories(root.resolve("plugins"));
        log = Files.createDirectories(root.resolve("plugin-log"));
    }

    /** A plugin that records the call and on ADD prints a result with {@code address} and a "marker" naming itself. */
    FakePlugins succeeding(String type, String address) throws IOException {
        return script(type, "case \"$CNI_COMMAND\" in ADD) printf '%s' '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\""
                + address + "\",\"gateway\":\"10.9.0.1\"}],\"marker\":\"" + type + "\"}' ;; esac\nexit 0\n");
    }

    /** A plugin that records the call and fails ADD with a CNI error object carrying {@code message}. */
    FakePlugins failingAdd(String type, String message) throws IOException {
        return script(type, "if [ \"$CNI_COMMAND\" = ADD ]; then printf '%s' '{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\""
                + message + "\"}'; exit 1; fi\nexit 0\n");
    }

    /** A plugin that records the call and fails DEL with a message on stderr only. */
    FakePlugins failingDel(String type, String address) throws IOException {
        return script(type, "case \"$CNI_COMMAND\" in ADD) printf '%s' '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\""
                + address + "\"}]}' ;; DEL) echo 'del exploded' >&2; exit 2 ;; esac\nexit 0\n");
    }

    private FakePlugins script(String type, String body) throws IOException {
        Path file = dir.resolve(type);
        String record = "#!/bin/sh\n"
                + "n=$(ls '" + log + "' | wc -l)\n"
                + "f='" + log + "'/$(printf %03d $((n / 2)))-" + type + "-$CNI_COMMAND\n"
                + "cat > \"$f.stdin\"\n"
                + "env | grep '^CNI_' | sort > \"$f.env\"\n";
        Files.writeString(file, record + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return this;
    }

    /** The recorded calls, e.g. {@code bridge-ADD}, in order. */
    List<String> calls() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(log)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".stdin")).sorted()
                    .forEach(n -> out.add(n.substring(4, n.length() - ".stdin".length())));
        }
        return out;
    }

    String stdin(int call) throws IOException {
        return Files.readString(find(call, ".stdin"));
    }

    String env(int call) throws IOException {
        return Files.readString(find(call, ".env"));
    }

    private Path find(int call, String suffix) throws IOException {
        String prefix = String.format("%03d-", call);
        try (Stream<Path> s = Files.list(log)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(suffix))
                    .findFirst().orElseThrow(() -> new AssertionError("no call " + call));
        }
    }
}
