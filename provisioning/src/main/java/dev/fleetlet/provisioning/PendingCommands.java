package dev.fleetlet.provisioning;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code fleetctl pending list|approve|reject}: the approval queue of the manual enrollment policy. */
@Command(name = "pending", description = "Enrollments waiting for approval (manual policy).",
        subcommands = {PendingCommands.ListPending.class, PendingCommands.Approve.class, PendingCommands.Reject.class})
final class PendingCommands {

    static final List<Output.Column> COLUMNS = List.of(Output.Column.of("ID", "id"), Output.Column.of("SERIAL", "serial"),
            Output.Column.of("FLEET", "fleet"), Output.Column.of("STATE", "state"), Output.Column.of("TOKEN", "tokenId"),
            Output.Column.of("REQUESTED", "requestedAt"), Output.Column.of("LAST SEEN", "lastSeenAt"));

    @Command(name = "list", description = "List enrollment requests.")
    static final class ListPending extends ServerCommand.Printing {

        @Override
        public void run() {
            print(api().allPending(), COLUMNS);
        }
    }

    @Command(name = "approve", description = "Approve a request: the device is created and enrolls on its next retry.")
    static final class Approve extends ServerCommand.Printing {
        @Parameters(paramLabel = "ID", description = "request id from 'pending list'")
        String id;

        @Override
        public void run() {
            print(api().approve(id), DevicesCommands.COLUMNS);
        }
    }

    @Command(name = "reject", description = "Reject a request.")
    static final class Reject extends ServerCommand.Printing {
        @Parameters(paramLabel = "ID", description = "request id from 'pending list'")
        String id;

        @Override
        public void run() {
            print(api().reject(id), COLUMNS);
        }
    }
}
