package dev.fleetlet.provisioning;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fleetctl devices list}: the device registry. */
@Command(name = "devices", description = "Enrolled devices.", subcommands = DevicesCommands.ListDevices.class)
final class DevicesCommands {

    static final List<Output.Column> COLUMNS = List.of(Output.Column.of("ID", "id"), Output.Column.of("SERIAL", "serial"),
            Output.Column.of("NAME", "name"), Output.Column.of("FLEET", "fleet"), Output.Column.of("STATUS", "status"),
            new Output.Column("LABELS", n -> {
                StringBuilder b = new StringBuilder();
                n.path("labels").fields().forEachRemaining(e -> b.append(b.length() == 0 ? "" : ",").append(e.getKey())
                        .append('=').append(e.getValue().asText()));
                return b.length() == 0 ? "-" : b.toString();
            }), Output.Column.of("LAST SEEN", "lastSeen"));

    @Command(name = "list", description = "List devices, optionally filtered by a label selector.")
    static final class ListDevices extends ServerCommand.Printing {
        @Option(names = {"-l", "--selector"}, description = "label selector, e.g. env=prod,site in (a,b)")
        String selector;

        @Override
        public void run() {
            print(api().allDevices(selector), COLUMNS);
        }
    }
}
