package dev.fleetlet.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.provisioning.api.FleetApi;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the subcommands that call the fleet server API with a stored profile: brings {@code --server}
 * and the API client of that profile. Failures (not logged in, refused, unreachable) are thrown and mapped
 * to exit codes by {@link Fleetctl#commandLine()}.
 */
abstract class ServerCommand implements Runnable {

    @Spec
    CommandSpec spec;
    @Mixin
    ServerOption server;

    /** The fleetctl instance this command runs in. */
    final Fleetctl root() {
        return (Fleetctl) spec.root().userObject();
    }

    /** The API client for {@code --server} (default: the profile last logged in to). */
    final FleetApi api() {
        return root().api(server.normalised());
    }

    /** Standard output of this command line. */
    final PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** A server command that prints the server's objects as a table or, with {@code --output json}, as JSON. */
    abstract static class Printing extends ServerCommand {

        @Mixin
        Output output;

        /** Prints {@code items} in the chosen format. */
        final void print(List<JsonNode> items, List<Output.Column> columns) {
            output.print(out(), items, columns);
        }

        /** Prints one object in the chosen format (as a one-element list in JSON). */
        final void print(JsonNode item, List<Output.Column> columns) {
            print(List.of(item), columns);
        }
    }
}
