package dev.fleetlet.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fleetlet.provisioning.api.ApiProblemException;
import dev.fleetlet.provisioning.api.FleetApi;
import dev.fleetlet.provisioning.api.ServerUnreachableException;
import dev.fleetlet.provisioning.image.BootSettings;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * Checks a provisioning token before it is written into an image. The server has no endpoint a token holder
 * may call to check a token, so this looks the token id up in the admin API ({@code GET
 * /api/v1/provisioning-tokens}) with the operator's stored profile for the same server URL.
 *
 * <ul>
 *   <li>state ACTIVE: passes (prints fleet, uses and expiry);</li>
 *   <li>EXPIRED, REVOKED, EXHAUSTED, or an id the server does not know: refused, exit 1, even with
 *       {@code --force-offline};</li>
 *   <li>no answer, no profile for that server, or the profile's API token refused: refused (exit 3, 2, 1) unless
 *       {@code --force-offline}, which turns them into a warning.</li>
 * </ul>
 * Only the token id (the part before the secret) is sent to the server.
 */
final class TokenCheck {

    private final Fleetctl root;
    private final PrintWriter out;
    private final PrintWriter err;

    TokenCheck(Fleetctl root, PrintWriter out, PrintWriter err) {
        this.root = root;
        this.out = out;
        this.err = err;
    }

    void check(BootSettings settings, boolean forceOffline) {
        String server = ProfileStore.normalise(settings.serverUrl().toString());
        String masked = BootSettings.maskToken(settings.token());
        Optional<Profile> profile = root.profiles().find(server);
        if (profile.isEmpty()) {
            unchecked(forceOffline, Fleetctl.USAGE, "cannot check token " + masked + ": not logged in to " + server
                    + " (run 'fleetctl login --server " + server + " ...')");
            return;
        }
        Profile p = profile.get();
        FleetApi api = new FleetApi(p.uri(), new FleetApi.Bearer(p.apiToken()),
                Optional.ofNullable(p.caCertificatePem()).or(settings::caCertificatePem));
        Optional<JsonNode> meta;
        try {
            meta = api.findProvisioningToken(settings.tokenId());
        } catch (ServerUnreachableException e) {
            unchecked(forceOffline, Fleetctl.UNREACHABLE, "cannot check token " + masked + ": " + e.getMessage());
            return;
        } catch (ApiProblemException e) {
            unchecked(forceOffline, Fleetctl.REFUSED, "cannot check token " + masked + ": the server refused the lookup: "
                    + e.getMessage());
            return;
        }
        if (meta.isEmpty()) {
            throw new CliFailure(Fleetctl.REFUSED, "token " + masked + " is not known to " + server
                    + ": was it created on another server?");
        }
        JsonNode t = meta.get();
        String state = t.path("state").asText();
        switch (state) {
            case "ACTIVE" -> {
                out.println("token " + masked + " is active: fleet " + t.path("fleet").asText() + ", uses " + t.path("uses").asText()
                        + "/" + (t.path("maxUses").isNumber() ? t.path("maxUses").asText() : "unlimited") + ", expires "
                        + (t.path("expiresAt").isTextual() ? t.path("expiresAt").asText() : "never"));
                out.flush();
            }
            case "EXPIRED" -> throw new CliFailure(Fleetctl.REFUSED, "token " + masked + " expired at "
                    + t.path("expiresAt").asText() + ": create a new one with 'fleetctl token create'");
            case "REVOKED" -> throw new CliFailure(Fleetctl.REFUSED, "token " + masked + " was revoked at "
                    + t.path("revokedAt").asText() + ": create a new one with 'fleetctl token create'");
            case "EXHAUSTED" -> throw new CliFailure(Fleetctl.REFUSED, "token " + masked + " is used up ("
                    + t.path("uses").asText() + " of " + t.path("maxUses").asText() + " enrollments): create a new one");
            default -> throw new CliFailure(Fleetctl.REFUSED, "token " + masked + " has an unknown state '" + state + "'");
        }
    }

    private void unchecked(boolean forceOffline, int exitCode, String reason) {
        if (!forceOffline) {
            throw new CliFailure(exitCode, reason + "; pass --force-offline to inject without the check");
        }
        err.println("warning: " + reason + "; injecting anyway (--force-offline): a board with an invalid token cannot enroll");
        err.flush();
    }
}
