package dev.fleetlet.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.provisioning.api.FleetApi;
import dev.fleetlet.provisioning.image.BootSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fleetctl login}: stores a server profile. With a user and password, creates an API token for that
 * user through the API and stores only the token; the password is never written anywhere.
 */
@Command(name = "login", description = "Log in to a fleet server and store its profile (API token) in ~/.config/fleetlet/fleetctl.json (mode 0600).")
final class LoginCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, description = "server base URL, e.g. https://fleet.example:8443")
    String server;

    @Option(names = "--user", description = "user name (with --password-stdin)")
    String user;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Secret secret;

    static final class Secret {
        @Option(names = "--password-stdin", required = true, description = "read the user's password from the first line of standard input")
        boolean password;
        @Option(names = "--token-stdin", required = true, description = "read an existing API token (fat_...) from standard input")
        boolean token;
    }

    @Option(names = "--ca-cert", paramLabel = "PEM", description = "CA certificate (PEM file) the server's TLS certificate chains to")
    Path caCert;

    @Option(names = "--token-days", defaultValue = "90", description = "lifetime of the API token created at a password login, in days (default ${DEFAULT-VALUE})")
    int tokenDays;

    @Override
    public void run() {
        Fleetctl root = (Fleetctl) spec.root().userObject();
        String url = BootSettings.serverUri(server).toString();
        Optional<String> ca = Optional.ofNullable(caCert).map(LoginCommand::readPem);
        if (secret.password && (user == null || user.isBlank())) {
            throw new IllegalArgumentException("--password-stdin needs --user");
        }
        if (secret.token && user != null) {
            throw new IllegalArgumentException("--user goes with --password-stdin, not with --token-stdin");
        }
        if (url.startsWith("http:")) {
            spec.commandLine().getErr().println("warning: " + url + " is plain HTTP: the API token travels unencrypted; use https");
        }
        String apiToken;
        String who;
        if (secret.password) {
            String password = root.readStdinLine("--password-stdin");
            FleetApi api = new FleetApi(java.net.URI.create(url), new FleetApi.Basic(user, password), ca);
            JsonNode created = api.createApiToken("fleetctl@" + hostName(), tokenDays);
            apiToken = created.path("secret").asText();
            who = user;
            spec.commandLine().getOut().println("logged in to " + url + " as " + user + " (API token "
                    + created.path("token").path("id").asText() + ", expires " + created.path("token").path("expiresAt").asText("never") + ")");
        } else {
            apiToken = root.readStdinLine("--token-stdin").strip();
            new FleetApi(java.net.URI.create(url), new FleetApi.Bearer(apiToken), ca).listApiTokens();
            who = null;
            spec.commandLine().getOut().println("logged in to " + url + " with an API token");
        }
        root.profiles().save(new Profile(url, who, apiToken, ca.orElse(null)));
        spec.commandLine().getOut().println("profile stored in " + root.profiles().file());
        spec.commandLine().getOut().flush();
    }

    static String readPem(Path file) {
        try {
            String pem = Files.readString(file);
            BootSettings.certificates(pem);
            return pem;
        } catch (IOException e) {
            throw new IllegalArgumentException("--ca-cert: cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }
}
