package dev.fleetlet.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl allowlist add|list|remove}: serials admitted under the allowlist enrollment policy. */
@Command(name = "allowlist", description = "Serials admitted under the allowlist enrollment policy.",
        subcommands = {AllowlistCommands.Add.class, AllowlistCommands.ListEntries.class, AllowlistCommands.Remove.class})
final class AllowlistCommands {

    static final List<Output.Column> COLUMNS = List.of(Output.Column.of("SERIAL", "serial"),
            Output.Column.of("ADDED", "createdAt"), Output.Column.of("NOTE", "note"));

    @Command(name = "add", description = "Add serials (up to 1,000 per call; more are sent in batches).")
    static final class Add extends ServerCommand.Printing {
        @Option(names = "--note", description = "free text stored with each serial")
        String note;
        @Parameters(paramLabel = "SERIAL", arity = "1..*", description = "board serials")
        List<String> serials;

        @Override
        public void run() {
            var api = api();
            List<JsonNode> added = new ArrayList<>();
            for (int i = 0; i < serials.size(); i += 1000) {
                api.addToAllowlist(serials.subList(i, Math.min(serials.size(), i + 1000)), note).forEach(added::add);
            }
            print(added, COLUMNS);
        }
    }

    @Command(name = "list", description = "List the allowlist.")
    static final class ListEntries extends ServerCommand.Printing {

        @Override
        public void run() {
            print(api().allAllowlist(), COLUMNS);
        }
    }

    @Command(name = "remove", description = "Remove serials from the allowlist.")
    static final class Remove extends ServerCommand {
        @Parameters(paramLabel = "SERIAL", arity = "1..*", description = "board serials")
        List<String> serials;

        @Override
        public void run() {
            var api = api();
            for (String s : serials) {
                api.removeFromAllowlist(s);
                out().println("removed " + s);
            }
            out().flush();
        }
    }
}
