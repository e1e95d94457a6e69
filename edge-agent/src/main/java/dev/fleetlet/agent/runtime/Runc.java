package dev.fleetlet.agent.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fleetlet.agent.hostcmd.HostCommand;
import dev.fleetlet.agent.hostcmd.HostCommandException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Drives the {@code runc} binary (or a compatible one such as crun) with its own state directory
 * ({@code --root}). {@link #runCommand} is the foreground {@code runc run --keep} command line that
 * the container shim keeps running as long as the container, so its exit code is the container's
 * (128+signal when killed, 137 for an OOM kill); it writes the container's pid to a file once the
 * process runs. The ended container and its cgroup are kept (their OOM counters stay readable) until
 * {@link #delete}. {@link #exec} starts a process inside a running
 * container. Every other command runs with a timeout; failures carry runc's stderr.
 */
public final class Runc {
    private final String binary;
    private final Path stateRoot;
    private final Duration timeout;
    private final ObjectMapper json;

    /** runc's view of a container: {@code created}, {@code running}, {@code paused} or {@code stopped}. */
    public record State(String id, String status, long pid) {
    }

    public Runc(String binary, Path stateRoot, Duration timeout, ObjectMapper json) {
        this.binary = binary;
        this.stateRoot = stateRoot;
        this.timeout = timeout;
        this.json = json;
    }

    /**
     * The command line running the bundle's container in the foreground until it exits (kept after exit). runc
     * writes the container's host pid to {@code pidFile} once its process has been started, so the file's
     * appearance means "running" without asking {@code runc state}.
     */
    public List<String> runCommand(String id, Path bundle, Path pidFile) {
        List<String> cmd = base();
        cmd.addAll(List.of("run", "--keep", "--pid-file", pidFile.toString(), "--bundle", bundle.toString(), id));
        return cmd;
    }

    /**
     * Whether runc holds any state for the container: a directory check in the state root, no process
     * started. False means {@link #state} would report it absent; true may also be a container being created.
     */
    public boolean hasState(String id) {
        return java.nio.file.Files.exists(stateRoot.resolve(id));
    }

    /**
     * Starts {@code command} in the running container as a child process ({@code runc exec}); the host pid of
     * the command is written to {@code pidFile}. Output goes to {@code output} (overwritten).
     */
    public Process exec(String id, Path pidFile, List<String> command, File output) {
        List<String> cmd = base();
        cmd.addAll(List.of("exec", "--pid-file", pidFile.toString(), id));
        cmd.addAll(command);
        try {
            return new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                    .redirectOutput(output).start();
        } catch (IOException e) {
            throw new HostCommandException(cmd, -1, "cannot start: " + e.getMessage());
        }
    }

    /** The state directory given to runc as {@code --root}. */
    public Path stateRoot() {
        return stateRoot;
    }

    public Optional<State> state(String id) {
        List<String> cmd = base();
        cmd.addAll(List.of("state", id));
        HostCommand.Result r = HostCommand.runAllowingFailure(cmd, timeout);
        if (r.exitCode() != 0) {
            if (r.stderr().contains("does not exist")) {
                return Optional.empty();
            }
            throw new HostCommandException(cmd, r.exitCode(), r.stderr());
        }
        try {
            JsonNode s = json.readTree(r.stdout());
            return Optional.of(new State(s.path("id").asText(), s.path("status").asText(), s.path("pid").asLong()));
        } catch (IOException e) {
            throw new HostCommandException(cmd, 0, "unparseable state: " + r.stdout());
        }
    }

    /** Sends a signal to the container's init process ({@code --all}: to every process). */
    public void kill(String id, String signal, boolean all) {
        List<String> cmd = base();
        cmd.add("kill");
        if (all) {
            cmd.add("--all");
        }
        cmd.addAll(List.of(id, signal));
        HostCommand.run(cmd, timeout);
    }

    /** Force-deletes the container and its cgroup; absent containers are ignored. */
    public void delete(String id) {
        List<String> cmd = base();
        cmd.addAll(List.of("delete", "--force", id));
        HostCommand.Result r = HostCommand.runAllowingFailure(cmd, timeout);
        if (r.exitCode() != 0 && !r.stderr().contains("does not exist")) {
            throw new HostCommandException(cmd, r.exitCode(), r.stderr());
        }
    }

    public List<String> list() {
        List<String> cmd = base();
        cmd.addAll(List.of("list", "--quiet"));
        String out = HostCommand.run(cmd, timeout).stdout();
        return out.isBlank() ? List.of() : List.of(out.split("\\s+"));
    }

    private List<String> base() {
        return new ArrayList<>(List.of(binary, "--root", stateRoot.toString()));
    }
}
