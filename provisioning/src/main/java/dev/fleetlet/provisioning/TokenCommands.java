package dev.fleetlet.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fleetctl token create|list|revoke}: provisioning tokens. */
@Command(name = "token", description = "Provisioning tokens: create, list, revoke.",
        subcommands = {TokenCommands.Create.class, TokenCommands.ListTokens.class, TokenCommands.Revoke.class})
final class TokenCommands {

    static final List<Output.Column> COLUMNS = List.of(Output.Column.of("ID", "id"), Output.Column.of("FLEET", "fleet"),
            Output.Column.of("STATE", "state"), new Output.Column("USES", n -> n.path("uses").asText() + "/"
                    + (n.path("maxUses").isNull() || n.path("maxUses").isMissingNode() ? "unlimited" : n.path("maxUses").asText())),
            Output.Column.of("EXPIRES", "expiresAt"), Output.Column.of("CREATED", "createdAt"),
            Output.Column.of("DESCRIPTION", "description"));

    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})([hdwy])");

    /** {@code 12h}, {@code 30d}, {@code 2w}, {@code 1y} in hours. */
    static int hours(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("--expires: expected a duration like 12h, 30d, 2w or 1y, got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        long h = switch (m.group(2)) {
            case "h" -> n;
            case "d" -> n * 24;
            case "w" -> n * 24 * 7;
            default -> n * 24 * 365;
        };
        if (h > 87600) {
            throw new IllegalArgumentException("--expires: at most 10 years (87600h), got '" + text + "'");
        }
        return (int) h;
    }

    @Command(name = "create", description = "Create a provisioning token for a fleet; the token is printed once, keep it.")
    static final class Create extends ServerCommand.Printing {
        @Option(names = "--fleet", required = true, description = "fleet the enrolled devices join ([a-z0-9][a-z0-9-]{0,62})")
        String fleet;
        @Option(names = "--expires", description = "validity: 12h, 30d, 2w, 1y (default: no expiry)")
        String expires;
        @Option(names = "--max-uses", description = "how many new devices it may enroll (default: unlimited)")
        Integer maxUses;
        @Option(names = "--description", description = "what it is for")
        String description;

        @Override
        public void run() {
            Integer h = expires == null ? null : hours(expires);
            if (maxUses != null && maxUses < 1) {
                throw new IllegalArgumentException("--max-uses: must be at least 1, got " + maxUses);
            }
            JsonNode created = api().createProvisioningToken(fleet, description, h, maxUses);
            PrintWriter out = out();
            if (output.json()) {
                Output.printJson(out, created);
                return;
            }
            print(created.path("metadata"), COLUMNS);
            out.println();
            out.println("token (shown only now): " + created.path("token").asText());
            out.flush();
        }
    }

    @Command(name = "list", description = "List provisioning tokens (metadata only).")
    static final class ListTokens extends ServerCommand.Printing {

        @Override
        public void run() {
            print(api().allProvisioningTokens(), COLUMNS);
        }
    }

    @Command(name = "revoke", description = "Revoke a provisioning token: devices can no longer enroll with it.")
    static final class Revoke extends ServerCommand.Printing {
        @Parameters(paramLabel = "ID", description = "token id (the part after flt_)")
        String id;

        @Override
        public void run() {
            print(api().revokeProvisioningToken(id), COLUMNS);
        }
    }
}
