package dev.fleetlet.provisioning;

import dev.fleetlet.provisioning.api.ApiProblemException;
import dev.fleetlet.provisioning.api.FleetApi;
import dev.fleetlet.provisioning.api.ServerUnreachableException;
import dev.fleetlet.provisioning.image.ImageException;
import dev.fleetlet.provisioning.image.ImageTool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fleetctl}, the operator CLI. Exit codes: 0 success, 1 the server or the image refused (the reason
 * is printed), 2 usage error, 3 the server cannot be reached.
 */
@Command(name = "fleetctl", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, version = "fleetctl 0.1.0",
        description = "Fleetlet operator CLI: provisioning tokens, approvals, and provisioning settings for SD card images.",
        subcommands = {LoginCommand.class, TokenCommands.class, AllowlistCommands.class, PendingCommands.class,
                DevicesCommands.class, ImageCommands.class},
        footer = {"", "Exit codes: 0 ok, 1 refused by the server or the image check, 2 usage error, 3 server unreachable."})
public final class Fleetctl implements Runnable {

    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;

    private final ProfileStore profiles;
    private final ImageTool images;
    private final InputStream stdin;
    private final Clock clock;
    private BufferedReader stdinReader;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * @param profiles where login stores server profiles
     * @param images   the image tool (mount table and sysfs roots)
     * @param stdin    where {@code --password-stdin}, {@code --token-stdin} and {@code --wifi-psk-stdin} read from
     * @param clock    time source for expiry display
     */
    public Fleetctl(ProfileStore profiles, ImageTool images, InputStream stdin, Clock clock) {
        this.profiles = profiles;
        this.images = images;
        this.stdin = stdin;
        this.clock = clock;
    }

    public static void main(String[] args) {
        Fleetctl cli = new Fleetctl(new ProfileStore(ProfileStore.defaultFile(System.getenv())), ImageTool.system(),
                System.in, Clock.systemUTC());
        System.exit(cli.commandLine().execute(args));
    }

    /** A picocli command line for this instance with fleetctl's exit-code mapping. */
    public CommandLine commandLine() {
        CommandLine cl = new CommandLine(this);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            PrintWriter err = line.getErr();
            if (e instanceof CliFailure f) {
                err.println("error: " + f.getMessage());
                return f.exitCode();
            }
            if (e instanceof ApiProblemException p) {
                err.println("error: the server refused: " + p.title() + (p.detail() == null || p.detail().isBlank() ? "" : ": " + p.detail())
                        + " (HTTP " + p.status() + ")");
                return REFUSED;
            }
            if (e instanceof ServerUnreachableException u) {
                err.println("error: " + u.getMessage());
                return UNREACHABLE;
            }
            if (e instanceof ImageException i) {
                err.println("error: refused: " + i.getMessage());
                return REFUSED;
            }
            if (e instanceof IllegalArgumentException a) {
                err.println("error: " + a.getMessage());
                err.println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for more information.");
                return USAGE;
            }
            throw e;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    ProfileStore profiles() {
        return profiles;
    }

    ImageTool images() {
        return images;
    }

    Clock clock() {
        return clock;
    }

    /** One line from stdin (without the line end), for secrets passed through a pipe. */
    String readStdinLine(String option) {
        try {
            if (stdinReader == null) {
                stdinReader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            }
            String line = stdinReader.readLine();
            if (line == null || line.isEmpty()) {
                throw new IllegalArgumentException(option + ": expected the secret on standard input, got nothing");
            }
            return line;
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": cannot read standard input: " + e.getMessage(), e);
        }
    }

    /** The API client for the stored profile of {@code server} (the current one when null). */
    FleetApi api(String server) {
        Profile p = profiles.find(server).orElseThrow(() -> new CliFailure(USAGE, server == null
                ? "not logged in: run 'fleetctl login --server URL ...' first"
                : "not logged in to " + server + ": run 'fleetctl login --server " + server + " ...' first"));
        return new FleetApi(p.uri(), new FleetApi.Bearer(p.apiToken()), Optional.ofNullable(p.caCertificatePem()));
    }
}
